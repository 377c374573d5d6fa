"""Matching what a person typed against the names that exist: class labels, names, periods.

People type "9A" with a Latin A, "Елкин" for "Ёлкин", "9а" for "9А".  :func:`fold` maps all of
these to one form, so a lookup finds the intended thing; :func:`unknown` says, when nothing
matches, which choices exist and which one was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from ejournal.core.errors import NotFound

__all__ = ["fold", "matches", "unknown"]

# Latin letters that look like Cyrillic ones, as typed on the wrong keyboard layout.
_LOOK_ALIKES = str.maketrans("AaBCcEeHKkMOoPpTXxyёЁ", "АаВСсЕеНКкМОоРрТХхуеЕ")


def fold(text: str) -> str:
    """``text`` with Latin look-alikes turned Cyrillic, ё as е, case and surrounding spaces dropped.

    Only for matching; never for display or sorting.  Raises nothing for any ``str``.
    """
    return " ".join(text.translate(_LOOK_ALIKES).casefold().translate(_LOOK_ALIKES).split())


def matches(typed: str, name: str) -> bool:
    """True when ``typed`` names ``name`` up to :func:`fold`."""
    return fold(typed) == fold(name)


def unknown(kind: str, typed: object, choices: Iterable[str], where: str = "") -> NotFound:
    """The :class:`NotFound` to raise for ``typed``: it lists ``choices`` and suggests the closest.

    ``choices`` are the names that exist (shown in their given order, at most 30); the suggestion
    is the one whose folded form is closest to the folded ``typed`` (difflib's ratio ≥ 0.6).
    """
    names: Sequence[str] = list(dict.fromkeys(choices))
    folded = {fold(n): n for n in names}
    close = difflib.get_close_matches(fold(str(typed)), list(folded), n=1)
    shown = ", ".join(names[:30]) + (f", … ({len(names)} in all)" if len(names) > 30 else "")
    hint = f"did you mean {folded[close[0]]}? " if close else ""
    detail = f"{hint}choices: {shown}" if names else "there are none"
    return NotFound(kind, typed, f"{where} ({detail})" if where else f"({detail})")
