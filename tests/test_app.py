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


def test_llm_answers_stream_into_the_page_with_their_checks(sample_index: Path) -> None:
    from tests.llm_server import Reply, ScriptedLLM

    def reply(body: dict[str, object]) -> str:
        prompt = str(body["messages"][-1]["content"])  # type: ignore[index]
        number = next(
            line.split("]")[0].lstrip("[")
            for line in prompt.splitlines()
            if "4,200 residents had been evacuated" in line
        )
        return f"Officials said 4,200 residents were evacuated [{number}][77]."

    with ScriptedLLM([Reply(compute=reply)]) as server, pytest.MonkeyPatch.context() as env:
        env.setenv("NEWSQA_LLM_BASE_URL", server.url)
        env.setenv("NEWSQA_LLM_MODEL", server.model)
        env.setenv("NEWSQA_LLM_API_KEY", server.key)
        app = AppTest.from_file(APP, default_timeout=60).run()
        app.chat_input[0].set_value("How many residents were evacuated in Port Elara?").run()
    assert not app.exception
    assert any(t.value == "Officials said 4,200 residents were evacuated. [1]" for t in app.text)
    assert any("dropped marker" in c.value and "[77]" in c.value for c in app.caption)
    cited = " ".join(str(h.proto.body) for h in app.get("html"))
    assert "4,200 residents had been evacuated" in cited and "support" in cited
    assert server.key not in cited


def test_a_failing_model_shows_why_and_the_extractive_answer(sample_index: Path) -> None:
    from tests.helpers import free_port

    with pytest.MonkeyPatch.context() as env:
        env.setenv("NEWSQA_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
        env.setenv("NEWSQA_LLM_MAX_RETRIES", "0")
        app = AppTest.from_file(APP, default_timeout=60).run()
        app.chat_input[0].set_value("How many residents were evacuated in Port Elara?").run()
    assert not app.exception
    assert "cannot reach the model server" in app.warning[0].value
    assert any("[1]" in t.value for t in app.text)
