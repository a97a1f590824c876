"""Which sentences give a cause: a reason clause, a refusal, not a span of time."""

from __future__ import annotations

import pytest

from qa.cause import gives_cause


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("Talks broke down on Monday after six hours.", False),
        ("The plant closed after March 3.", False),
        ("The plant closed after the owners refused to pay for repairs.", True),
        ("Flights were cancelled because of high winds.", True),
        ("The union said Aerolis had refused to reduce the job cuts.", True),
        ("The launch was delayed due to a fault in a valve.", True),
        ("Ministers met on Tuesday in Geneva.", False),
    ],
)
def test_a_cause_is_a_reason_or_a_refusal_not_a_time(text: str, cause: bool) -> None:
    assert gives_cause(text) is cause
