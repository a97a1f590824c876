"""The chat page's logic with Streamlit's AppTest (browser tests come with the front end)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.ingest.pipeline import Ingestor
from qa.ingest.sources import sample_dir

APP = str(Path(__file__).parent.parent / "app.py")


@pytest.fixture
def sample_index(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> Path:
    index = tmp_path / "index"
    Ingestor(Settings(index_dir=index), embedder=embedder).ingest([str(sample_dir())])
    monkeypatch.setenv("NEWSQA_INDEX_DIR", str(index))
    return index


def test_chat_answers_with_cited_sentences(sample_index: Path) -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    app.chat_input[0].set_value("How many residents were evacuated in Port Elara?").run()
    assert not app.exception
    texts = [t.value for t in app.text]
    assert any("[1]" in t for t in texts)
    cited = " ".join(str(h.proto.body) for h in app.get("html"))
    assert "4,200" in cited and "[1]" in cited


def test_untrusted_text_is_escaped(sample_index: Path) -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.chat_input[0].set_value("<script>alert(1)</script> What about the flood?").run()
    assert not app.exception
    assert "<script>" not in " ".join(str(h.proto.body) for h in app.get("html"))


def test_empty_index_says_how_to_add_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSQA_INDEX_DIR", str(tmp_path / "nothing"))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "newsqa ingest" in app.error[0].value
