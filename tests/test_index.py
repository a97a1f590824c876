"""The vector index translates our `Filters` into Chroma's `where` itself (a real embedded
Chroma, hand-made vectors)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import qa.index
from qa.config import ChromaConfig
from qa.index import VectorIndex, VectorItem, _allows, _chroma_where
from qa.types import Filters

UNIT = np.asarray([1.0, 0.0, 0.0], dtype=np.float32)


@pytest.fixture
def index(tmp_path: Path) -> VectorIndex:
    index = VectorIndex.open(ChromaConfig(path=tmp_path / "chroma"))
    index.add(
        [
            VectorItem("harbour", 0, UNIT, published_day=20260301, outlet="Harbour Daily"),
            VectorItem("valley", 0, UNIT, published_day=20260305, outlet="Valley Post"),
            VectorItem("undated", 0, UNIT, outlet="Harbour Daily"),
        ]
    )
    return index


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (None, {"harbour", "valley", "undated"}),
        (Filters(), {"harbour", "valley", "undated"}),
        (Filters(sources=("Harbour Daily",)), {"harbour", "undated"}),
        (Filters(article_ids=("valley", "undated")), {"valley", "undated"}),
        (Filters(since="2026-03-02"), {"valley"}),
        (Filters(until="2026-03-04"), {"harbour"}),
        (Filters(sources=("Harbour Daily",), since="2026-03-01"), {"harbour"}),
    ],
)
def test_query_keeps_only_what_the_filters_allow(
    index: VectorIndex, filters: Filters | None, expected: set[str]
) -> None:
    hits = index.query(UNIT, k=10, filters=filters)
    assert {article_id for article_id, _, _ in hits} == expected
    # However the store says the filter is applied, the outcome is the same.
    if filters:
        for share, allowed, way in [
            (1.0, None, "wide"),  # most of the collection: a wider unfiltered search
            (0.0001, "all", "exact"),  # a few sentences: compared one by one
            (0.0001, "all", "ids"),  # more: Chroma's search among their ids
            (0.0001, None, "where"),  # too many to list: Chroma's where
        ]:
            for k in (1, 10):
                searches.clear()
                scope = _Scope(index, filters, share, allowed)
                found = _query(index, k, filters, scope, exact_up_to=0 if way == "ids" else 3000)
                assert {a for a, _, _ in found} <= expected
                assert len(found) == min(k, len(expected)), (way, k)
                if way == "exact":
                    assert searches == []
                if way == "where" and k == 10:  # 3 vectors are fewer than 10: the wide one fails
                    assert searches[-1] == ("where", _chroma_where(filters))
                if way == "ids":
                    assert searches[-1][0] == "ids", searches


searches: list[tuple[str, object]] = []


class _Scope:
    """A store's answers about a filter, read off the test's own three vectors."""

    def __init__(
        self, index: VectorIndex, filters: Filters, share: float, allowed: str | None
    ) -> None:
        self._share = share
        everything = index._collection.get(include=["metadatas"])
        self._allowed = (
            [
                (str(meta["article_id"]), int(meta["sentence"]))
                for meta in everything["metadatas"]
                if _allows(meta, filters, frozenset(filters.article_ids))
            ]
            if allowed
            else None
        )

    def filter_share(self, filters: Filters) -> float:
        return self._share

    def allowed_sentences(self, filters: Filters, *, limit: int) -> list[tuple[str, int]] | None:
        return self._allowed


def _query(
    index: VectorIndex, k: int, filters: Filters, scope: _Scope, *, exact_up_to: int
) -> list[tuple[str, int, float]]:
    nearest = index._nearest

    def record(vector: np.ndarray, k: int, where: object, **kwargs: object) -> object:
        searches.append(("ids", kwargs["ids"]) if kwargs.get("ids") else ("where", where))
        return nearest(vector, k, where, **kwargs)  # type: ignore[arg-type]

    saved = qa.index.EXACT_UP_TO
    index._nearest = record  # type: ignore[method-assign, assignment]
    qa.index.EXACT_UP_TO = exact_up_to
    try:
        return index.query(UNIT, k=k, filters=filters, scope=scope)
    finally:
        qa.index.EXACT_UP_TO = saved
        del index._nearest


def test_a_vector_is_stored_with_its_filter_fields_only(index: VectorIndex) -> None:
    # llama-index's ChromaVectorStore.add stored a JSON copy of every node beside it (2.2 KB of
    # the 3.9 KB a vector took on disk); newsqa reads back only these fields.
    stored = index._collection.get(
        ids=["harbour:0", "undated:0"], include=["metadatas", "documents"]
    )
    assert stored["metadatas"] == [
        {
            "article_id": "harbour",
            "sentence": 0,
            "published_day": 20260301,
            "outlet": "Harbour Daily",
        },
        {"article_id": "undated", "sentence": 0, "outlet": "Harbour Daily"},
    ]
    assert stored["documents"] == [None, None]


def test_holds_says_whether_a_sentence_has_its_vector(index: VectorIndex) -> None:
    assert index.holds(VectorItem("valley", 0, UNIT))
    assert not index.holds(VectorItem("valley", 1, UNIT))
    index.delete_articles(["valley"])
    assert not index.holds(VectorItem("valley", 0, UNIT))


def test_few_allowed_sentences_are_compared_as_chroma_compares_them(tmp_path: Path) -> None:
    index = VectorIndex.open(ChromaConfig(path=tmp_path / "chroma"))
    vectors = {"near": [2.0, 0.2, 0.0], "middle": [0.5, 0.5, 0.0], "far": [0.0, 3.0, 1.0]}
    index.add([VectorItem(name, 0, np.asarray(v, dtype=np.float32)) for name, v in vectors.items()])
    query = np.asarray([0.9, 0.1, 0.0], dtype=np.float32)
    filters = Filters(article_ids=tuple(vectors))
    exact = index.query(query, k=3, filters=filters, scope=_Scope(index, filters, 1e-6, "all"))
    chroma = index.query(query, k=3)
    assert [hit[0] for hit in exact] == [hit[0] for hit in chroma] == ["near", "middle", "far"]
    assert [hit[2] for hit in exact] == pytest.approx([hit[2] for hit in chroma], abs=1e-5)


def test_a_collection_of_tens_of_thousands_of_articles_is_filtered_after_a_wide_search(
    index: VectorIndex,
) -> None:
    # More article ids than Chroma's `where` takes (SQLite's bound-variable limit): before,
    # "too many SQL variables" whenever the wide search came up short.
    many = ("valley", *(f"gone{n:05d}" for n in range(40_000)))
    filters = Filters(article_ids=many)
    searches.clear()
    found = _query(index, 2, filters, _Scope(index, filters, 1e-9, None), exact_up_to=3000)
    assert [a for a, _, _ in found] == ["valley"]
    assert all(where is None for _, where in searches)
