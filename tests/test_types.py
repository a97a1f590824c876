"""The outcome of an answer: one type in Python, the same strings in JSON and fixture files."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qa.fixtures import schema
from qa.types import Answer, Outcome

OLD_KEYS = {"question", "answer", "citations", "abstained"}  # what every saved answer holds


@pytest.mark.parametrize(
    ("outcome", "confidence", "abstained"),
    [(Outcome.ANSWER, "answer", False), (Outcome.EVIDENCE, "evidence", False),
     (Outcome.NONE, "none", True)],
)  # fmt: skip
def test_the_json_contract_writes_confidence_and_abstained_as_before(
    outcome: Outcome, confidence: str, abstained: bool
) -> None:
    data = Answer("Q?", "A.", (), outcome).to_dict()
    assert type(data["confidence"]) is str and data["confidence"] == confidence
    assert data["abstained"] is abstained
    assert f'"confidence": "{confidence}"' in json.dumps(data)
    assert Answer.from_dict(json.loads(json.dumps(data))).outcome is outcome


@pytest.mark.parametrize(
    ("saved", "outcome"),
    [
        ({"abstained": False}, Outcome.ANSWER),  # before the outcome was written
        ({"abstained": True}, Outcome.NONE),
        ({"abstained": False, "confidence": "evidence"}, Outcome.EVIDENCE),
        # An answer in another language used to be saved abstaining with the default outcome.
        ({"abstained": True, "confidence": "answer"}, Outcome.NONE),
    ],
)
def test_answers_saved_by_earlier_versions_read_back_with_their_outcome(
    saved: dict[str, Any], outcome: Outcome
) -> None:
    answer = Answer.from_dict({"question": "Q?", "answer": "A.", "citations": []} | saved)
    assert set(answer.to_dict()) > OLD_KEYS
    assert answer.outcome is outcome and answer.abstained is (outcome is Outcome.NONE)


def test_fixture_files_allow_exactly_the_outcomes() -> None:
    expect = schema()["$defs"]["case"]["properties"]["expect"]["properties"]["confidence"]
    one, many = expect["anyOf"]
    assert one["enum"] == many["items"]["enum"] == [o.value for o in Outcome]
