"""The chat page's logic with Streamlit's AppTest (the real browser is in test_browser.py)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from qa import render
from qa.cli import main
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.feedback import FeedbackLog
from qa.ingest.pipeline import Ingestor
from qa.ingest.sources import KIND_BY_SUFFIX
from qa.store import Store
from qa.types import Outcome
from tests.helpers import article_file

# Page tests share one scan of the installed Streamlit components (conftest).
pytestmark = pytest.mark.usefixtures("streamlit_scan_once")

APP = str(Path(__file__).parent.parent / "app.py")
EVACUATED = "How many residents were evacuated in Port Elara?"


@pytest.fixture
def sample_index(sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSQA_INDEX_DIR", str(sample_copy))
    return sample_copy


def html_of(app: AppTest) -> str:
    return " ".join(str(h.proto.body) for h in app.get("html"))


def finish_addition(app: AppTest, timeout: float = 60.0) -> AppTest:
    """An addition runs on a thread of its own: wait for it, then draw its results (the page's
    own poll, a timed fragment, does not run under AppTest)."""
    deadline = time.monotonic() + timeout
    while "add_job" in app.session_state and not app.session_state.add_job["done"]:
        assert time.monotonic() < deadline, "the addition did not finish"
        time.sleep(0.1)
    app.run()
    assert "add_job" not in app.session_state
    return app


def ask(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception, app.exception
    return app


def test_chat_answers_with_chips_and_highlighted_sources(sample_index: Path) -> None:
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    page = html_of(app)
    assert '<a class="nq-chip" href="#nq-src-1-1"' in page
    assert 'class="nq-source" id="nq-src-1-1"' in page
    assert '<mark class="nq-hl">Ms. Whitcombe said 4,200 residents had been evacuated' in page
    assert [b.label for b in app.button if b.label == "Open article"]
    # How sure the answer is, on the answer itself.
    assert 'class="nq-confidence nq-conf-' in page


def test_follow_up_turns_keep_their_own_citations(sample_index: Path) -> None:
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    app = ask(app, "And how much damage did the mayor say the flood caused?")
    page = html_of(app)
    assert 'id="nq-src-1-1"' in page and 'id="nq-src-2-1"' in page
    assert 'href="#nq-src-2-1"' in page  # the second answer's chips point at its own sources


def test_a_reload_brings_the_conversation_back(sample_index: Path) -> None:
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    conversation_id = app.query_params["c"]
    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["c"] = conversation_id
    again.session_state["reader"] = app.session_state.reader  # the same browser's cookie
    again.run()
    assert not again.exception
    assert EVACUATED in [t.value for t in again.text]
    assert "4,200 residents had been evacuated" in html_of(again)


def test_a_link_to_an_id_nobody_saved_opens_a_new_conversation(sample_index: Path) -> None:
    # Conversation fixation: the attacker sends ?c=attacker0001, the victim asks there, the
    # attacker opens the same link. The page makes its own id instead of adopting that one.
    from qa.conversations import Conversations

    victim = AppTest.from_file(APP, default_timeout=60)
    victim.query_params["c"] = "attacker0001"
    ask(victim.run(), EVACUATED)
    made = victim.session_state.conversation_id
    assert made != "attacker0001" and len(made) == 32 and victim.query_params["c"] == made
    saved = Conversations(sample_index / "newsqa.sqlite3")
    assert saved.load("attacker0001") is None
    assert [a["question"] for a in saved.load(made) or []] == [EVACUATED]


def test_outlet_filter_applies_to_the_conversation(sample_index: Path) -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.multiselect[0].set_value(["Coastline Courier"]).run()
    page = html_of(ask(app, "How much damage did the flood cause?"))
    assert "Coastline Courier" in page and "Harbour Daily" not in page


def test_feedback_and_fixtures_are_stored_with_the_answer(sample_index: Path) -> None:
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    app.text_input(key="comment-1").set_value("right number").run()
    app.button(key="fixture-1").click().run()
    assert not app.exception
    (record,) = FeedbackLog(sample_index / "newsqa.sqlite3").records("fixture")
    assert record["question"] == EVACUATED and record["comment"] == "right number"
    assert "4,200" in record["answer"]["citations"][0]["sentence"]
    assert record["fixture"]["question"] == EVACUATED and record["fixture"]["expect"]["must_cite"]
    out = sample_index.parent / "from-page.yaml"
    exported = CliRunner().invoke(main, ["fixtures", "export", str(out)])
    assert exported.exit_code == 0 and "1 case(s) appended" in exported.output
    check = CliRunner().invoke(main, ["eval", str(out)])
    assert check.exit_code == 0, check.output


def test_abstention_is_clear_and_offers_related_reading(sample_index: Path) -> None:
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), "What is the capital of Mars?")
    assert "The indexed articles don" in html_of(app)
    assert "Related reading" in [c.value for c in app.caption]


def test_untrusted_article_text_renders_inert(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    hostile = article_file(
        tmp_path / "in",
        "hostile.txt",
        "Harbour <script>alert('title')</script> festival",
        [
            "The harbour festival drew <script>alert(1)</script> 9,000 visitors on Sunday.",
            "Organisers said [click here](javascript:alert(2)) to buy <img src=x onerror=alert(3)> "
            "tickets for the harbour festival.",
            "Festival wristbands carried the code " + "X" * 3000 + " printed in red.",
        ],
        outlet="<b>Bold</b> Outlet",
    )
    Ingestor(Settings(index_dir=index), embedder=embedder).ingest([str(hostile)])
    monkeypatch.setenv("NEWSQA_INDEX_DIR", str(index))
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), "How many visitors came?")
    app = ask(app, "What did organisers say about tickets for the harbour festival?")
    # The page's own script (the Copy button's) is the only one; article text stays text.
    page = html_of(app).replace(render._COPY_SCRIPT, "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<img" not in page and "<b>Bold" not in page
    assert 'href="javascript:' not in page and "&lt;img src=x onerror=alert(3)&gt;" in page


def test_empty_index_says_how_to_add_articles_and_offers_the_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSQA_INDEX_DIR", str(tmp_path / "nothing"))
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception
    assert "No articles yet" in app.info[0].value and "newsqa ingest" in app.info[0].value
    load = next(b for b in app.button if b.label == "Load the sample articles")
    load.click().run()
    assert not app.exception
    assert [m.value for m in app.metric][:1] == ["26"]


def test_the_upload_box_takes_exactly_the_files_ingest_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSQA_INDEX_DIR", str(tmp_path / "nothing"))
    app = AppTest.from_file(APP, default_timeout=120).run()
    (uploader,) = app.get("file_uploader")
    assert sorted(uploader.proto.type) == sorted(KIND_BY_SUFFIX)
    assert {".text", ".ndjson"} <= set(uploader.proto.type)  # missing from the page's old list
    assert "text/*" not in uploader.proto.type  # what a bare "text" would have asked for


def test_llm_answers_stream_into_the_page_with_their_checks(sample_index: Path) -> None:
    from tests.llm_server import Reply, ScriptedLLM

    def reply(body: dict[str, object]) -> str:
        prompt = str(body["messages"][-1]["content"])  # type: ignore[index]
        number = next(
            (
                line.split("]")[0].lstrip("[")
                for line in prompt.splitlines()
                if "4,200 residents had been evacuated" in line
            ),
            None,
        )
        if number is None:  # `doctor`'s one-token check
            return "OK"
        return f"Officials said 4,200 residents were evacuated [{number}][77]."

    with ScriptedLLM([Reply(compute=reply)]) as server, pytest.MonkeyPatch.context() as env:
        env.setenv("NEWSQA_LLM_BASE_URL", server.url)
        env.setenv("NEWSQA_LLM_MODEL", server.model)
        env.setenv("NEWSQA_LLM_API_KEY", server.key)
        app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
        assert app.radio[0].value == "Language model"
        assert any("Model ready" in c.value for c in app.caption)
    page = html_of(app)
    assert '<p>Officials said 4,200 residents were evacuated. <a class="nq-chip"' in page
    assert any("dropped marker" in c.value and "[77]" in c.value for c in app.caption)
    assert "4,200 residents had been evacuated" in page and "support" in page
    assert server.key not in page


def test_a_failing_model_shows_why_and_the_extractive_answer(sample_index: Path) -> None:
    from tests.helpers import free_port

    with pytest.MonkeyPatch.context() as env:
        env.setenv("NEWSQA_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
        env.setenv("NEWSQA_LLM_MAX_RETRIES", "0")
        app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    assert "cannot reach the model server" in app.warning[0].value
    assert 'class="nq-chip"' in html_of(app)


def test_export_is_offered_once_there_is_an_answer(sample_index: Path) -> None:
    from datetime import date

    from qa.export import conversation_markdown

    app = AppTest.from_file(APP, default_timeout=60).run()
    (button,) = app.get("download_button")
    assert button.proto.label == "Export as Markdown" and button.proto.disabled
    app = ask(app, EVACUATED)
    (button,) = app.get("download_button")
    assert not button.proto.disabled  # drawn after the answer: this turn is in the file
    text = conversation_markdown(app.session_state["answers"], today=date.today().isoformat())
    assert f"## Q1. {EVACUATED}" in text and "[^1.1]: \u201cMs. Whitcombe said 4,200" in text


def test_a_path_typed_in_the_url_box_is_refused_and_never_read(
    sample_index: Path, tmp_path: Path
) -> None:
    secret = article_file(tmp_path, "secret.txt", "Server secret", ["The server key is hunter2."])
    app = AppTest.from_file(APP, default_timeout=60).run()
    before = Store.open(sample_index / "newsqa.sqlite3").article_count()
    app.text_area[0].input(f"{secret}\nREADME.md")
    next(b for b in app.button if b.label == "Add articles").click().run()
    assert not app.exception, app.exception
    results = finish_addition(app).session_state.add_results
    assert [ok for _, ok, _ in results] == [False, False]
    assert all("upload widget" in message for _, _, message in results)
    assert Store.open(sample_index / "newsqa.sqlite3").article_count() == before


def test_a_question_asked_from_the_briefing_view_is_answered_in_the_chat(
    sample_index: Path,
) -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.radio(key="view").set_value("Briefing").run()
    app = ask(app, EVACUATED)
    assert app.radio(key="view").value == "Chat"
    assert [a.question for a in app.session_state.answers] == [EVACUATED]
    assert '<a class="nq-chip"' in html_of(app)


def test_briefings_are_saved_listed_reopened_and_deleted(sample_index: Path) -> None:
    app = AppTest.from_file(APP, default_timeout=90).run()
    app.radio(key="view").set_value("Briefing").run()
    for topic in ("Tarnov Pass border clash", "Port Elara flood"):
        app.text_input[0].set_value(topic)
        next(b for b in app.button if b.label == "Brief me").click().run()
        assert not app.exception, app.exception
    listed = [b for b in app.button if b.key and b.key.startswith("briefing-") and "·" in b.label]
    assert [b.label.split(" · ")[0] for b in listed] == ["Tarnov Pass border clash"]
    listed[0].click().run()
    assert app.session_state.briefing.topic == "Tarnov Pass border clash"
    app.button(key="briefing-delete").click().run()
    app.button(key="briefing-delete-confirm").click().run()
    labels = [b.label for b in app.button if b.key and b.key.startswith("briefing-")]
    assert not any("Tarnov" in label for label in labels)
    assert any("Port Elara flood" in label for label in labels)


def test_without_a_model_the_page_offers_no_model_mode_and_says_how_to_add_one(
    sample_index: Path,
) -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not [r for r in app.radio if r.label == "Answer mode"]
    assert any("NEWSQA_LLM_BASE_URL" in c.value for c in app.caption)


def test_sent_feedback_is_shown_again_after_a_reload(sample_index: Path) -> None:
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    conversation_id = app.session_state.conversation_id
    (answer,) = app.session_state.answers
    FeedbackLog(sample_index / "newsqa.sqlite3").save(
        answer.to_dict(), kind="feedback", rating=-1, comment="wrong street count"
    )
    reloaded = AppTest.from_file(APP, default_timeout=60)
    reloaded.query_params["c"] = conversation_id
    reloaded.session_state["reader"] = app.session_state.reader  # the same browser's cookie
    reloaded.run()
    assert not reloaded.exception, reloaded.exception
    assert reloaded.text_input(key="comment-1").value == "wrong street count"
    assert reloaded.session_state["rating-1"] == 0  # thumbs down


def test_the_article_count_follows_an_addition_at_once(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import serve

    monkeypatch.setenv("NEWSQA_PAGE_ALLOW_PRIVATE_URLS", "true")
    page = (
        b"<html><head><title>Ferry strike ends</title></head><body><article><p>"
        + b"The ferry strike ended on Friday after the union accepted a new pay offer. " * 4
        + b"</p></article></body></html>"
    )
    app = AppTest.from_file(APP, default_timeout=60).run()
    before = app.metric[0].value
    with serve({"/ferry": (200, "text/html", page)}) as base:
        app.text_area[0].input(f"{base}/ferry")
        next(b for b in app.button if b.label == "Add articles").click().run()
        finish_addition(app)
    assert not app.exception, app.exception
    assert [ok for _, ok, _ in app.session_state.add_results] == [True]
    assert int(app.metric[0].value.replace(",", "")) == int(before.replace(",", "")) + 1


def test_filters_and_view_live_in_the_link_and_come_back_with_it(sample_index: Path) -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    outlet = app.multiselect(key="outlets").options[0]
    app.multiselect(key="outlets").set_value([outlet]).run()
    assert outlet in app.query_params["outlets"]
    app = ask(app, EVACUATED)
    (answer,) = app.session_state.answers
    assert answer.filters == {"sources": [outlet]}
    assert f"Asked under filters: outlets {outlet}" in html_of(app)

    reloaded = AppTest.from_file(APP, default_timeout=60)
    reloaded.query_params["c"] = app.session_state.conversation_id
    reloaded.session_state["reader"] = app.session_state.reader
    reloaded.query_params["outlets"] = outlet
    reloaded.query_params["view"] = "Briefing"
    reloaded.run()
    assert not reloaded.exception, reloaded.exception
    assert reloaded.multiselect(key="outlets").value == [outlet]
    assert reloaded.radio(key="view").value == "Briefing"


def test_an_answer_can_be_copied_as_plain_text_and_its_question_edited_and_sent(
    sample_index: Path,
) -> None:
    app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    copy = next(h.proto.body for h in app.get("html") if "nq-copy" in h.proto.body)
    assert f"Q: {EVACUATED}" in copy and "Sources:" in copy and "[^1.1]" not in copy
    app.text_input(key="edit-1").set_value("How much damage did the mayor say the flood caused?")
    app.button(key="resend-1").click().run()
    assert not app.exception, app.exception
    assert [a.question for a in app.session_state.answers] == [
        EVACUATED, "How much damage did the mayor say the flood caused?",
    ]  # fmt: skip
    assert not [b for b in app.button if b.key == "regen-1"]  # offline answers: no regenerate


def test_earlier_conversations_are_listed_opened_renamed_and_deleted(sample_index: Path) -> None:
    from qa.conversations import Conversations

    app = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    first = app.session_state.conversation_id
    app.text_input(key=f"name-{first}").set_value("Flood evacuations")
    app.button(key="rename").click().run()
    next(b for b in app.button if b.label == "New conversation").click().run()
    assert app.session_state.conversation_id != first and app.session_state.answers == []
    listed = [b for b in app.button if b.key == f"conv-{first}"]
    assert listed and re.fullmatch(r"Flood evacuations · \d{4}-\d{2}-\d{2} \(1\)", listed[0].label)
    listed[0].click().run()
    assert app.session_state.conversation_id == first
    assert [a.question for a in app.session_state.answers] == [EVACUATED]
    app.button(key="delete").click().run()
    app.button(key="delete-cancel").click().run()  # asked first; kept
    assert app.session_state.conversation_id == first
    assert Conversations(sample_index / "newsqa.sqlite3").load(first) is not None
    app.button(key="delete").click().run()
    app.button(key="delete-confirm").click().run()
    assert app.session_state.conversation_id != first
    saved = Conversations(sample_index / "newsqa.sqlite3")
    assert saved.load(first) is None
    assert first not in [c.id for c in saved.recent(app.session_state.reader)]


def test_another_browser_neither_lists_nor_changes_a_readers_conversation(
    sample_index: Path,
) -> None:
    from qa.conversations import Conversations

    mine = ask(AppTest.from_file(APP, default_timeout=60).run(), EVACUATED)
    first, me = mine.session_state.conversation_id, mine.session_state.reader
    other = AppTest.from_file(APP, default_timeout=60).run()
    assert other.session_state.reader != me
    assert not [b for b in other.button if b.key == f"conv-{first}"]
    # Its id is private: from another browser it opens a new, empty conversation.
    other = AppTest.from_file(APP, default_timeout=60)
    other.query_params["c"] = first
    other.run()
    assert other.session_state.answers == [] and other.session_state.conversation_id != first
    # Shared explicitly, its link opens it read-only; a question continues it as a copy.
    mine.button(key="share").click().run()
    shown = [c.value for c in mine.code if "?share=" in c.value]
    assert len(shown) == 1 and "?share=" in shown[0]
    token = shown[0].rsplit("?share=", 1)[1]
    other = AppTest.from_file(APP, default_timeout=60)
    other.query_params["share"] = token
    other.run()
    assert [a.question for a in other.session_state.answers] == [EVACUATED]
    assert not [b for b in other.button if b.key in ("rename", "delete", "share")]
    ask(other, "How much damage did the mayor say the flood caused?")
    assert other.session_state.conversation_id != first
    assert "share" not in other.query_params
    assert other.query_params["c"] == other.session_state.conversation_id
    saved = Conversations(sample_index / "newsqa.sqlite3")
    assert [a["question"] for a in saved.load(first) or []] == [EVACUATED]
    assert [c.id for c in saved.recent(me)] == [first]
    # A made-up token opens nothing of anyone's.
    stranger = AppTest.from_file(APP, default_timeout=60)
    stranger.query_params["share"] = "0" * 32
    assert stranger.run().session_state.answers == []


def test_the_first_view_shows_the_stories_and_asks_an_example_in_one_click(
    sample_index: Path,
) -> None:
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception, app.exception
    assert "In this collection" in [h.value for h in app.subheader]
    assert any(m.value.startswith("Ask about the news in this collection") for m in app.markdown)
    examples = [b for b in app.button if b.key and b.key.startswith("example-")]
    assert len(examples) >= 5  # several stories, each with questions the collection answers
    assert any("Tarnov Pass" in m.value for m in app.markdown)
    question = examples[0].label
    examples[0].click().run()
    assert [a.question for a in app.session_state.answers] == [question]
    assert app.session_state.answers[0].outcome is Outcome.ANSWER
    assert "In this collection" not in [h.value for h in app.subheader]


def test_a_reopened_conversation_brings_back_its_own_filters(sample_index: Path) -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.multiselect(key="outlets").set_value(["Coastline Courier"]).run()
    first = ask(app, "How much damage did the flood cause?").session_state.conversation_id
    next(b for b in app.button if b.label == "New conversation").click().run()
    app.multiselect(key="outlets").set_value(["Harbour Daily"]).run()
    ask(app, EVACUATED)
    next(b for b in app.button if b.key == f"conv-{first}").click().run()
    assert app.session_state.conversation_id == first
    assert app.multiselect(key="outlets").value == ["Coastline Courier"]
    assert app.query_params["outlets"] == "Coastline Courier"


def test_an_admin_gives_roles_and_closes_a_collection_on_the_page(sample_index: Path) -> None:
    from qa.access_rules import AccessRules
    from qa.serving import Role

    store = Store.open(sample_index / "newsqa.sqlite3")
    elara = {a for a, _, _ in store.lexical_search("Port Elara", limit=200)}
    store.add_to_collection("metro", elara)
    store.take_out_of_collection("news", sorted(elara))  # in metro alone
    store.close()
    app = AppTest.from_file(APP, default_timeout=60).run()  # the local reader is its admin
    assert not app.exception, app.exception  # the first run too (the link's filters)
    assert [e for e in app.expander if e.label == "Manage access"]
    app.text_input(key="access-who").set_value("ben@example.org")
    app.selectbox(key="access-role-choice").set_value("editor")
    next(b for b in app.button if b.label == "Set role").click().run()
    assert not app.exception, app.exception
    app.selectbox(key="access-collection").set_value("metro").run()
    areas = [a for a in app.text_area if a.label.startswith("Readers")]
    areas[0].set_value("ana@example.org")
    next(b for b in app.button if b.label == "Save access").click().run()
    assert not app.exception, app.exception
    rules = AccessRules(sample_index / "newsqa.sqlite3")
    assert rules.roles() == {"ben@example.org": Role.EDITOR}
    assert rules.collections()["metro"].readers == ("ana@example.org",)
    # The admin still reads everything: the closed collection's answer reaches them.
    app = ask(app, EVACUATED)
    assert "4,200" in html_of(app)
