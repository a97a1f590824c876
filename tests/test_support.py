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


# -- subtle falsehoods (issue 13) -----------------------------------------------------------

TOLL = "Three Valdorian soldiers were killed and seven were wounded in the clash."
BUDGET = "The government approved a budget of $4.2 billion for reconstruction."
JOBS = "Calder Steel will cut 300 jobs and keep 1,200 at its Varna plant."
HEADER = 'Article: "Steel cuts" - Harbour Daily, 2026-03-04'


@pytest.mark.parametrize(
    ("claim", "evidence", "missing"),
    [
        ("Seven Valdorian soldiers were killed and three were wounded.", TOLL, "7"),
        ("Seven soldiers were killed in the clash.", TOLL, "7"),
        ("Three soldiers were wounded in the clash.", TOLL, "3"),
        ("The government approved a budget of $4.2 million for reconstruction.", BUDGET, "4.2"),
        ("Calder Steel will cut 1,200 jobs at its Varna plant.", JOBS, "1200"),
        ("Calder Steel will keep 300 jobs at its Varna plant.", JOBS, "300"),
    ],
)
def test_a_number_must_be_supported_with_what_it_counts(
    scorer: SupportScorer, claim: str, evidence: str, missing: str
) -> None:
    result = scorer.score(claim, [evidence])
    assert result.score < 0.5, result
    assert any(m.startswith(missing) for m in result.missing), result.missing


@pytest.mark.parametrize(
    "claim",
    [
        "Three soldiers were killed and seven wounded, Valdoria said.",
        "Seven soldiers were wounded and three killed in the clash.",
        "Three Valdorian troops died in the clash.",
    ],
)
def test_numbers_with_the_right_role_still_pass(scorer: SupportScorer, claim: str) -> None:
    evidence = [TOLL, "Valdoria said the clash began at dawn."]
    result = scorer.score(claim, evidence)
    assert result.score >= 0.5 and result.missing == (), result


@pytest.mark.parametrize(
    "claim",
    ["Calder Steel will cut 3 jobs at its Varna plant.", "The Varna plant cut jobs on March 4."],
)
def test_header_numbers_do_not_support_claims_about_the_body(
    scorer: SupportScorer, claim: str
) -> None:
    evidence = ["Calder Steel will cut jobs at its Varna plant, the company said."]
    assert scorer.score(claim, evidence, [HEADER]).score < 0.5


def test_header_numbers_support_claims_about_the_article_itself(scorer: SupportScorer) -> None:
    claim = "Harbour Daily reported on 2026-03-04 that Calder Steel will cut 300 jobs."
    assert scorer.score(claim, [JOBS], [HEADER]).score >= 0.5


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        (
            "The defence ministry did not confirm the toll.",
            "The defence ministry confirmed the toll.",
        ),
        (
            "The defence ministry confirmed the toll.",
            "The defence ministry did not confirm the toll.",
        ),
        ("Aerolis never agreed to discuss the border.", "Aerolis agreed to discuss the border."),
        (
            "Kestrania denied sending troops to the pass.",
            "Kestrania admitted sending troops to the pass.",
        ),
        ("Kestrania sent troops to the pass.", "Kestrania denied sending troops to the pass."),
        ("The talks were not a success.", "The talks were a success."),
    ],
)
def test_a_flipped_polarity_is_not_supported(
    scorer: SupportScorer, claim: str, evidence: str
) -> None:
    result = scorer.score(claim, [evidence])
    assert result.score < 0.5, result


def test_a_negation_in_another_clause_does_not_count(scorer: SupportScorer) -> None:
    evidence = "Officials said 14 soldiers died, but they did not release their names."
    assert scorer.score("Officials said 14 soldiers died.", [evidence]).score >= 0.5
    assert scorer.score("Officials did not release the soldiers' names.", [evidence]).score >= 0.5


@pytest.mark.parametrize(
    "added",
    [
        ", and the decision was later reversed after protests.",
        "; the general resigned the next day.",
        ", while Aerolis closed its embassy in protest.",
    ],
)
def test_every_clause_must_be_supported(scorer: SupportScorer, added: str) -> None:
    claim = "Valdoria's defence ministry said 14 soldiers were killed in the clash" + added
    result = scorer.score(claim, [KILLED])
    assert result.score < 0.5, result


def test_clauses_each_supported_by_a_different_sentence_pass(scorer: SupportScorer) -> None:
    claim = (
        "14 soldiers were killed in the clash, and Aerolis said Kestrania refused to discuss "
        "the river border."
    )
    assert scorer.score(claim, [KILLED, REFUSED]).score >= 0.5


def test_a_name_from_the_title_does_not_open_the_header_figures(scorer: SupportScorer) -> None:
    header = 'Article: "Valdoria steel cuts" - Harbour Daily, 2026-03-04'
    claim = "Valdoria's Calder Steel will cut 3 jobs at its Varna plant."
    evidence = ["Calder Steel will cut jobs at its Varna plant, the company said."]
    assert scorer.score(claim, evidence, [header]).score < 0.5


def test_framing_words_between_commas_need_no_support(scorer: SupportScorer) -> None:
    claim = "In total, 14 soldiers were killed in the clash on Tuesday, Valdoria's ministry said."
    assert scorer.score(claim, [KILLED]).score >= 0.5


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        (
            "The deal reduces the planned job cuts from 850 to 1,200.",
            "The deal reduces the planned job cuts from 1,200 to 850.",
        ),
        (
            "Support was highest in the north, at 34%, and lowest in the capital, at 61%.",
            "Support was highest in the north, at 61%, and lowest in the capital, at 34%.",
        ),
    ],
)
def test_figures_told_apart_only_by_their_order_must_keep_it(
    scorer: SupportScorer, claim: str, evidence: str
) -> None:
    assert scorer.score(claim, [evidence]).score < 0.5


def test_a_double_negative_is_not_the_single_one(scorer: SupportScorer) -> None:
    evidence = "After a merger they would have no choice at all, the senator said."
    claim = "After a merger they would not have no choice at all, the senator said."
    assert scorer.score(claim, [evidence]).score < 0.5
    assert scorer.score(evidence, [evidence]).score >= 0.5
