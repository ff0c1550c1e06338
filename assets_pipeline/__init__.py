"""Campaign media for National Digital Transformation Day, rendered from spec files."""

__version__ = "0.1.0"
