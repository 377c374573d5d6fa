"""The ``ejournal`` command line: a thin shell over :mod:`ejournal.service`.

Exit codes: 0 ok; 1 validation found errors; 2 bad input or usage (a missing file, a malformed
document, an unknown class...); 3 storage unavailable.  Every error is one line saying what and
where; ``--debug`` shows the traceback instead.
"""

from ejournal.cli.main import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, EXIT_STORAGE, cli, main

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "EXIT_STORAGE", "cli", "main"]
