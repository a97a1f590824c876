"""The keyword index (tantivy): BM25 over sentences with our filters, replaced a group at a
time by ingest, and filled once for an index made before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Settings
from qa.errors import VectorIndexError
from qa.keywords import KeywordIndex, KeywordRow
from qa.types import Filters

ROWS = [
    KeywordRow("harbour", 0, "The flood forced 4,200 residents to leave Port Elara.", 20260301,
               "Harbour Daily"),
    KeywordRow("harbour", 1, "Schools stayed shut for a third day.", 20260301, "Harbour Daily"),
    KeywordRow("valley", 0, "Flooding evacuated residents across the valley.", 20260310,
               "Valley Post"),
    KeywordRow("undated", 0, "Residents said the flood defences held.", None, None),
]  # fmt: skip


@pytest.fixture
def keywords(tmp_path: Path) -> KeywordIndex:
    index = KeywordIndex.open(tmp_path / "keywords")
    index.write(ROWS)
    return index


def test_search_ranks_by_bm25_over_stems_and_reads_question_syntax_as_text(
    keywords: KeywordIndex,
) -> None:
    hits = keywords.lexical_search("How many residents were evacuated by the floods?", limit=10)
    assert [(a, i) for a, i, _ in hits][:1] == [("valley", 0)]  # flood, evacuate, resident
    assert {a for a, _, _ in hits} == {"harbour", "valley", "undated"}
    assert [s for _, _, s in hits] == sorted((s for _, _, s in hits), reverse=True)
    assert keywords.lexical_search('flood AND "NEAR(" OR: *', limit=5)  # no syntax error
    assert keywords.lexical_search("the of and", limit=5) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(sources=("Valley Post",)), {"valley"}),
        (Filters(since="2026-03-05"), {"valley"}),
        (Filters(until="2026-03-05"), {"harbour"}),
        (Filters(article_ids=("undated", "valley")), {"undated", "valley"}),
        (Filters(sources=("Harbour Daily",), until="2026-03-01"), {"harbour"}),
    ],
)
def test_filters_decide_what_is_found_and_leave_the_scores_alone(
    keywords: KeywordIndex, filters: Filters, expected: set[str]
) -> None:
    unfiltered = {(a, i): s for a, i, s in keywords.lexical_search("residents flood", limit=10)}
    hits = keywords.lexical_search("residents flood", limit=10, filters=filters)
    assert {a for a, _, _ in hits} == expected
    assert all(unfiltered[(a, i)] == pytest.approx(s) for a, i, s in hits)


def test_a_rewrite_replaces_an_article_and_another_process_sees_the_commit(
    keywords: KeywordIndex, tmp_path: Path
) -> None:
    reader = KeywordIndex.open(tmp_path / "keywords")  # as the page holds it
    assert reader.count() == 4
    keywords.write([KeywordRow("valley", 0, "Rain eased over the valley.")], replacing=["valley"])
    assert reader.count() == 4
    assert {a for a, _, _ in reader.lexical_search("residents", limit=10)} == {"harbour", "undated"}
    keywords.write([], replacing=["harbour", "undated"])
    assert reader.count() == 1


def test_a_second_writer_waits_then_says_what_to_do(
    keywords: KeywordIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qa.keywords

    monkeypatch.setattr(qa.keywords, "LOCK_WAIT", 1.0)
    other = KeywordIndex.open(tmp_path / "keywords")
    with pytest.raises(VectorIndexError, match="another ingest"):
        other.write(ROWS[:1])
    keywords.close_writer()
    other.write(ROWS[:1], replacing=["harbour"])
    assert other.count() == 3


def test_an_index_made_before_the_keyword_index_is_filled_once_by_the_next_ingest(
    sample_settings: Settings, tmp_path: Path
) -> None:
    import shutil

    from qa.ingest.pipeline import Ingestor, IngestReport
    from qa.library import open_library
    from qa.store import Store

    settings = Settings(index_dir=tmp_path / "index")
    shutil.copytree(sample_settings.index_dir, settings.index_dir)
    shutil.rmtree(settings.keywords_path)
    store = Store.open(settings.store_path)
    store.set_meta("keywords_version", "0")
    library = open_library(settings)
    assert library.retriever.keywords is library.store  # FTS5 until it is filled
    report = IngestReport()
    Ingestor(settings, store=store, prepare_query_model=False).sync_vectors(report)
    assert "fill_keywords" in report.timings
    filled = open_library(settings).retriever.keywords
    assert isinstance(filled, KeywordIndex) and filled.count() == store.sentence_count()
    report = IngestReport()
    Ingestor(settings, store=store, prepare_query_model=False).sync_vectors(report)
    assert "fill_keywords" not in report.timings  # once
