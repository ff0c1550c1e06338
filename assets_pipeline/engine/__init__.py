"""Layout → files: what is stale, render it, record it. Content keys, executors (local, Dask), atomic
output and the manifest, combined PDFs, preflight report files, verification."""
