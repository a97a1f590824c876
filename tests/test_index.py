"""The vector index translates our `Filters` into Chroma's `where` itself (a real embedded
Chroma, hand-made vectors)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.config import ChromaConfig
from qa.index import VectorIndex, VectorItem, _chroma_where
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
    # A filter said to allow most of the collection is applied to a wider unfiltered search,
    # with the same outcome; one that allows too little for k hits falls back to Chroma's.
    searches: list[object] = []
    nearest = index._nearest
    index._nearest = lambda *args: searches.append(args[2]) or nearest(*args)  # type: ignore[method-assign]
    for k in (1, 10):
        searches.clear()
        widened = index.query(UNIT, k=k, filters=filters, share=1.0)
        assert {a for a, _, _ in widened} <= expected and len(widened) == min(k, len(expected))
        if filters:  # the wide search first; with fewer hits than k, Chroma's filter
            assert searches[0] is None and searches[1:] in ([], [_chroma_where(filters)])
        if filters and k == 10:  # 3 vectors are fewer than 10
            assert searches == [None, _chroma_where(filters)]


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
