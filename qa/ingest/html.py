"""HTML article reader: one news web page in, one `RawArticle` out, with trafilatura.

Nothing is fetched here: the page must already be in hand (str or bytes). Bytes are decoded
from their BOM or `<meta charset>` first, because trafilatura's own guess ignores the
declaration and misreads short cp1252 pages.

Extraction options, chosen by measurement (`scripts/measure_cleaning.py --compare`: 30 real
news pages with 86 must-keep and 93 must-drop snippets, scored after `clean_article_text`):

* balanced mode (neither favor_precision nor favor_recall, and not `fast`): 84/86 kept,
  93/93 dropped. favor_precision lost a standfirst and an "Additional reporting by" line,
  favor_recall and fast each lost two paragraphs of another page (82/86 each); none dropped
  more boilerplate, because what balanced mode lets through is removed by the cleaner.
* include_comments=False: readers' comments are not the article (same scores either way).
* include_tables=True: same scores either way, and tables in news carry facts (results,
  figures) that questions are asked about.
* deduplicate=False: trafilatura's deduplication counts segments in a process-wide cache, so
  what a page yields would depend on the pages read before it (from the fourth read of one
  page its text changes); repeats inside one article are removed, and recorded, by the cleaner.
* no URL is passed to trafilatura (extraction does not need it; nothing is ever downloaded);
  the URL is the page's canonical link or og:url, made absolute against the caller's `url`,
  which is also the fallback.

Title: the <h1> the extracted body starts with (the visible headline; social titles often
reword it), else trafilatura's title without a " - Site Name" suffix. A page whose extracted
text has no sentence at all (a section front: menus and headline links) is a ValueError.

The publish date is kept as the page wrote it (`article:published_time` and similar meta tags,
then JSON-LD `datePublished`), falling back to trafilatura's normalised date.
"""

from __future__ import annotations

import codecs
import re
from typing import Any
from urllib.parse import urljoin, urlparse

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from qa.types import RawArticle

__all__ = ["read_html"]

_OPTIONS: dict[str, Any] = {
    "favor_precision": False,
    "favor_recall": False,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "with_metadata": True,
}
# Article text has at least one sentence of this many words; menus and link lists do not.
_MIN_SENTENCE_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")


def read_html(html: str | bytes, *, origin: str, url: str | None = None) -> RawArticle:
    """Extract the article of a news page; ValueError (one line) when it has no article text."""
    text = html if isinstance(html, str) else _decode(html)
    tree = load_html(text) if text.strip() else None
    if tree is None:
        raise ValueError("not an HTML page: no document could be parsed")
    published = _published_as_written(tree)
    canonical = _canonical(tree)
    headlines = _headlines(tree)
    _restore_drop_caps(tree)
    document = trafilatura.bare_extraction(tree, **_OPTIONS)
    body = _body(document.text) if isinstance(document, Document) else ""
    if not isinstance(document, Document) or not _has_article_text(body):
        raise ValueError("no article text found in the page (only navigation or none at all)")
    site = _clean(document.sitename)
    title = _title(_clean(document.title), headlines, body, site)
    page_url = canonical or _clean(document.url)
    return RawArticle(
        origin=origin,
        body=body,
        title=title,
        outlet=_outlet(site, title),
        author=_author(_clean(document.author)),
        published=published or _clean(document.date),
        url=_absolute(page_url, url),
    )


# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes) -> str:
    """BOM, then the declared charset, then UTF-8, cp1252, a detector; never raises."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    for candidate in (_declared_encoding(data[:4096]), "utf-8", "cp1252"):
        if candidate:
            try:
                return data.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name.startswith("utf-16"):  # a page read as ASCII bytes cannot really be UTF-16
        return None
    # As browsers do (WHATWG encoding standard): Latin-1 and ASCII labels mean windows-1252.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


# --------------------------------------------------------------------------- metadata

_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "published_time", "publishdate", "publish-date",
    "publish_date", "pubdate", "sailthru.date", "parsely-pub-date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date", "date",
)  # fmt: skip
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')


def _published_as_written(tree: HtmlElement) -> str | None:
    """The publish date string exactly as the page declares it, or None."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = (meta.get("content") or "").strip()
        if key in _DATE_META and value and key not in found:
            found[key] = value
    for key in _DATE_META:
        if key in found:
            return found[key]
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        match = _JSON_LD_DATE.search(script.text or "")
        if match:
            return match.group(1).strip()
    for element in tree.iterfind(".//*[@itemprop='datePublished']"):
        value = (element.get("datetime") or element.get("content") or "").strip()
        if value:
            return value
    return None


