"""Hybrid retrieval: sentences in, ranked candidate sentences out.

Two rankings of sentences are taken, dense (Chroma: cosine with the sentence's headline-pulled
vector) and lexical (SQLite FTS5 BM25). Their union is scored with context: a sentence whose
neighbour matches the question well ("He said the talks had failed." after "Kestrania's minister
met the envoy.") rises, and so does a sentence from an article with several good matches. The
weights were tuned on held-out questions (`scripts/tune_retrieval.py`).

    retriever = Retriever(store, vector_index, embedder)
    ranked = retriever.retrieve("How many soldiers died?", Filters(since="2026-03-01"))
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.index import chroma_where
from qa.types import Filters, Retrieved

if TYPE_CHECKING:
    from qa.embed import Embedder
    from qa.index import VectorIndex
    from qa.store import Store

Key = tuple[str, int]


@dataclass(frozen=True)
class Weights:
    """How the features of a candidate sentence add up to its score."""

    lexical: float = 0.0  # BM25 scaled to the best lexical hit
    context: float = 0.2  # the better neighbour's cosine, beyond the sentence's own
    article: float = 0.15  # the article's best cosine among the candidates
    answer_type: float = 0.05  # a number for "how many", a date for "when" ...
    depth: int = 60  # how many sentences each ranking contributes


DEFAULT_WEIGHTS = Weights()


class Retriever:
    def __init__(
        self,
        store: Store,
        vector_index: VectorIndex,
        embedder: Embedder,
        *,
        weights: Weights = DEFAULT_WEIGHTS,
    ) -> None:
        self.store = store
        self.vector_index = vector_index
        self.embedder = embedder
        self.weights = weights

    def retrieve(self, question: str, filters: Filters | None = None) -> list[Retrieved]:
        """Candidate sentences for a question, best first."""
        return rank(self.candidates(question, filters), self.weights)

    def candidates(self, question: str, filters: Filters | None = None) -> list[Candidate]:
        """The union of the dense and lexical rankings, with the features that score them."""
        query = self.embedder.embed([question])[0]
        depth = self.weights.depth
        dense = self.vector_index.query(query, k=depth, where=chroma_where(filters))
        lexical = self.store.lexical_search(question, limit=depth, filters=filters)
        keys = list(dict.fromkeys([(a, i) for a, i, _ in dense] + [(a, i) for a, i, _ in lexical]))
        if not keys:
            return []
        neighbours = [(a, i + step) for a, i in keys for step in (-1, 1) if i + step >= 0]
        vectors = self.vector_index.vectors(keys + neighbours)
        cosine = {key: float(vector @ query) for key, vector in vectors.items()}
        best_lexical = max((score for _, _, score in lexical), default=0.0) or 1.0
        lexical_score = {(a, i): score / best_lexical for a, i, score in lexical}
        texts = self.store.sentence_texts(keys)
        article_best: dict[str, float] = defaultdict(float)
        for key in keys:
            article_best[key[0]] = max(article_best[key[0]], cosine.get(key, 0.0))
        wanted = _answer_type(question)
        return [
            Candidate(
                article_id=key[0],
                sentence_index=key[1],
                text=texts.get(key, ""),
                dense=cosine.get(key, 0.0),
                lexical=lexical_score.get(key, 0.0),
                neighbour=max(cosine.get((key[0], key[1] + step), 0.0) for step in (-1, 1)),
                article=article_best[key[0]],
                answer_type=_has_answer_type(texts.get(key, ""), wanted),
            )
            for key in keys
        ]


@dataclass(frozen=True)
class Candidate:
    """A sentence found by either ranking, with its features."""

    article_id: str
    sentence_index: int
    text: str
    dense: float
    lexical: float
    neighbour: float
    article: float
    answer_type: float

    def score(self, weights: Weights) -> float:
        return (
            self.dense
            + weights.lexical * self.lexical
            + weights.context * max(0.0, self.neighbour - self.dense)
            + weights.article * self.article
            + weights.answer_type * self.answer_type
        )


def rank(candidates: list[Candidate], weights: Weights) -> list[Retrieved]:
    scored = [
        Retrieved(c.article_id, c.sentence_index, c.text, c.score(weights), c.dense, c.lexical)
        for c in candidates
    ]
    scored.sort(key=lambda r: (-r.score, r.article_id, r.sentence_index))
    return scored


_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b",
    re.I,
)
_DATE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|week|month|year)\b|\b\d{4}\b",
    re.I,
)
_NAME = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+(?: [A-Z][a-z]+)+")


def _answer_type(question: str) -> str | None:
    lowered = question.lower()
    if re.search(
        r"\bhow (?:many|much|long|far|old|big|large)\b"
        r"|\bwhat (?:percentage|share|number|amount|figure)\b",
        lowered,
    ):
        return "number"
    if re.search(r"\bwhen\b|\bwhat (?:day|date|time|year|month)\b", lowered):
        return "date"
    if re.search(r"\bwho\b|\bwhich (?:official|minister|person|company|agency)\b", lowered):
        return "name"
    return None


def _has_answer_type(text: str, wanted: str | None) -> float:
    if wanted == "number":
        return 1.0 if _NUMBER.search(text) else 0.0
    if wanted == "date":
        return 1.0 if _DATE.search(text) else 0.0
    if wanted == "name":
        return 1.0 if _NAME.search(text) else 0.0
    return 0.0
