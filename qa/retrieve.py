"""Hybrid retrieval: a question in, candidate sentences ranked for that question out.

Two rankings of sentences are taken, dense (Chroma: cosine with the sentence's headline-pulled
vector) and lexical (SQLite FTS5 BM25). Their union is the candidate pool; each candidate is
read with its context (neighbouring sentences, headline, date) into the features of
`qa.features`, and the learned ranker of `qa.ranker` scores it. The ranking keeps the feature
rows, so the confidence model can say how sure its top is.

    retriever = Retriever(store, vector_index, embedder)
    ranking = retriever.rank("How many soldiers died?", Filters(since="2026-03-01"))
    ranking.ranked[0].text, ranking.verdict().outcome
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

import numpy as np

from qa.features import Candidate, feature_matrix
from qa.question import Question, analyse
from qa.ranker import Model, Verdict, confidence_row, load_model
from qa.shortanswer import binding, typed
from qa.store.protocols import ArticleReader, ClaimReader, KeywordSearch, SentenceSearch
from qa.types import Filters, Outcome, Retrieved

if TYPE_CHECKING:
    from qa.claims import Claims
    from qa.embed import Embedder
    from qa.index import VectorIndex

Key = tuple[str, int]
DEPTH = 60  # how many sentences each ranking contributes
CLAIMED = 12  # the best candidates whose claims a ranking carries (what an answer reads)


class RetrievalStore(ArticleReader, SentenceSearch, ClaimReader, Protocol):
    """The storage jobs retrieval does: reading sentences and their articles, lexical search
    over sentences, and the claims read from them at ingest (`qa.store.Store` does all)."""


@dataclass(frozen=True)
class Ranking:
    """Candidates best first, with the feature rows (same order) the ranker scored."""

    question: Question
    ranked: list[Retrieved]
    features: np.ndarray
    model: Model = field(repr=False)
    days: dict[str, int] = field(default_factory=dict)  # YYYYMMDD of each dated article
    # The claims of the best candidates' texts (`Retriever.with_claims`); what the confidence
    # model reads of the first three.
    claims: Mapping[str, Claims] = field(default_factory=dict)

    def reordered(self, ranked: list[Retrieved]) -> Ranking:
        """The same candidates (or some of them) in another order, feature rows following."""
        row = {(r.article_id, r.sentence_index): n for n, r in enumerate(self.ranked)}
        order = [row[(r.article_id, r.sentence_index)] for r in ranked]
        return replace(self, ranked=ranked, features=self.features[order])

    def verdict(self) -> Verdict:
        """How sure the top of this ranking is (answer, evidence or none)."""
        if not self.ranked:
            return Verdict(Outcome.NONE, 0.0)
        scores = np.asarray([r.score for r in self.ranked])
        bound = bound_of(self.question, [r.text for r in self.ranked], self.claims)
        row = confidence_row(
            scores,
            self.features,
            [r.article_id for r in self.ranked],
            [r.text for r in self.ranked],
            self.question.text,
            bound,
        )
        return self.model.confidence.verdict(row)


def bound_of(
    question: Question, texts: list[str], claims: Mapping[str, Claims]
) -> list[float] | None:
    """How firmly the first three of a ranking's sentences bind what the question asks (what
    the confidence model reads); None when the question asks no type the claims hold."""
    if not typed(question):
        return None
    return [binding(question, claims.get(text)) for text in texts[:3]]


class Retriever:
    def __init__(
        self,
        store: RetrievalStore,
        vector_index: VectorIndex,
        embedder: Embedder,
        *,
        model: Model | None = None,
        depth: int = DEPTH,
        keywords: KeywordSearch | None = None,
    ) -> None:
        self.store = store
        # The keyword index when the index has one (`qa.keywords`), else the store's FTS5.
        self.keywords: KeywordSearch = keywords or store
        self.vector_index = vector_index
        self.embedder = embedder
        self.model = model or load_model()
        self.depth = depth

    def retrieve(self, question: str, filters: Filters | None = None) -> list[Retrieved]:
        """Candidate sentences for a question, best first."""
        return self.rank(question, filters).ranked

    def rank(
        self, question: str, filters: Filters | None = None, *, analysed: Question | None = None
    ) -> Ranking:
        analysed = analysed or analyse(question)
        # "the Harbour Daily's figures": an outlet is in the articles' metadata, not their text.
        outlets = {o.casefold().removeprefix("the ") for o in self.store.outlets()}
        names = tuple(n for n in analysed.names if n.casefold().removeprefix("the ") not in outlets)
        return self.score(replace(analysed, names=names), self.candidates(question, filters))

    def score(self, question: Question, pool: list[Candidate]) -> Ranking:
        """Rank a candidate pool with the learned ranker."""
        matrix = feature_matrix(question, pool)
        scores = self.model.ranker.scores(matrix)
        order = sorted(
            range(len(pool)), key=lambda i: (-scores[i], pool[i].article_id, pool[i].sentence_index)
        )
        ranked = [
            Retrieved(
                pool[i].article_id,
                pool[i].sentence_index,
                pool[i].text,
                float(scores[i]),
                pool[i].dense,
                pool[i].lexical,
            )
            for i in order
        ]
        days = {c.article_id: c.day for c in pool if c.day}
        ranking = Ranking(question, ranked, matrix[order] if order else matrix, self.model, days)
        return self.with_claims(ranking)

    def with_claims(self, ranking: Ranking) -> Ranking:
        """The ranking with the claims of its best candidates (again after a reordering)."""
        texts = [r.text for r in ranking.ranked[:CLAIMED]]
        return replace(ranking, claims=self.store.claims_of(texts))

    def candidates(self, question: str, filters: Filters | None = None) -> list[Candidate]:
        """The union of the dense and lexical rankings, read with their context."""
        query = self.embedder.embed([question])[0]
        dense = self.vector_index.query(query, k=self.depth, filters=filters, scope=self.store)
        lexical = self.keywords.lexical_search(question, limit=self.depth, filters=filters)
        keys = list(dict.fromkeys([(a, i) for a, i, _ in dense] + [(a, i) for a, i, _ in lexical]))
        if not keys:
            return []
        neighbours = [(a, i + step) for a, i in keys for step in (-1, 1) if i + step >= 0]
        vectors = self.vector_index.vectors(keys + neighbours)
        cosine = {key: float(vector @ query) for key, vector in vectors.items()}
        best_lexical = max((score for _, _, score in lexical), default=0.0) or 1.0
        lexical_score = {(a, i): score / best_lexical for a, i, score in lexical}
        dense_rank = {(a, i): n for n, (a, i, _) in enumerate(dense)}
        lexical_rank = {(a, i): n for n, (a, i, _) in enumerate(lexical)}
        texts = self.store.sentence_texts(keys + neighbours)
        articles = {a for a, _ in keys}
        titles = self.store.titles(articles)
        days = self.store.published_days(articles)
        article_best: dict[str, float] = defaultdict(float)
        for key in keys:
            article_best[key[0]] = max(article_best[key[0]], cosine.get(key, 0.0))
        return [
            Candidate(
                article_id=a,
                sentence_index=i,
                text=texts.get((a, i), ""),
                dense=cosine.get((a, i), 0.0),
                lexical=lexical_score.get((a, i), 0.0),
                neighbour=max(cosine.get((a, i + step), 0.0) for step in (-1, 1)),
                article=article_best[a],
                dense_rank=dense_rank.get((a, i)),
                lexical_rank=lexical_rank.get((a, i)),
                context=" ".join(texts.get((a, i + step), "") for step in (-1, 1)),
                title=titles.get(a) or "",
                day=days.get(a, 0),
            )
            for a, i in keys
            # A vector whose sentence the store no longer has (a removal whose vector deletes
            # were cut off, still queued) is never a candidate: nothing is cited from it.
            if (a, i) in texts
        ]