def _canonical(tree: HtmlElement) -> str | None:
    """`<link rel="canonical">`, else `og:url`, as written (possibly relative)."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return _clean(link.get("href"))
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name")) == "og:url" and meta.get("content"):
            return _clean(meta.get("content"))
    return None


def _absolute(page_url: str | None, url: str | None) -> str | None:
    """The page's own URL made absolute against the caller's; the caller's when it has none."""
    if not page_url:
        return url
    if urlparse(page_url).scheme in ("http", "https"):
        return page_url
    return urljoin(url, page_url) if url else None


def _headlines(tree: HtmlElement) -> list[str]:
    """Texts of the page's <h1> elements that could be a headline (three words or more)."""
    texts = (" ".join(h1.text_content().split()) for h1 in tree.iter("h1"))
    return [text for text in texts if text.count(" ") >= 2]


def _title(title: str | None, headlines: list[str], body: str, site: str | None) -> str | None:
    """The page's headline: the <h1> the body starts with (the visible headline, which social
    titles often reword), else trafilatura's title without a ' - Site Name' suffix unless it
    is missing or one word (a CMS name, say), else the first <h1>."""
    first_line = _fold(body.split("\n", 1)[0])
    for headline in headlines:
        if _fold(headline) == first_line:
            return headline
    if title and " " in title:
        return _without_site(title, site)
    return headlines[0] if headlines else title


_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ")


def _without_site(title: str, site: str | None) -> str:
    """'Story - The Daily Bugle' -> 'Story' when 'The Daily Bugle' is the site name."""
    if not site:
        return title
    for name in (site, site.split(" | ", 1)[0].strip()):
        if len(title) <= len(name) or title[-len(name) :].casefold() != name.casefold():
            continue
        head = title[: -len(name)]
        for separator in _TITLE_SEPARATORS:
            if head.endswith(separator) and head[: -len(separator)].strip():
                return head[: -len(separator)].strip()
    return title


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").casefold().split())


def _outlet(site: str | None, title: str | None) -> str | None:
    """trafilatura's site name, without a ' | tagline' and not when it is the article title."""
    if not site or (title and _fold(site) == _fold(title)):
        return None
    return site.split(" | ", 1)[0].strip() or None


_NO_AUTHOR = {"no author", "unknown", "anonymous", "admin", "administrator"}


def _author(author: str | None) -> str | None:
    return None if author is None or author.casefold() in _NO_AUTHOR else author


def _restore_drop_caps(tree: HtmlElement) -> None:
    """'<span class="dropcap">F</span><p>erry crews ...' -> '<p>Ferry crews ...': a
    lone capital letter styled before a paragraph that starts mid-word goes back into it."""
    for paragraph in tree.iter("p"):
        before = paragraph.getprevious()
        if before is None or len(before) or before.tag in ("p", "br"):
            continue
        letter = (before.text or "").strip()
        if len(letter) != 1 or not letter.isupper() or (before.tail or "").strip():
            continue
        holder = next((e for e in paragraph.iter() if e.text and e.text.strip()), None)
        if holder is None or not holder.text.lstrip()[:1].islower():
            continue
        if holder is not paragraph and (paragraph.text or "").strip():
            continue  # text before the first element: not a word split by a drop cap
        holder.text = letter + holder.text.lstrip()
        before.text = ""


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _has_article_text(body: str) -> bool:
    """Some line reads as a sentence (section fronts yield only menus and headline links)."""
    return any(
        line.count(" ") + 1 >= _MIN_SENTENCE_WORDS and _SENTENCE_END.search(line)
        for line in body.splitlines()
    )


def _body(text: str | None) -> str:
    """One paragraph per line, as trafilatura gives it, without blank or padded lines."""
    if not text:
        return ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
