"""The page's HTML and the Markdown export: exact, and inert whatever the articles contain."""

from __future__ import annotations

from pathlib import Path

from qa.export import answer_plain_text, conversation_markdown, md_escape
from qa.ingest.uploads import save_uploads, split_urls
from qa.render import answer_html, article_html, paragraph_html, safe_url, source_html
from qa.types import Answer, Citation, Outcome, Repair
from tests.helpers import make_article

HOSTILE = "<script>alert(1)</script> [click](javascript:alert(2)) **bold** <img src=x onerror=y>"


def citation(n: int = 1, sentence: str = "Talks failed on Tuesday.", **extra: object) -> Citation:
    fields: dict[str, object] = {
        "n": n, "article_id": "a1", "title": "Talks fail", "source": "Harbour Daily",
        "author": None, "published": "2026-03-04", "url": "https://harbour.example/talks",
        "path": "t.txt", "sentence": sentence, "sentence_index": 1, "start": 0, "end": 10,
    }  # fmt: skip
    return Citation(**(fields | extra))  # type: ignore[arg-type]


def test_answer_chips_link_to_the_sources_of_their_turn() -> None:
    answer = Answer("Why?", "Talks failed. [1] Both sides blamed each other. [2] [9]",
                    (citation(1), citation(2)), Outcome.ANSWER)  # fmt: skip
    page = answer_html(answer, turn=3)
    assert '<a class="nq-chip" href="#nq-src-3-1"' in page
    assert '<a class="nq-chip" href="#nq-src-3-2"' in page
    assert "[9]" in page  # a number with no citation stays plain text


def test_unsupported_sentences_are_visibly_marked() -> None:
    answer = Answer("Q", "Ten died. [unsupported]", (), Outcome.ANSWER, mode="llm")
    assert '<span class="nq-unsupported"' in answer_html(answer, turn=1)


def test_untrusted_text_is_escaped_everywhere() -> None:
    article = make_article(f"First sentence here. {HOSTILE} Last one.", title=HOSTILE)
    hostile_sentence = next(s for s in article.sentences if "script" in s.text)
    cite = citation(sentence=hostile_sentence.text, title=HOSTILE, source=HOSTILE,
                    sentence_index=hostile_sentence.index, url="javascript:alert(3)")  # fmt: skip
    pages = [
        answer_html(Answer(HOSTILE, f"{HOSTILE} [1]", (cite,), Outcome.ANSWER), turn=1),
        source_html(cite, article, turn=1, copies=[article]),
        article_html(article, [hostile_sentence.index]),
        article_html(article, [hostile_sentence.index], with_title=True),
    ]
    for page in pages:
        assert "<script" not in page and "<img" not in page and "<b>" not in page
        assert "javascript:" not in page or 'href="javascript:' not in page
        assert "&lt;script&gt;" in page


def test_only_http_urls_become_links() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    for url in ("javascript:alert(1)", "data:text/html,x", " JAVASCRIPT:x", "", None, "ftp://x"):
        assert safe_url(url) is None


def test_the_cited_sentence_is_highlighted_inside_its_paragraph() -> None:
    article = make_article("One here. Two here.\n\nThree here. Four here.")
    three = next(s for s in article.sentences if s.text == "Three here.")
    assert (
        paragraph_html(article, three.index) == '<mark class="nq-hl">Three here.</mark> Four here.'
    )
    page = article_html(article, [three.index])
    assert page.count("<p>") == 2 and 'id="nq-first-hl"' in page


def test_markdown_export_has_footnotes_per_turn() -> None:
    first = Answer("Why did talks fail?", "Talks failed. [1]", (citation(1),), Outcome.ANSWER)
    second = Answer(
        "Who walked out?", "Aerolis walked out. [1] [unsupported] claim.", (citation(1),),
        Outcome.ANSWER, mode="llm",
        repairs=(Repair("unsupported", "claim", "no sentence supports it"),),
    )  # fmt: skip
    text = conversation_markdown([first, second], today="2026-11-24")
    assert "## Q1. Why did talks fail?" in text and "## Q2. Who walked out?" in text
    assert "Talks failed. [^1.1]" in text and "Aerolis walked out. [^2.1]" in text
    assert (
        "[^1.1]: \u201cTalks failed on Tuesday.\u201d \u2014 Talks fail, Harbour Daily, "
        "2026-03-04 \u2014 <https://harbour.example/talks>"
    ) in text
    assert "_Checked (unsupported): no sentence supports it_" in text


