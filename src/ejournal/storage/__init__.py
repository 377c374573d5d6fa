"""Pluggable storage: ports, backends chosen by URL, the journal document."""
