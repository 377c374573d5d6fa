"""State-exam primary scores and the tables that convert them to five-point marks.

An ОГЭ (grade 9) result is a *primary score* ("первичный балл"), 0 up to the exam's maximum; the
region (from ФИПИ's recommendations, published every year) fixes the lowest primary score that
gives a 3, a 4 and a 5.  The school records the score and the mark, prints the mark and keeps the
score.  A :class:`ScoreConversion` is one such table (data, configured in the grading policy's
``[exams]`` table); :func:`convert_primary_score` applies it with exact integers and
:func:`explain_primary_score` says which threshold gave the mark.

An ЕГЭ (grade 11) result is a *test score* 0–100 on its own scale: it is not converted and never
enters five-point statistics or final marks (see :func:`ejournal.core.stats.is_test_score`).
"""

from __future__ import annotations

from attrs import frozen

from ejournal.core.errors import InvalidInput

__all__ = ["ConvertedScore", "ScoreConversion", "convert_primary_score", "explain_primary_score"]


def _whole(value: object, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(where, "must be a whole number", value)
    if value < minimum:
        raise InvalidInput(where, f"must be at least {minimum}", value)
    return value


@frozen
class ScoreConversion:
    """A regional table turning an exam's primary score into a five-point mark.

    ``subject_id`` names the subject of the course the exam result is recorded on; ``max_score``
    is the exam's highest primary score; ``three``, ``four`` and ``five`` are the lowest primary
    scores giving a 3, a 4 and a 5 (below ``three``: a 2); ``source`` says where the table was
    published (the region's order, its year).  Raises :class:`InvalidInput` naming the field
    unless ``0 < three < four < five <= max_score`` in whole numbers (equal thresholds would make
    a mark unreachable).
    """

    subject_id: str
    max_score: int
    three: int
    four: int
    five: int
    source: str = ""

    def __attrs_post_init__(self) -> None:
        where = f"score conversion {self.subject_id!r}"
        if not isinstance(self.subject_id, str) or not self.subject_id.strip():
            raise InvalidInput("score conversion.subject_id", "must be a non-empty string", self.subject_id)
        _whole(self.max_score, f"{where}.max_score", 1)
        for name in ("three", "four", "five"):
            _whole(getattr(self, name), f"{where}.{name}", 1)
        if not self.three < self.four < self.five:
            raise InvalidInput(
                f"{where}.four", "the thresholds must rise: three < four < five", (self.three, self.four, self.five)
            )
        if self.five > self.max_score:
            raise InvalidInput(f"{where}.five", f"must not exceed max_score {self.max_score}", self.five)
        if not isinstance(self.source, str):
            raise InvalidInput(f"{where}.source", "must be a string", self.source)

    @property
    def thresholds(self) -> tuple[tuple[int, int], ...]:
        """``((5, five), (4, four), (3, three))``: each mark with its lowest primary score."""
        return ((5, self.five), (4, self.four), (3, self.three))


@frozen
class ConvertedScore:
    """Why a primary score gave its mark: ``mark`` for ``score`` out of ``max_score``; ``lowest``
    the lowest score that still gives ``mark`` (0 for a 2), ``next_at`` the lowest score of the
    next mark (``None`` for a 5); ``source`` the table's source."""

    score: int
    max_score: int
    mark: int
    lowest: int
    next_at: int | None
    source: str

    @property
    def text(self) -> str:
        """``"27 из 31 первичных баллов: отметка 5 (от 22 баллов)"`` in Russian, as printed in explanations."""
        return f"{self.score} из {self.max_score} первичных баллов: отметка {self.mark} (от {self.lowest} баллов)"


def explain_primary_score(score: int, table: ScoreConversion) -> ConvertedScore:
    """Convert ``score`` by ``table`` and say which threshold applied (pure, exact integers).

    Raises :class:`InvalidInput` naming ``primary_score`` for a score that is not a whole number
    from 0 to ``table.max_score``, and naming ``table`` when it is not a :class:`ScoreConversion`.
    """
    if not isinstance(table, ScoreConversion):
        raise InvalidInput("table", "must be a ScoreConversion", table)
    _whole(score, "primary_score", 0)
    if score > table.max_score:
        raise InvalidInput(
            "primary_score", f"must be at most {table.max_score} (the highest score of {table.subject_id!r})", score
        )
    upper: int | None = None
    for mark, lowest in table.thresholds:
        if score >= lowest:
            return ConvertedScore(score, table.max_score, mark, lowest, upper, table.source)
        upper = lowest
    return ConvertedScore(score, table.max_score, 2, 0, table.three, table.source)


def convert_primary_score(score: int, table: ScoreConversion) -> int:
    """The five-point mark ``table`` gives a primary ``score``: 5 from ``five``, 4 from ``four``,
    3 from ``three``, else 2.  Raises as :func:`explain_primary_score`."""
    return explain_primary_score(score, table).mark
