"""Tools for people editing specs: preview, new design, reference, watch, serve, typography proof.
Only cli.py imports them."""
