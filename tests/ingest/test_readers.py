import pytest

from qa.errors import InputError
from qa.ingest.feed import read_feed
from qa.ingest.jsonl import read_json_items
from qa.ingest.text import html_fragment_to_text, markdown_to_text, read_markdown, read_text
from qa.types import RawArticle

BODY = "Officials in Port Elara said the river rose overnight.\n\nSchools stayed closed."


def test_text_header_lines_fill_the_metadata() -> None:
    raw = read_text(
        "Title: River rises\nSource: Harbour Daily\nDate: 5 March 2026\n"
        "URL: https://hd.example/river\nAuthor: Ana Ruiz\n\n" + BODY,
        origin="river.txt",
    )
    assert (raw.title, raw.outlet, raw.published, raw.url, raw.author) == (
        "River rises", "Harbour Daily", "5 March 2026", "https://hd.example/river", "Ana Ruiz",
    )  # fmt: skip
    assert raw.body == BODY


def test_text_without_header_takes_the_first_line_as_headline() -> None:
    raw = read_text("\n\nRiver rises in Port Elara\n\n" + BODY, origin="river.txt")
    assert raw.title == "River rises in Port Elara"
    assert raw.body == BODY


def test_unknown_header_values_are_dropped() -> None:
    raw = read_text("Title: T\nURL: unknown\nDate: n/a\n\n" + BODY, origin="a.txt")
    assert raw.url is None and raw.published is None


def test_text_with_only_a_headline_is_an_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        read_text("Just a headline\n", origin="a.txt")


def test_markdown_front_matter_and_markup() -> None:
    raw = read_markdown(
        "---\ntitle: River rises\nsource: Harbour Daily\ndate: 2026-03-05\n"
        "author: [Ana Ruiz, Li Wei]\nurl: https://hd.example/r\n---\n"
        "The *river* rose, [officials](https://x.example) said.\nIt kept rising.\n\n"
        "## Schools\n\nSchools stayed `closed`.\n",
        origin="r.md",
    )
    assert raw.title == "River rises"
    assert raw.published == "2026-03-05"
    assert raw.author == "Ana Ruiz, Li Wei"
    assert (
        raw.body
        == "The river rose, officials said. It kept rising.\n\nSchools\n\nSchools stayed closed."
    )


def test_broken_front_matter_is_one_line_error() -> None:
    with pytest.raises(InputError, match="broken YAML front matter") as caught:
        read_markdown("---\ntitle: [unclosed\n---\nBody.\n", origin="bad.md")
    assert "\n" not in str(caught.value)


def test_markdown_to_text_keeps_link_text_only() -> None:
    assert markdown_to_text("See [the report](https://x.example/r).") == "See the report."


def test_markdown_javascript_link_stays_inert_text() -> None:
    # commonmark refuses javascript: links, so the markup survives as plain, harmless text
    assert "<a" not in markdown_to_text("See [it](javascript:alert(1)).")


def test_html_fragment_to_text_splits_blocks_and_drops_scripts() -> None:
    text = html_fragment_to_text("<p>One <b>bold</b>.</p><script>evil()</script><p>Two.</p>")
    assert text == "One bold.\n\nTwo."


JSONL = (
    '{"title": "A", "body": "<p>Alpha one.</p><p>Alpha two.</p>", "publishedAt": "2026-03-01",'
    ' "source": {"name": "Wire"}, "authors": ["X", "Y"], "link": "https://w.example/a"}\n'
    "{not json\n"
    '{"headline": "B", "content": "Bravo.", "date": "2026-03-02", "publisher": "Daily"}\n'
    '{"title": "C"}\n'
)


def test_jsonl_common_field_names_and_per_line_errors() -> None:
    items = list(read_json_items(JSONL, origin="feed.jsonl", jsonl=True))
    first, broken, second, empty = items
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    assert (first.title, first.outlet, first.author, first.published, first.url) == (
        "A", "Wire", "X, Y", "2026-03-01", "https://w.example/a",
    )  # fmt: skip
    assert first.body == "Alpha one.\n\nAlpha two."
    assert (second.title, second.outlet, second.body) == ("B", "Daily", "Bravo.")
    assert isinstance(broken, InputError) and str(broken).startswith("feed.jsonl:2: broken JSON")
    assert isinstance(empty, InputError) and "no article text" in str(empty)


