"""The grading policy a sheet was checked against, as printed: the PDF's last-page footer and
metadata, and the HTML footer, in every locale.

The expected lines are written out by hand from the catalog wording; the hash is computed here
from the policy's canonical JSON.
"""

from __future__ import annotations

import hashlib
import io
import json

import pdfplumber
import pytest
from pypdf import PdfReader

from ejournal.core.errors import InvalidInput
from ejournal.core.grading import GradingPolicy, builtin_policy
from ejournal.core.summary import SummarySheet
from ejournal.render import render
from ejournal.testing.samples import sample_sheet

WORDING = {
    "ru": "Политика оценивания: federal v1 ({short})",
    "tt": "Бәяләү сәясәте: federal v1 ({short})",
    "en": "Grading policy: federal v1 ({short})",
}
# the sample sheet has more rows than fit one page, so the footer is not on the first page
STUDENTS, SUBJECTS = 30, 8


def _sha256_of(policy: GradingPolicy) -> str:
    text = json.dumps(policy.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


@pytest.fixture(scope="module")
def federal() -> GradingPolicy:
    return builtin_policy("federal")


@pytest.fixture(scope="module")
def stamped(federal: GradingPolicy) -> SummarySheet:
    return sample_sheet(students=STUDENTS, subjects=SUBJECTS, policy=federal)


@pytest.mark.parametrize("locale", sorted(WORDING))
def test_the_last_page_footer_names_the_policy(stamped: SummarySheet, federal: GradingPolicy, locale: str) -> None:
    line = WORDING[locale].format(short=_sha256_of(federal)[:8])
    pages = _pages(render(stamped, "pdf", locale=locale))
    assert len(pages) >= 2
    # a small line of the page footer, on the baseline of the page label, after the signature block
    footer = pages[-1].splitlines()[-1]
    assert footer.startswith(line)
    assert footer.endswith(str(len(pages)))
    assert all(line not in text for text in pages[:-1])


@pytest.mark.parametrize("locale", sorted(WORDING))
def test_an_unstamped_sheet_prints_no_policy_line(locale: str) -> None:
    text = "\n".join(_pages(render(sample_sheet(students=STUDENTS, subjects=SUBJECTS), "pdf", locale=locale)))
    prefix = WORDING[locale].split(":")[0] + ":"
    assert prefix not in text


def test_the_metadata_keywords_name_the_policy(stamped: SummarySheet, federal: GradingPolicy) -> None:
    info = PdfReader(io.BytesIO(render(stamped, "pdf"))).metadata
    assert info is not None
    keywords = str(info.get("/Keywords")).split(", ")
    assert "grading-policy:federal v1" in keywords
    assert f"policy-sha256:{_sha256_of(federal)}" in keywords
    assert f"content-sha256:{stamped.content_hash}" in keywords
    unstamped = PdfReader(io.BytesIO(render(sample_sheet(students=3, subjects=2), "pdf"))).metadata
    assert unstamped is not None
    assert "policy" not in str(unstamped.get("/Keywords"))


def test_the_stamp_changes_the_pdf_and_another_policy_prints_its_own_name(federal: GradingPolicy) -> None:
    strict = builtin_policy("strict")
    one = render(sample_sheet(students=4, subjects=2, policy=federal), "pdf")
    two = render(sample_sheet(students=4, subjects=2, policy=strict), "pdf")
    assert one != two
    expected = f"Политика оценивания: strict v{strict.version} ({_sha256_of(strict)[:8]})"
    assert _pages(two)[-1].splitlines()[-1].startswith(expected)


def test_a_policy_name_the_font_cannot_draw_is_refused_before_drawing(federal: GradingPolicy) -> None:
    sheet = sample_sheet(students=3, subjects=2, policy=federal.evolve(name="политика ☃"))
    with pytest.raises(InvalidInput, match="☃"):
        render(sheet, "pdf")


@pytest.mark.parametrize("locale", sorted(WORDING))
def test_the_html_footer_names_the_policy(stamped: SummarySheet, federal: GradingPolicy, locale: str) -> None:
    html = render(stamped, "html", locale=locale).decode("utf-8")
    line = WORDING[locale].format(short=_sha256_of(federal)[:8])
    footer = html[html.index('<footer class="sheet">') : html.index("</footer>")]
    assert f'<p class="policy">{line}</p>' in footer
    assert 'class="policy"' not in render(sample_sheet(students=3, subjects=2), "html", locale=locale).decode()
