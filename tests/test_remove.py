"""`newsqa remove`: an article leaves the store, the vectors, the keyword index and uploads, and
answers stop citing it at once (issue 24)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qa.assistant import Assistant
from qa.cli import main
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.index import VectorIndex
from qa.ingest.pipeline import Ingestor
from qa.ingest.uploads import save_uploads
from qa.keywords import KeywordIndex
from qa.library import open_library
from qa.store import Store

FLOOD = [
    "Port Elara's mayor said 4,200 residents were evacuated from the Lower Quay on Sunday.",
    "The council opened shelters at the Dockside Arena for the evacuated families.",
]
BRIDGE = [
    "The Tarven bridge will stay closed to lorries until engineers finish their survey.",
    "Engineers found cracks in two of the bridge's supporting piers last month.",
]
QUESTION = "How many residents were evacuated from the Lower Quay?"


def _story(title: str, lines: list[str], outlet: str) -> bytes:
    body = "\n\n".join(lines)
    return f"Title: {title}\nSource: {outlet}\nDate: 2026-03-16\n\n{body}\n".encode()


def _ingest(settings: Settings, embedder: SentenceTransformerEmbedder) -> dict[str, str]:
    """Two uploaded stories ingested; their ids by file name."""
    saved = save_uploads(
        settings.index_dir,
        [
            ("flood.txt", _story("Evacuation", FLOOD, "Harbour Daily")),
            ("bridge.txt", _story("Bridge", BRIDGE, "Valley Post")),
        ],
    )
    Ingestor(settings, embedder=embedder, annotate=False, prepare_query_model=False).ingest(
        [str(p) for p in saved]
    )
    store = Store.open(settings.store_path, create=False)
    return {"flood.txt": _id_of(store, "Evacuation"), "bridge.txt": _id_of(store, "Bridge")}


def _id_of(store: Store, title: str) -> str:
    return next(a.id for a in store.list_articles() if a.title == title)


def _cited(settings: Settings) -> set[str]:
    answer = Assistant(open_library(settings)).ask(QUESTION)
    return {c.article_id for c in answer.citations}


def test_a_removed_article_is_gone_everywhere_and_never_cited(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    settings = Settings(index_dir=tmp_path / "index")
    ids = _ingest(settings, embedder)
    flood = ids["flood.txt"]
    assert flood in _cited(settings)
    result = CliRunner().invoke(
        main, ["remove", flood[:8], "--index", str(settings.index_dir)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"removed {flood}", "deleted upload flood.txt"]
    assert flood not in _cited(settings)
    store = Store.open(settings.store_path, create=False)
    assert store.article(flood) is None and store.pending_vector_deletes() == []
    assert VectorIndex.open(settings.chroma).count() == len(BRIDGE)
    keywords = KeywordIndex.open(settings.keywords_path)
    assert not [hit for hit in keywords.lexical_search("evacuated Lower Quay") if hit[0] == flood]
    uploads = settings.index_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["bridge.txt"]


def test_an_unknown_id_removes_nothing(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    settings = Settings(index_dir=tmp_path / "index")
    ids = _ingest(settings, embedder)
    result = CliRunner().invoke(
        main, ["remove", ids["flood.txt"], "nosuchid", "--index", str(settings.index_dir)]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: no article 'nosuchid' in {settings.index_dir}: see 'newsqa list'; "
        "nothing was removed"
    ]
    assert Store.open(settings.store_path, create=False).article(ids["flood.txt"]) is not None


def test_a_removal_cut_off_after_the_store_leaves_nothing_citable(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    # The store's transaction committed, the vector deletes never ran (a crash between them).
    settings = Settings(index_dir=tmp_path / "index")
    flood = _ingest(settings, embedder)["flood.txt"]
    store = Store.open(settings.store_path, create=False)
    store.remove_articles([flood])
    store.close()
    assert VectorIndex.open(settings.chroma).count() == len(FLOOD) + len(BRIDGE)
    assert flood not in _cited(settings)
    # The next ingest (or removal) finishes the deletes.
    Ingestor(settings, embedder=embedder, annotate=False, prepare_query_model=False).ingest([])
    assert VectorIndex.open(settings.chroma).count() == len(BRIDGE)
