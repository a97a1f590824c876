"""Does a cited sentence support the claim that cites it? A score in 0..1.

Three signals, because each alone is fooled:
- meaning: cosine of the claim and the cited text under the embedding model (a paraphrase
  scores high, a sentence about something else low);
- wording: the share of the claim's content words found in the cited text;
- facts: every number, date and name the claim states must occur in the cited text (or its
  article's title, outlet and date). A missing number or date caps the score at 0.25, a missing
  name at 0.45: "killed 40 soldiers" cited to "killed 14 soldiers" reads as a near-paraphrase
  to the embedding model, and is the error that matters most in news.

    scorer = SupportScorer(embedder)
    result = scorer.score("Forty people died, officials said.", ["Officials said 40 died."])
    result.score, result.missing      # (0.83, ())
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from qa.lexicon import FULL_MONTHS, NUMBER_WORDS, WEEKDAYS

if TYPE_CHECKING:
    from qa.embed import Embedder

MEANING_FLOOR = 0.35  # cosine at which meaning counts for nothing
MEANING_FULL = 0.8  # ... and for everything
MEANING_WEIGHT = 0.6
MISSING_NUMBER_CAP = 0.25
MISSING_NAME_CAP = 0.45


def _words(text: str) -> list[str]:
    return text.split()


_NUMBER_WORDS = {word: str(n) for word, n in NUMBER_WORDS.items()}
_STOPWORDS = frozenset(
    _words(
        """a an the and or but if of to in on at by for from with about as into over after before
    under between during than then that this these those there here it its it's is are was were
    be been being has have had do does did will would shall should can could may might must not
    no nor so such too very also just only own same other more most some any each both all few
    he she they them his her their hers theirs we us our you your i me my who whom whose which
    what when where why how said says say saying told tells according reported reports report
    article articles source sources while since until because however although though"""
    )
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NAME = re.compile(r"\b[A-Z][a-z’'A-Z-]+(?:\s+[A-Z][a-z’'A-Z-]+)*")
_NOT_NAMES = frozenset(
    _words(
        """The A An And But If In On At By For From With As It Its This That These Those There
    He She
    They We You I His Her Their Our Your Who What When Where Why How Which While After Before
    According Meanwhile However Also Officials Both Some Many Most Others Earlier Later Today
    Yesterday Mr Mrs Ms Dr"""
    )
)


@dataclass(frozen=True)
class SupportResult:
    score: float
    missing: tuple[str, ...] = ()  # numbers, dates and names the cited text does not state


class SupportScorer:
    """Scores claims against cited sentences; caches sentence vectors for one answer's check."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed many texts in one call (the claims and the evidence of an answer)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            for text, vector in zip(todo, self._embedder.embed(todo), strict=True):
                self._vectors[text] = vector

    def score(self, claim: str, cited: Sequence[str], context: Sequence[str] = ()) -> SupportResult:
        """How well the cited sentences together support the claim.

        `context` (titles, outlets, dates of the cited articles) may supply facts and words,
        not the meaning.
        """
        if not cited:
            return SupportResult(0.0)
        self.prepare([claim, *cited])
        claim_vector = self._vectors[claim]
        cited_vectors = np.stack([self._vectors[t] for t in cited])
        joint = cited_vectors.sum(axis=0)
        joint /= np.linalg.norm(joint) or 1.0
        cosine = max(float((cited_vectors @ claim_vector).max()), float(joint @ claim_vector))
        meaning = min(1.0, max(0.0, (cosine - MEANING_FLOOR) / (MEANING_FULL - MEANING_FLOOR)))
        evidence = " ".join([*cited, *context])
        wording = _word_overlap(claim, evidence)
        score = MEANING_WEIGHT * meaning + (1 - MEANING_WEIGHT) * wording
        missing_numbers, missing_names = _missing_facts(claim, evidence)
        if missing_numbers:
            score = min(score, MISSING_NUMBER_CAP)
        elif missing_names:
            score = min(score, MISSING_NAME_CAP)
        return SupportResult(round(score, 4), tuple(missing_numbers + missing_names))


def content_words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2]


def _word_overlap(claim: str, evidence: str) -> float:
    wanted = set(content_words(claim))
    if not wanted:
        return 1.0
    return len(wanted & set(content_words(evidence))) / len(wanted)


def _stem(word: str) -> str:
    word = word.strip("'’-").removesuffix("'s").removesuffix("’s")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _missing_facts(claim: str, evidence: str) -> tuple[list[str], list[str]]:
    evidence_numbers = _numbers(evidence)
    evidence_lower = evidence.lower()
    missing_numbers = [n for n in _numbers(claim) if n not in evidence_numbers]
    for word in re.findall(r"[a-z]+", claim.lower()):
        if (word in FULL_MONTHS or word in WEEKDAYS) and word not in evidence_lower:
            missing_numbers.append(word)
    # A name is stated when each of its words is ("Valdoria's President Ewa Randall" is backed
    # by "President Ewa Randall of Valdoria").
    evidence_words = {_bare(w) for w in re.findall(r"[\w'’]+", evidence_lower)}
    missing_names = [
        name
        for name in _names(claim)
        if any(_bare(w) not in evidence_words for w in re.findall(r"[\w'’]+", name.lower()))
    ]
    return missing_numbers, missing_names


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s").strip("'’-")


def _numbers(text: str) -> set[str]:
    found = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
    found |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    # "40.0", "040" and "40" are the same figure ("2026-03-04" gives 2026, 3 and 4)
    found = {n[:-2] if n.endswith(".0") else n for n in found}
    return {n.lstrip("0") or "0" if "." not in n else n for n in found}


def _names(text: str) -> list[str]:
    names = []
    for match in _NAME.finditer(text):
        opens_sentence = not text[: match.start()].strip(" \"'“‘(-")
        if opens_sentence and " " not in match.group():
            continue  # "Negotiations broke down": any sentence's first word is capitalised
        words = [w.removesuffix("'s").removesuffix("’s") for w in match.group().split()]
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if not words or words[0].lower() in FULL_MONTHS or words[0].lower() in WEEKDAYS:
            continue
        names.append(" ".join(words))
    return names