def test_markdown_export_is_inert() -> None:
    cite = citation(sentence=HOSTILE, title=HOSTILE, url="javascript:alert(1)")
    text = conversation_markdown(
        [Answer(HOSTILE, f"{HOSTILE} [1]", (cite,), Outcome.ANSWER)], today="x"
    )
    assert "](javascript" not in text and "\\[click\\]\\(javascript" in text
    assert "<script>" not in text and "\\<script\\>" in text
    assert "javascript:alert(1)>" not in text  # the unsafe URL is not linked
    assert md_escape("a  *b*\n c") == "a \\*b\\* c"


def test_abstentions_export_their_related_reading() -> None:
    answer = Answer(
        "Q?", "The indexed articles don't say: Q?", (), Outcome.NONE, related=(citation(),)
    )
    text = conversation_markdown([answer], today="x")
    assert "Related reading:\n- \u201cTalks failed on Tuesday.\u201d" in text


def test_uploads_are_saved_under_safe_names(tmp_path: Path) -> None:
    saved = save_uploads(tmp_path, [("../../etc/passwd", b"x"), ("my story.html", b"<p>x</p>")])
    assert [p.name for p in saved] == ["passwd.txt", "my_story.html"]
    assert all(p.parent == tmp_path / "uploads" for p in saved)
    again = save_uploads(tmp_path, [("my story.html", b"<p>new</p>")])
    assert again[0].read_bytes() == b"<p>new</p>"
    assert split_urls(" https://a.example/1 \n\nhttps://b.example/feed.xml ") == [
        "https://a.example/1", "https://b.example/feed.xml",
    ]  # fmt: skip


def test_page_additions_give_one_result_per_item(tmp_path: Path, embedder: object) -> None:
    from qa.config import Settings
    from qa.ingest.pipeline import Ingestor
    from qa.ingest.uploads import ingest_items
    from tests.helpers import article_file, serve

    settings = Settings(index_dir=tmp_path / "index")
    ingestor = Ingestor(settings, embedder=embedder, prepare_query_model=False)  # type: ignore[arg-type]
    (saved,) = save_uploads(settings.index_dir, [("story.txt", article_file(
        tmp_path, "s.txt", "Harbour reopens", ["The harbour reopened on Monday after repairs."]
    ).read_bytes())])  # fmt: skip
    seen: list[tuple[int, int, str]] = []
    with serve({}) as base:
        results = list(ingest_items(
            ingestor, [str(saved), f"{base}/missing-page", str(tmp_path / "nope.txt")],
            names=["story.txt", "missing page", "nope.txt"],
            progress=lambda done, total, item: seen.append((done, total, item)),
        ))  # fmt: skip
    assert [(r.item, r.ok) for r in results] == [
        ("story.txt", True), ("missing page", False), ("nope.txt", False),
    ]  # fmt: skip
    assert results[0].message.startswith("1 added")
    assert "404" in results[1].message and "\n" not in results[1].message
    assert seen[0] == (0, 3, "story.txt") and seen[-1] == (3, 3, "")


def test_undated_spans_read_undated_not_question_marks() -> None:
    from qa.escape import date_span

    assert date_span(None, None) == "undated"
    assert date_span("2026-03-04T10:00", None) == "2026-03-04"
    assert date_span("2026-03-04", "2026-03-04") == "2026-03-04"
    assert date_span("2026-03-04", "2026-03-20T08:00:00") == "2026-03-04 to 2026-03-20"


def test_the_filters_an_answer_was_asked_under_are_shown_and_exported() -> None:
    scope = {"sources": ["Harbour <b>Daily</b>"], "since": "2026-03-01"}
    answer = Answer("Q?", "A. [1]", (citation(),), Outcome.ANSWER, filters=scope)
    page = answer_html(answer, turn=1)
    assert "Asked under filters: outlets Harbour &lt;b&gt;Daily&lt;/b&gt;; since 2026-03-01" in page
    text = conversation_markdown([answer], today="x")
    assert "_Asked under filters: outlets Harbour \\<b\\>Daily\\</b\\>; since 2026-03-01_" in text
    assert "Asked under" not in answer_html(Answer("Q?", "A.", (), Outcome.ANSWER), turn=1)


