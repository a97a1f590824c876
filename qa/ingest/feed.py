"""RSS and Atom feeds: one article per item, following the item's link when the feed carries
only a summary (most feeds do), so the article is the page's full text."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from qa.errors import InputError
from qa.ingest.text import html_fragment_to_text
from qa.types import RawArticle

# An item body shorter than this is a teaser; the page behind the link has the article.
SUMMARY_MAX_CHARS = 600

Item = RawArticle | InputError
PageReader = Callable[[str], RawArticle]
Warn = Callable[[InputError], None]


def looks_like_feed(head: bytes) -> bool:
    start = head[:2048].lower()
    return b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start


def read_feed(
    data: bytes, *, origin: str, read_page: PageReader | None, on_warning: Warn | None = None
) -> Iterator[Item]:
    """Yield the feed's articles; `read_page(url)` fetches an item's page (None: never fetch).

    An item whose page cannot be fetched is kept as its feed summary, and `on_warning` hears
    why (an InputError naming the link): a teaser stored in silence looks like a full article.
    """
    import feedparser

    parsed = feedparser.parse(data)
    entries = [e for e in parsed.entries if e.get("title") or e.get("link") or _entry_body(e)]
    if not entries:
        problem = parsed.get("bozo_exception")
        reason = str(problem).splitlines()[0] if problem else "no items"
        raise InputError(origin, f"not a readable RSS/Atom feed ({reason})")
    outlet = parsed.feed.get("title") or None
    taken: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        yield _item(
            entry, number, origin=origin, outlet=outlet, read_page=read_page,
            on_warning=on_warning or (lambda warning: None), taken=taken,
        )  # fmt: skip


def _item(
    entry: Any,
    number: int,
    *,
    origin: str,
    outlet: str | None,
    read_page: PageReader | None,
    on_warning: Warn,
    taken: set[str],
) -> Item:
    key = entry.get("id") or entry.get("link") or f"item{number}"
    if key in taken:
        # Items without ids sharing one link (a live page, a section front) are different
        # stories when their titles or texts differ: each keeps its own key, stable across
        # reruns, instead of the last replacing the others.
        seen = f"{entry.get('title') or ''}\x1f{_entry_body(entry)}"
        key = f"{key}#{hashlib.sha256(seen.encode()).hexdigest()[:10]}"
    taken.add(key)
    link = entry.get("link")
    body = _entry_body(entry)
    if len(body) < SUMMARY_MAX_CHARS and link and read_page is not None:
        try:
            page = read_page(link)
        except InputError as exc:
            if not body:
                return InputError(f"{origin}#{key}", f"summary only, and its link failed: {exc}")
            on_warning(
                InputError(
                    link,
                    f"{exc.problem}; item {key} of {origin} is stored as its "
                    f"{len(body)}-character feed summary only",
                )
            )
        else:
            return RawArticle(
                origin=origin, item=key, body=page.body,
                title=entry.get("title") or page.title, url=page.url or link,
                published=entry.get("published") or entry.get("updated") or page.published,
                outlet=outlet or page.outlet, author=entry.get("author") or page.author,
            )  # fmt: skip
    if not body:
        return InputError(f"{origin}#{key}", "the item has no text and no link to follow")
    return RawArticle(
        origin=origin, item=key, body=body, title=entry.get("title"), url=link,
        published=entry.get("published") or entry.get("updated"), outlet=outlet,
        author=entry.get("author"),
    )  # fmt: skip


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    longest = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "")
    return html_fragment_to_text(longest if len(longest) >= len(summary) else summary)
