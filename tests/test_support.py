"""The support score: does a cited sentence back the claim that cites it?"""

from __future__ import annotations

import pytest

from qa.embed import SentenceTransformerEmbedder
from qa.support import SupportScorer

KILLED = "Valdoria's defence ministry said 14 soldiers were killed in the clash on Tuesday."
REFUSED = "Aerolis said Kestrania had refused to discuss the river border."


@pytest.fixture(scope="module")
def scorer(embedder: SentenceTransformerEmbedder) -> SupportScorer:
    return SupportScorer(embedder)


@pytest.mark.parametrize(
    "claim",
    [
        "Fourteen soldiers were killed in the clash, Valdoria's defence ministry said.",
        "Valdoria's defence ministry said 14 soldiers died in Tuesday's clash.",
        "14 soldiers were killed on Tuesday.",
    ],
)
def test_paraphrases_with_the_same_facts_are_supported(scorer: SupportScorer, claim: str) -> None:
    result = scorer.score(claim, [KILLED])
    assert result.score >= 0.5 and result.missing == ()


@pytest.mark.parametrize(
    ("claim", "missing"),
    [
        ("Valdoria's defence ministry said 40 soldiers were killed in the clash.", "40"),
        ("Fourteen soldiers were killed in the clash on Wednesday.", "wednesday"),
        ("Fourteen soldiers were killed in the clash, General Ostrava said.", "General Ostrava"),
    ],
)
def test_a_wrong_number_date_or_name_is_not_supported(
    scorer: SupportScorer, claim: str, missing: str
) -> None:
    result = scorer.score(claim, [KILLED])
    assert result.score < 0.5 and missing in result.missing


def test_a_sentence_about_something_else_does_not_support(scorer: SupportScorer) -> None:
    assert scorer.score("Aerolis accused Kestrania of refusing talks.", [KILLED]).score < 0.3
    assert scorer.score("Aerolis accused Kestrania of refusing talks.", [REFUSED]).score > 0.5


def test_two_sentences_can_support_a_claim_together(scorer: SupportScorer) -> None:
    claim = (
        "Fourteen soldiers were killed, and Aerolis said Kestrania refused to discuss the border."
    )
    alone = scorer.score(claim, [KILLED])
    together = scorer.score(claim, [KILLED, REFUSED])
    assert together.score > alone.score and together.score >= 0.5


def test_the_articles_date_and_outlet_may_supply_facts(scorer: SupportScorer) -> None:
    claim = "Harbour Daily reported on 2026-03-04 that 14 soldiers were killed."
    assert scorer.score(claim, [KILLED]).score < 0.5
    header = 'Article: "Clash" - Harbour Daily, 2026-03-04'
    assert scorer.score(claim, [KILLED], [header]).score >= 0.5


def test_nothing_cited_is_no_support(scorer: SupportScorer) -> None:
    assert scorer.score("Anything.", []).score == 0.0
