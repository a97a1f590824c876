"""A follow-up's "he" or "she" read as the person the previous answer named (`qa.followup`)."""

from __future__ import annotations

import pytest

from qa.followup import person_meant
from qa.types import Answer, Outcome

DIRECTOR = Answer("Who is the mission director?", "...", (), Outcome.ANSWER,
                  short_answer="Anika Rautio")  # fmt: skip


@pytest.mark.parametrize(
    ("question", "meant"),
    [
        ("What did she say after the launch?", "What did Anika Rautio say after the launch?"),
        ("When did he join?", "When did Anika Rautio join?"),
        ("What is his background?", "What is Anika Rautio's background?"),
        # "her" may be "of her" or "to her": left alone.
        ("What happened to her team?", "What happened to her team?"),
    ],
)
def test_the_pronoun_is_the_person_answered(question: str, meant: str) -> None:
    assert person_meant(question, [DIRECTOR]) == meant


@pytest.mark.parametrize(
    ("question", "history"),
    [
        # The pronoun may be someone the follow-up names itself.
        ("What did Biden say after he met Xi?", [DIRECTOR]),
        ("Where is He Lifeng?", [DIRECTOR]),
        # Not the previous turn's answer: a question came between.
        ("What did she say?", [DIRECTOR, "What is Halcyon-2?"]),
        # No one surely named: not an answer, or sources that differ, or no name at all.
        ("What did she say?", [Answer("Who is the mission director?", "...", (),
                                      Outcome.EVIDENCE, short_answer="Anika Rautio")]),
        ("What did she say?", [Answer("Who is the mission director?", "...", (),
                                      Outcome.ANSWER, short_answer="Anika Rautio",
                                      conflict=True)]),
        ("What did he say?", [Answer("How many were killed?", "...", (), Outcome.ANSWER,
                                     short_answer="three soldiers")]),
        # "Who is X?" is answered with what X is, not with a name to put for "he".
        ("What did he say?", [Answer("Who is Miro Tessaly?", "...", (), Outcome.ANSWER,
                                     short_answer="director of the regional hospital")]),
    ],
)  # fmt: skip
def test_the_follow_up_is_left_alone_when_no_one_is_meant_surely(
    question: str, history: list[str | Answer]
) -> None:
    assert person_meant(question, history) == question
