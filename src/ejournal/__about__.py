"""The package version (single source for packaging and manifests)."""

__version__ = "0.2.0.dev0"
