from datetime import date

import pytest

from qa.timeparse import TimeScope, read_time

TODAY = date(2026, 4, 2)  # a Thursday


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        ("What happened since March?", TimeScope(since="2026-03-01")),
        ("What did the mayor say in March 2026?", TimeScope("2026-03-01", "2026-03-31")),
        ("What happened on March 10?", TimeScope("2026-03-10", "2026-03-11")),
        ("What happened on 10 March?", TimeScope("2026-03-10", "2026-03-11")),
        ("Any news on 2026-03-05?", TimeScope("2026-03-05", "2026-03-06")),
        ("What was agreed before April 5, 2026?", TimeScope(until="2026-04-04")),
        ("What happened in May?", TimeScope("2025-05-01", "2025-05-31")),  # the last May
        ("What happened this week?", TimeScope("2026-03-30", "2026-04-02")),
        ("What happened yesterday?", TimeScope("2026-04-01", "2026-04-01")),
        ("What did he say last month?", TimeScope("2026-03-01", "2026-03-31")),
        ("What is the latest casualty figure?", TimeScope(prefer_recent=True)),
        ("How many soldiers died?", TimeScope()),
        ("What may happen next?", TimeScope()),
        ("What happened on March 41?", TimeScope()),
        ("What did they decide on Monday?", TimeScope()),
    ],
)
def test_time_words_become_date_scopes(question: str, scope: TimeScope) -> None:
    assert read_time(question, today=TODAY) == scope
