"""Looking into an index with only its folder and its Chroma settings."""

from __future__ import annotations

import pytest

from qa.config import Settings
from qa.errors import NewsqaError
from qa.inspect import collection_stats, find_article
from qa.store import Store


def test_stats_count_what_the_store_and_chroma_hold(sample_settings: Settings) -> None:
    data = collection_stats(sample_settings.index_dir, sample_settings.chroma)
    assert data["index"] == str(sample_settings.index_dir)
    assert data["articles"] >= 20 and data["vectors"] == data["sentences"]
    assert data["vector_index_bytes"] > 0 and "vector_index" not in data


def test_stats_leave_the_vectors_uncounted_when_counting_would_load_them_all(
    sample_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qa.inspect

    monkeypatch.setattr(qa.inspect, "COUNT_VECTORS_UP_TO", 10)  # the samples hold more
    data = collection_stats(sample_settings.index_dir, sample_settings.chroma)
    assert data["vectors"] is None and data["sentences"] > 10
    forced = collection_stats(sample_settings.index_dir, sample_settings.chroma, count_vectors=True)
    assert forced["vectors"] == forced["sentences"]


def test_an_article_is_found_by_a_prefix_of_its_id(sample_settings: Settings) -> None:
    article_id = Store.open(sample_settings.store_path, create=False).article_ids()[0]
    article, _ = find_article(sample_settings.index_dir, article_id[:8])
    assert article.id == article_id


def test_an_unknown_article_names_the_index_and_the_next_command(
    sample_settings: Settings,
) -> None:
    with pytest.raises(NewsqaError, match="newsqa list") as caught:
        find_article(sample_settings.index_dir, "no-such-id")
    assert str(sample_settings.index_dir) in str(caught.value)
