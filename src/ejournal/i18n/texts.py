"""Texts built from sheet data: the council's decision and a student's arrival or departure.

One wording for every output: the PDF, HTML, CSV and XLSX renderers and the sheet's JSON snapshot
(:attr:`~ejournal.core.summary.DecisionEntry.text_ru`) all call these functions, so the archived
snapshot says what the printed sheet says.  They take any object with the entry's fields (a
:class:`~ejournal.core.summary.DecisionEntry`), so this module does not depend on the sheet model.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from ejournal.i18n.catalogs import catalog

__all__ = ["council_text", "decision_text", "decision_wording", "movement_text"]


class _Kind(Protocol):
    @property
    def value(self) -> str: ...


class DecisionLike(Protocol):
    """What a decision text needs: the kind (its ``value`` is the catalog key), the grade
    promoted to, the council's protocol number and date, and a note."""

    @property
    def kind(self) -> _Kind: ...
    @property
    def to_grade(self) -> int | None: ...
    @property
    def protocol(self) -> str: ...
    @property
    def council_date(self) -> date: ...
    @property
    def note(self) -> str: ...


def decision_wording(decision: DecisionLike, locale: str = "ru", sex: str = "") -> str:
    """The decision without its protocol: «переведён(а) в 10 класс», «оставлен(а) на повторное
    обучение»; with ``sex`` ("m"/"f") the form agrees («переведена в 10 класс»).

    Raises :class:`~ejournal.core.errors.InvalidInput` for an unknown locale or decision kind.
    """
    cat = catalog(locale)
    if decision.kind.value == "promoted" and decision.to_grade is None:
        return cat.gendered("decision.promoted_no_grade", sex)
    return cat.gendered(f"decision.{decision.kind.value}", sex, grade=decision.to_grade)


def council_text(decision: DecisionLike, locale: str = "ru") -> str:
    """The council's protocol: «протокол № 7 от 28.05.2026».  Raises for an unknown locale."""
    cat = catalog(locale)
    return cat.text("decision.protocol", protocol=decision.protocol, date=cat.date(decision.council_date))


def decision_text(decision: DecisionLike | None, locale: str = "ru", sex: str = "") -> str:
    """What the sheet's decision column prints: «переведён(а) в 10 класс (протокол № 7 от
    28.05.2026)», then «; note» when there is a note; ``""`` for ``None``.  Raises for an unknown locale."""
    if decision is None:
        return ""
    note = f"; {decision.note}" if decision.note else ""
    return f"{decision_wording(decision, locale, sex)} ({council_text(decision, locale)}){note}"


def movement_text(arrival: bool, day: date, order: str, locale: str = "ru", sex: str = "") -> str:
    """An arrival or a departure with its date and order: «прибыл(а) 12.01.2026, приказ № 5»,
    «выбыл(а) 20.12.2025» (no order number known).  Raises for an unknown locale."""
    cat = catalog(locale)
    verb = cat.gendered("movement.arrived" if arrival else "decision.left", sex)
    text = f"{verb} {cat.date(day)}"
    return f"{text}, {cat.text('movement.order', order=order)}" if order.strip() else text
