"""What the confidence model reads of a ranking: agreement is not rivalry."""

from __future__ import annotations

import numpy as np

from qa.features import FEATURES
from qa.ranker import CONFIDENCE_FEATURES, confidence_row

QUESTION = "How many residents were evacuated in Port Elara?"


def row(texts: list[str], question: str = QUESTION) -> dict[str, float]:
    scores = np.asarray([3.0, 2.9, 1.0][: len(texts)])
    matrix = np.zeros((len(texts), len(FEATURES)))
    ids = [f"a{n}" for n in range(len(texts))]
    values = confidence_row(scores, matrix, ids, texts, question)
    return dict(zip(CONFIDENCE_FEATURES, values.tolist(), strict=True))


def test_a_second_outlet_repeating_the_figure_is_not_a_rival() -> None:
    agreeing = row([
        "Ms. Whitcombe said 4,200 residents had been evacuated from 31 streets.",
        "The 4,200 residents evacuated from the Lower Quay remain in shelters.",
        "Fire crews rescued 63 people from rooftops.",
    ])  # fmt: skip
    assert agreeing["margin"] == np.float64(3.0 - 2.9).item()
    assert agreeing["margin_other"] == 2.0  # the rival is the third, not the second


def test_a_different_figure_is_a_rival_and_the_questions_own_figures_prove_nothing() -> None:
    rival = row([
        "Officials said 4,200 residents had been evacuated.",
        "A council spokesman put the number evacuated at 3,900.",
    ])  # fmt: skip
    assert rival["margin_other"] == rival["margin"]
    own = row(
        ["In 2026 the storm forced evacuations.", "Rail lines closed in 2026 after the storm."],
        question="How many people were evacuated in 2026?",
    )
    assert own["margin_other"] == own["margin"]


def test_a_lone_candidate_has_no_rival() -> None:
    assert row(["Ms. Whitcombe said 4,200 residents had been evacuated."])["margin_other"] == 5.0
