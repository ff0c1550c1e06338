"""After the build, from manifest.json: one bundle per unit, the download page, proof sheets and the
results report."""
