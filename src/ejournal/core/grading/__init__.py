"""Grading rules (being built)."""
