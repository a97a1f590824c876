"""From a reader's `RawArticle` to a stored `Article`: clean, hash, split into sentences."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

from qa.errors import InputError
from qa.ingest.clean import clean_article_text
from qa.ingest.dates import parse_published
from qa.ingest.sentences import split_sentences
from qa.types import Article, RawArticle, RemovedText, Sentence

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


def content_hash(raw: RawArticle) -> str:
    """Hash of the headline and the body as read, whitespace folded.

    Taken before boilerplate cleaning, so better cleaning rules do not change article ids;
    identical articles from two files or outlets get one id (and one stored copy).
    """
    title = " ".join((raw.title or "").split())
    body = " ".join(raw.body.split())
    return hashlib.sha256(f"{title}\x1f{body}".encode()).hexdigest()


def build_article(raw: RawArticle) -> Article:
    """Clean and split one article; InputError when nothing citable is left."""
    raw = without_surrogates(raw)
    origin = raw.origin if raw.item is None else f"{raw.origin}#{raw.item}"
    cleaned = clean_article_text(raw.body, title=raw.title)
    if not cleaned.text.strip():
        raise InputError(origin, "nothing left once page boilerplate is removed")
    digest = content_hash(raw)
    article_id = digest[:16]
    paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(cleaned.text)]
    sentences = tuple(
        Sentence(
            article_id=article_id,
            index=index,
            start=start,
            end=end,
            text=cleaned.text[start:end],
            paragraph=bisect.bisect_right(paragraph_starts, start) - 1,
        )
        for index, (start, end) in enumerate(split_sentences(cleaned.text))
    )
    return Article(
        id=article_id,
        title=raw.title,
        outlet=raw.outlet or _outlet_from_url(raw.url),
        author=raw.author,
        published=parse_published(raw.published),
        published_raw=raw.published,
        url=raw.url,
        origin=raw.origin,
        item=raw.item,
        content_hash=digest,
        text=cleaned.text,
        sentences=sentences,
        removed=raw.removed + cleaned.removed,
    )


def without_surrogates(raw: RawArticle) -> RawArticle:
    """`raw` with every lone surrogate as U+FFFD.

    JSON may escape half a UTF-16 pair ("\\ud800"), which Python decodes to a str that no
    UTF-8 encoder (hashing, SQLite, the page) accepts; the character was garbage anyway.
    """
    fields: dict[str, Any] = {
        name: _SURROGATE.sub("\ufffd", value)
        for name in ("origin", "body", "title", "outlet", "author", "published", "url", "item")
        if isinstance(value := getattr(raw, name), str) and _SURROGATE.search(value)
    }
    if any(_SURROGATE.search(piece.text) for piece in raw.removed):
        fields["removed"] = tuple(
            RemovedText(_SURROGATE.sub("\ufffd", r.text), r.reason) for r in raw.removed
        )
    return replace(raw, **fields) if fields else raw


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None
