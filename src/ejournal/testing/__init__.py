"""Kits for ejournal's users: Hypothesis strategies and the storage conformance suite.

Both need the ``ejournal[testing]`` extra (Hypothesis; pytest for the conformance suite).
"""
