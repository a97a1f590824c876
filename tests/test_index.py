"""The vector index translates our `Filters` into Chroma's `where` itself (a real embedded
Chroma, hand-made vectors)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.config import ChromaConfig
from qa.index import VectorIndex, VectorItem
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
