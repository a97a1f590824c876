"""The offline answerer: the answer is made of the article sentences that answer the question.

It takes the ranked candidates from retrieval and keeps the best sentence, plus up to two more
whose score is close to it (a sentence from another article first, since questions that need
two articles need one sentence from each). It abstains when even the best sentence scores below
a threshold calibrated on questions whose answer is known to be absent
(`scripts/tune_retrieval.py` prints the two score distributions the threshold separates).

    picked = choose_sentences(ranked)      # [] means: abstain
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.types import Retrieved

MAX_SENTENCES = 3


@dataclass(frozen=True)
class Policy:
    """When to answer and how many sentences to give."""

    # Best candidate's score under this: the articles don't say. From
    # scripts/calibrate_abstention.py: answerable questions score p5 = 0.54 (samples) and 0.61
    # (2,293 real articles); off-topic questions 0.14-0.65.
    abstain_below: float = 0.5
    margin: float = 0.06  # a further sentence must score within this of the best
    multi_margin: float = 0.15  # ... or this, for another article when the question compares


DEFAULT_POLICY = Policy()

_COMPARES = re.compile(
    r"\b(?:both|each|differ|difference|different|compare|compared|versus|vs\.?|sides?|"
    r"outlets|reports|accounts|disagree|according to (?:each|the two|both))\b",
    re.I,
)


def choose_sentences(
    ranked: list[Retrieved], question: str, policy: Policy = DEFAULT_POLICY
) -> list[Retrieved]:
    """The sentences that answer, best first; empty when the articles don't answer."""
    if not ranked or ranked[0].score < policy.abstain_below:
        return []
    best = ranked[0]
    chosen = [best]
    compares = bool(_COMPARES.search(question))
    for candidate in ranked[1:12]:
        if len(chosen) == MAX_SENTENCES:
            break
        if any(_same_text(candidate.text, c.text) for c in chosen):
            continue
        other_article = all(c.article_id != candidate.article_id for c in chosen)
        margin = policy.multi_margin if compares and other_article else policy.margin
        if candidate.score >= best.score - margin:
            chosen.append(candidate)
    return chosen


def _same_text(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def fold(text: str) -> str:
    """Words only, lower case: two copies of a sentence fold to the same text."""
    return " ".join(re.findall(r"\w+", text.lower()))
