"""Why-answers cite the cause, not the sentence that repeats the event.

News often states an event in one sentence and its reason in the next: "Talks ... broke down on
Monday after six hours." then "The union said Aerolis had refused to reduce the 1,200 job
cuts ...". Retrieval finds the first (it shares the question's words); the reader wants the
second. When the best sentence of a why-question gives no cause, the next sentences of the same
article that do are cited first.

    cause_first(question, sentences, store.sentence_texts)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from qa.question import REASON, Question
from qa.types import Retrieved

FOLLOWING = 2  # sentences after the event read for its cause

# A clause that gives a reason. Not `qa.features`' reason pattern: that one is a feature of
# the learned ranker, fit with its words ("after" alone included), and stays as it was fit.
# Here "after" counts only before a clause or an act ("after the union refused"), not before a
# span of time ("after six hours") or a date.
_CAUSE = re.compile(
    r"\b(?:because|due to|owing to|as a result|the result of|blamed|caused by|led to|thanks to|"
    r"citing|in protest|on the grounds|the reason|was down to|driven by|prompted by|"
    r"after (?!(?:about |some |nearly |more than |just |only )?(?:\d|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|a few|several|hours|days|weeks|months|midnight|noon|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b))",
    re.I,
)
# What someone did or would not do that explains an outcome: a refusal, a failure, an act
# finished before the event ("had refused", "had failed").
_REASON_GIVEN = re.compile(
    r"\b(?:refused|rejected|declined|failed|would not|could not|insisted|walked out|"
    r"had (?:\w+ )?(?:refused|rejected|failed|demanded|broken|missed|cut|raised|withdrawn))\b",
    re.I,
)


def gives_cause(text: str) -> bool:
    return bool(_CAUSE.search(text) or _REASON_GIVEN.search(text))


def cause_first(
    question: Question,
    sentences: list[Retrieved],
    texts: Callable[[Iterable[tuple[str, int]]], dict[tuple[str, int], str]],
) -> list[Retrieved]:
    """The sentences to cite, the cause of the best one's event first when the best one gives
    none and one of the next sentences of its article does."""
    if question.answer_type != REASON or not sentences or gives_cause(sentences[0].text):
        return sentences
    top = sentences[0]
    keys = [(top.article_id, top.sentence_index + k) for k in range(1, FOLLOWING + 1)]
    following = texts(keys)
    for key in keys:
        text = following.get(key)
        if text is not None and gives_cause(text):
            cause = replace(top, sentence_index=key[1], text=text)
            rest = [s for s in sentences if (s.article_id, s.sentence_index) != key]
            return [cause, *rest]
    return sentences


__all__ = ["cause_first", "gives_cause"]