def test_json_mapping_from_settings_wins() -> None:
    record = '[{"title": "A", "text": "wrong", "story_body": "Right text."}]'
    items = list(
        read_json_items(record, origin="a.json", jsonl=False, mapping={"text": "story_body"})
    )
    assert [i.body for i in items if isinstance(i, RawArticle)] == ["Right text."]


def test_json_wrapper_object_with_article_list() -> None:
    data = (
        '{"status": "ok", "articles": [{"title": "A", "content": "One."}, '
        '{"title": "B", "content": "Two."}]}'
    )
    items = list(read_json_items(data, origin="api.json", jsonl=False))
    assert [i.title for i in items if isinstance(i, RawArticle)] == ["A", "B"]


def test_broken_json_file_is_an_error() -> None:
    with pytest.raises(InputError, match="broken JSON"):
        list(read_json_items('{"title": ', origin="a.json", jsonl=False))


LONG = " ".join(["The council met again on Tuesday to discuss the river defences."] * 12)
RSS = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Daily</title><link>https://hd.example</link>
<item><title>Full item</title><link>https://hd.example/full</link><guid>hd-1</guid>
<pubDate>Tue, 10 Mar 2026 09:30:00 +0000</pubDate><author>ana@hd.example (Ana Ruiz)</author>
<content:encoded><![CDATA[<p>{LONG}</p><p>Second paragraph.</p>]]></content:encoded></item>
<item><title>Teaser item</title><link>https://hd.example/teaser</link><guid>hd-2</guid>
<description>Short teaser.</description></item>
</channel></rss>"""


def test_rss_items_follow_links_only_for_summaries() -> None:
    fetched: list[str] = []

    def read_page(url: str) -> RawArticle:
        fetched.append(url)
        return RawArticle(origin=url, body="Full page text.", url=url)

    items = list(read_feed(RSS.encode(), origin="hd.rss", read_page=read_page))
    assert fetched == ["https://hd.example/teaser"]
    full, teaser = items
    assert isinstance(full, RawArticle) and isinstance(teaser, RawArticle)
    assert full.outlet == "Harbour Daily" and full.item == "hd-1"
    assert full.published == "Tue, 10 Mar 2026 09:30:00 +0000"
    assert full.body.endswith("Second paragraph.")
    assert teaser.body == "Full page text." and teaser.title == "Teaser item"


def test_summary_kept_when_the_link_fails() -> None:
    def read_page(url: str) -> RawArticle:
        raise InputError(url, "cannot connect")

    warnings: list[InputError] = []
    items = list(
        read_feed(RSS.encode(), origin="hd.rss", read_page=read_page, on_warning=warnings.append)
    )
    assert isinstance(items[1], RawArticle) and items[1].body == "Short teaser."
    (warning,) = warnings
    assert warning.origin == "https://hd.example/teaser"
    assert "cannot connect" in warning.problem and "summary only" in warning.problem


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Ledger</title>
<entry><title>Atom one</title><id>urn:vl:1</id><link href="https://vl.example/1"/>
<published>2026-03-04T08:00:00Z</published><author><name>Li Wei</name></author>
<content type="html">&lt;p&gt;{body}&lt;/p&gt;</content></entry></feed>"""


def test_atom_entries() -> None:
    data = ATOM.format(body=LONG).encode()
    (item,) = list(read_feed(data, origin="vl.atom", read_page=None))
    assert isinstance(item, RawArticle)
    assert (item.title, item.author, item.outlet, item.url, item.item) == (
        "Atom one", "Li Wei", "Valley Ledger", "https://vl.example/1", "urn:vl:1",
    )  # fmt: skip


@pytest.mark.parametrize("data", [b"<rss><channel><item>", b"not a feed at all", b"<feed></feed>"])
def test_malformed_feed_is_one_line_error(data: bytes) -> None:
    with pytest.raises(InputError, match="not a readable RSS/Atom feed") as caught:
        list(read_feed(data, origin="bad.rss", read_page=None))
    assert "\n" not in str(caught.value)
