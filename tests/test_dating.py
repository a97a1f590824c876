"""Dates in claims resolved against the article's publication date and the verb's tense."""

from __future__ import annotations

from datetime import date

import pytest

from qa.claims import annotate
from qa.dating import first_date

FRIDAY = date(2026, 3, 13)


@pytest.mark.parametrize(
    ("sentence", "day", "said"),
    [
        # The case: a Friday article's "will reopen on Monday" is the Monday after.
        ("The crossing will reopen to traffic on Monday, officials said.", "2026-03-16",
         "on Monday"),
        ("The ceasefire was agreed on Monday.", "2026-03-09", "on Monday"),
        ("The vote passed on Friday.", "2026-03-13", "on Friday"),
        ("Talks will resume tomorrow.", "2026-03-14", "tomorrow"),
        ("The fire started yesterday.", "2026-03-12", "yesterday"),
        ("The commission will report on 2 April.", "2026-04-02", "2 April"),
    ],
)  # fmt: skip
def test_a_date_is_resolved_by_the_tense_of_its_verb(sentence: str, day: str, said: str) -> None:
    found = first_date(annotate([sentence])[0].mentions, FRIDAY)
    assert found is not None and (found.day.isoformat(), found.said) == (day, said)


@pytest.mark.parametrize(
    "sentence", ["Prices rose in March.", "The party was founded last year.", "No date here."]
)
def test_a_date_without_a_day_resolves_to_nothing(sentence: str) -> None:
    assert first_date(annotate([sentence])[0].mentions, FRIDAY) is None


def test_an_undated_article_resolves_nothing() -> None:
    assert first_date(annotate(["The ceasefire was agreed on Monday."])[0].mentions, None) is None
