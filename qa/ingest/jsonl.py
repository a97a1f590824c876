"""JSON and JSON Lines articles with the field names news APIs and scrapers commonly use.

Our fields are title, text, url, published, outlet and author; each is looked up under the
names below (dotted names reach into objects, e.g. NewsAPI's `source.name`), after any mapping
given in the settings (`json_fields = {text = "story"}`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from qa.errors import InputError
from qa.ingest.text import html_fragment_to_text
from qa.types import RawArticle

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "article", "article_text", "maintext", "story"),
    "url": ("url", "link", "canonical_url", "permalink"),
    "published": (
        "published", "publishedAt", "published_at", "date", "pubDate", "datePublished",
        "date_publish", "created_at", "time",
    ),
    "outlet": ("source", "publisher", "outlet", "site_name", "source.name", "source.title"),
    "author": ("author", "authors", "byline", "creator"),
}  # fmt: skip

Item = RawArticle | InputError

TOO_DEEP = "JSON nested too deeply to read (arrays or objects about 1,000 levels deep)"
# A field value is read this many levels into nested lists and objects, no further: authors
# come as ["a", "b"] or [{"name": "a"}], never deeper.
_MAX_FIELD_DEPTH = 4


def read_json_items(
    text: str, *, origin: str, jsonl: bool, mapping: Mapping[str, str] | None = None
) -> Iterator[Item]:
    """Yield one RawArticle per record, or an InputError for a record that cannot be used."""
    records = _jsonl_records(text, origin) if jsonl else _json_records(text, origin)
    for item, record in records:
        if isinstance(record, InputError):
            yield record
        elif not isinstance(record, dict):
            yield InputError(f"{origin}#{item}", "a record is not a JSON object")
        else:
            yield _article(record, origin=origin, item=item, mapping=mapping or {})


def _jsonl_records(text: str, origin: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"line{number}", json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                f"line{number}",
                InputError(
                    f"{origin}:{number}", f"broken JSON line ({exc.msg} at column {exc.colno})"
                ),
            )
        except RecursionError:
            yield f"line{number}", InputError(f"{origin}:{number}", TOO_DEEP)


def _json_records(text: str, origin: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"broken JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        # Python's parser recurses once per level; no article needs anywhere near its limit.
        raise InputError(origin, TOO_DEEP) from None
    if isinstance(data, dict):
        # A single article, or a wrapper such as NewsAPI's {"articles": [...]}.
        listed = next((v for v in data.values() if isinstance(v, list) and v), None)
        data = listed if listed is not None and _find(data, "text", {}) is None else [data]
    if not isinstance(data, list):
        raise InputError(origin, "JSON holds neither an article object nor a list of them")
    for number, record in enumerate(data, start=1):
        yield f"item{number}", record


def _article(record: dict[str, Any], *, origin: str, item: str, mapping: Mapping[str, str]) -> Item:
    body = _find(record, "text", mapping)
    if not body:
        names = ", ".join(FIELD_NAMES["text"])
        return InputError(
            f"{origin}#{item}", f"no article text (looked for {names}; map yours with json_fields)"
        )
    return RawArticle(
        origin=origin,
        item=item,
        body=html_fragment_to_text(body),
        title=_find(record, "title", mapping),
        url=_find(record, "url", mapping),
        published=_find(record, "published", mapping),
        outlet=_find(record, "outlet", mapping),
        author=_find(record, "author", mapping),
    )


def _find(record: dict[str, Any], field: str, mapping: Mapping[str, str]) -> str | None:
    names = ((mapping[field],) if field in mapping else ()) + FIELD_NAMES[field]
    for name in names:
        value: Any = record
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        text = _as_text(value)
        if text:
            return text
    return None


def _as_text(value: Any, depth: int = 0) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if depth >= _MAX_FIELD_DEPTH:
        return None
    if isinstance(value, list):
        parts = [_as_text(v, depth + 1) for v in value]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        return _as_text(value.get("name"), depth + 1)
    return None