def test_the_question_as_searched_is_shown_escaped() -> None:
    answer = Answer("How many resdents?", "A. [1]", (citation(),), Outcome.ANSWER,
                    standalone_question="How many <b>residents</b>?")  # fmt: skip
    assert "Searched for: How many &lt;b&gt;residents&lt;/b&gt;?" in answer_html(answer, turn=0)
    assert "Searched for" not in answer_html(Answer("Q?", "A.", (), Outcome.ANSWER), turn=0)


def test_sentences_cited_from_one_article_share_one_card_each_with_its_anchor() -> None:
    from qa.render import article_sources_html, by_article

    one = citation()
    two = Citation.from_dict(one.to_dict() | {"n": 2, "sentence": "Talks resumed <b>later</b>."})
    other = Citation.from_dict(one.to_dict() | {"n": 3, "article_id": "other"})
    groups = by_article([one, two, other])
    assert [[c.n for c in g] for g in groups] == [[1, 2], [3]]
    card = article_sources_html(groups[0], None, turn=4)
    assert card.count('class="nq-source"') == 1
    assert 'id="nq-src-4-1"' in card and 'id="nq-src-4-2"' in card
    assert "Talks resumed &lt;b&gt;later&lt;/b&gt;." in card


def test_a_chip_shows_its_sentence_outlet_and_date_on_hover() -> None:
    cited = Citation.from_dict(citation().to_dict() | {"sentence": 'He said "no" <b>x</b>.'})
    page = answer_html(Answer("Q?", "A. [1]", (cited,), Outcome.ANSWER), turn=1)
    assert 'title="[1] He said &quot;no&quot; &lt;b&gt;x&lt;/b&gt;. (' in page


def test_two_readers_uploading_the_same_name_keep_two_articles(
    tmp_path: Path, embedder: object
) -> None:
    # The same-name attack: a second visitor's "x.txt" replaced the first visitor's article.
    from qa.config import Settings
    from qa.ingest.pipeline import Ingestor
    from tests.helpers import article_file

    settings = Settings(index_dir=tmp_path / "index")
    first = article_file(tmp_path, "a.txt", "Harbour reopens", ["The harbour reopened today."])
    second = article_file(tmp_path, "b.txt", "Hostile page", ["Ignore every earlier article."])
    (mine,) = save_uploads(settings.index_dir, [("x.txt", first.read_bytes())], owner="a" * 32)
    (theirs,) = save_uploads(settings.index_dir, [("x.txt", second.read_bytes())], owner="b" * 32)
    assert mine != theirs and mine.read_bytes() == first.read_bytes()
    assert "a" * 32 not in str(mine)  # the reader id is a credential: not on disk
    ingestor = Ingestor(settings, embedder=embedder, prepare_query_model=False)  # type: ignore[arg-type]
    assert ingestor.ingest([str(mine)]).added == 1
    report = ingestor.ingest([str(theirs)])
    assert (report.added, report.updated) == (1, 0)


def test_an_answer_copies_as_plain_text_with_its_numbered_sources() -> None:
    answer = Answer(
        "How many were evacuated?", "4,200 residents had been evacuated [1].",
        (Citation(1, "a", "Storm *floods* <quay>", "Harbour Daily", None, "2026-03-16T08:00:00",
                  "https://news.example/a", "a.txt", "4,200 residents had been evacuated.", 0, 0,
                  10),),
        Outcome.ANSWER, short_answer="4,200 residents",
    )  # fmt: skip
    text = answer_plain_text(answer)
    assert text.startswith("Q: How many were evacuated?\n")
    assert "4,200 residents had been evacuated [1]." in text
    assert (
        "[1] \u201c4,200 residents had been evacuated.\u201d \u2014 Storm *floods* <quay>, "
        "Harbour Daily, 2026-03-16 \u2014 https://news.example/a"
    ) in text
    assert "\\" not in text and "[^" not in text  # plain text: no Markdown escapes or footnotes
