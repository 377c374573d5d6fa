"""Use cases: each one unit of work, with access checks and the audit log.

:class:`JournalService` is what an application embeds (and what the CLI is a thin shell over).
Every write loads the journal, checks the actor's rights, runs the journal's command (which checks
the invariants), saves the journal together with its audit entries, and commits; any error leaves
the storage as it was.
"""

from ejournal.service.access import AccessRules, Operation
from ejournal.service.journals import JournalService

__all__ = ["AccessRules", "JournalService", "Operation"]
