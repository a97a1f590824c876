"""HTML article reader: metadata and main text from a page in hand (never fetched).

The pages are invented (The Harbour Daily, Port Elara); see fixtures/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.clean import clean_article_text
from qa.ingest.html import read_html
from qa.types import RawArticle

FIXTURES = Path(__file__).parent / "fixtures"
CANONICAL = "https://harbourdaily.example/news/2026/03/05/ferry-strike-elara"

PARAGRAPHS = [
    "Ferry crews on the Elara Island route walked out on Thursday morning, halting every "
    "crossing between the island and Port Elara for the first time in eleven years.",
    "The harbour authority said about 4,000 passengers a day use the service, including "
    "pupils, nurses and workers at the island's fish market.",
    "The crews' union said the strike was a response to new rosters that would add two night "
    'shifts a month without extra pay. "Nobody wanted this, but the company stopped '
    'listening," said union secretary Mara Kell.',
    "The ferry operator, Northwind Lines, said it regretted the disruption and had offered "
    "talks at the harbour office on Friday afternoon.",
    "Island shops reported that fresh bread and milk had run short by midday, and the island's "
    "only doctor asked residents to postpone routine appointments.",
    "The strike is due to last 48 hours. Northwind Lines said a water taxi would carry "
    "patients and emergency staff in the meantime.",
]
# Page furniture around the article: navigation, ads, related links, newsletter box, footer.
NOISE = [
    "Home",
    "Weather",
    "Opinion",
    "Advertisement",
    "Visit Elara Gardens",
    "Harbour council approves new ferry route",
    "Ferry fares to rise",
    "Sign up for our morning newsletter",
    "Share on Facebook",
    "About us",
    "Privacy policy",
    "All rights reserved",
    "©",
]


@pytest.fixture(scope="module")
def page() -> RawArticle:
    data = (FIXTURES / "harbour_daily.html").read_bytes()
    return read_html(data, origin="harbour_daily.html")


def test_metadata_is_read_from_the_page(page: RawArticle) -> None:
    assert page.origin == "harbour_daily.html"
    assert page.title == "Ferry strike halts crossings to Elara Island"
    assert page.author == "Ana Ruiz"
    assert page.published == "2026-03-05T14:30:00+00:00"  # as the page wrote it
    assert page.outlet == "The Harbour Daily"
    assert page.url == CANONICAL


def test_body_keeps_every_paragraph_on_its_own_line(page: RawArticle) -> None:
    lines = page.body.split("\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in lines
    assert "Talks planned" in lines  # the crosshead


@pytest.mark.parametrize("noise", NOISE)
def test_nav_footer_ads_and_boxes_are_not_in_the_clean_text(page: RawArticle, noise: str) -> None:
    cleaned = clean_article_text(page.body, title=page.title)
    assert noise not in cleaned.text


def test_clean_text_is_the_article(page: RawArticle) -> None:
    cleaned = clean_article_text(page.body, title=page.title)
    assert cleaned.text.split("\n\n") == [*PARAGRAPHS[:3], "Talks planned", *PARAGRAPHS[3:]]


def test_url_argument_is_the_fallback_and_base() -> None:
    html = (FIXTURES / "harbour_daily.html").read_text(encoding="utf-8")
    without = html.replace(f'<link rel="canonical" href="{CANONICAL}">', "").replace(
        f'<meta property="og:url" content="{CANONICAL}">', ""
    )
    fallback = "https://mirror.example/ferry"
    assert read_html(without, origin="p.html", url=fallback).url == fallback
    relative = html.replace(f'href="{CANONICAL}"', 'href="/news/ferry-strike"')
    relative = relative.replace(f'<meta property="og:url" content="{CANONICAL}">', "")
    raw = read_html(relative, origin="p.html", url="https://harbourdaily.example/x?id=1")
    assert raw.url == "https://harbourdaily.example/news/ferry-strike"


def _page(body: str, *, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head>'
        f"{head}<title>Night market reopens | Elara Evening Post</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Night market reopens</h1>{body}</article>"
        "<footer>© 2026 Elara Evening Post</footer></body></html>"
    )


STALLS = (
    "<p>The night market in Port Elara reopened on Friday after a winter of repairs, with "
    "forty stalls selling grilled fish, café pastries and island honey.</p>"
    "<p>Organisers said the new roof would keep the market open in the rain, and that entry "
    "would stay free for the rest of the year.</p>"
)


def test_cp1252_bytes_with_a_meta_charset() -> None:
    body = (
        "<p>Stallholders paid €12 a night for a pitch, and the café on the corner sold crêpes "
        "until “well past midnight”, its owner said.</p>" + STALLS
    )
    data = _page(body, head='<meta charset="windows-1252">').encode("cp1252")
    raw = read_html(data, origin="market.html")
    assert raw.body.split("\n")[1] == (
        "Stallholders paid €12 a night for a pitch, and the café on the corner sold crêpes "
        "until “well past midnight”, its owner said."
    )
    assert raw.title == "Night market reopens"


def test_latin1_http_equiv_charset_is_read_as_cp1252() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    data = _page(STALLS.replace("forty", "forty ‘new’"), head=head).encode("cp1252")
    raw = read_html(data, origin="market.html")
    assert "café pastries" in raw.body and "forty ‘new’ stalls" in raw.body


def test_utf8_bytes_without_a_declaration() -> None:
    raw = read_html(_page(STALLS).encode("utf-8"), origin="market.html")
    assert "café pastries" in raw.body


def test_visible_headline_wins_over_a_reworded_social_title() -> None:
    head = '<meta property="og:title" content="Elara market is back after repairs">'
    raw = read_html(_page(STALLS, head=head), origin="market.html")
    assert raw.title == "Night market reopens"
    assert raw.body.split("\n")[0] == "Night market reopens"  # the cleaner drops it as headline


def test_site_name_suffix_is_cut_from_the_title() -> None:
    html = _page(STALLS, head='<meta property="og:site_name" content="Elara Evening Post">')
    html = html.replace("<h1>Night market reopens</h1>", "")
    raw = read_html(html, origin="market.html")
    assert (raw.title, raw.outlet) == ("Night market reopens", "Elara Evening Post")


def test_publish_date_from_json_ld_is_kept_as_written() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2026-04-02T19:05:00+01:00", "headline": "Night market reopens"}'
        "</script>"
    )
    raw = read_html(_page(STALLS, head=head), origin="market.html")
    assert raw.published == "2026-04-02T19:05:00+01:00"


def test_page_without_metadata_still_gives_its_text() -> None:
    raw = read_html(f"<html><body><article>{STALLS}</article></body></html>", origin="m.html")
    assert raw.body.startswith("The night market in Port Elara reopened on Friday")
    assert raw.author is None and raw.url is None


def test_drop_cap_letter_goes_back_into_its_word() -> None:
    body = '<span class="dropcap">T</span><p>he night market reopened.</p>' + STALLS
    raw = read_html(_page(body), origin="market.html")
    assert raw.body.split("\n")[1] == "The night market reopened."


@pytest.mark.parametrize(
    "html",
    [
        (FIXTURES / "section_front.html").read_text(encoding="utf-8"),
        _page(""),
        _page("<p>Short.</p>"),
        "<html><body></body></html>",
        "",
        b"",
        "not a web page at all",
    ],
    ids=["section-front", "empty-article", "one-word", "empty-body", "empty", "no-bytes", "text"],
)
def test_page_without_article_text_is_a_value_error(html: str | bytes) -> None:
    with pytest.raises(ValueError) as error:
        read_html(html, origin="page.html")
    assert "\n" not in str(error.value) and str(error.value)
