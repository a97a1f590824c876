"""Plain-text and Markdown articles.

A .txt file may open with `Title:/Source:/Date:/URL:/Author:` header lines and a blank line; a
.md file may open with YAML front matter. Without either, the first line is the headline.
"""

from __future__ import annotations

import re
from typing import Any

from qa.errors import InputError
from qa.types import RawArticle

_HEADER = re.compile(
    r"^(title|headline|source|outlet|publisher|date|published|url|link|author|byline)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_FIELD_OF_HEADER = {
    "title": "title", "headline": "title", "source": "outlet", "outlet": "outlet",
    "publisher": "outlet", "date": "published", "published": "published", "url": "url",
    "link": "url", "author": "author", "byline": "author",
}  # fmt: skip
_UNKNOWN = {"", "unknown", "n/a", "na", "none", "null", "-"}
_HEADLINE_MAX = 300


def read_text(text: str, *, origin: str) -> RawArticle:
    """A .txt article: optional header block, else the first line is the headline."""
    lines = text.lstrip("\ufeff").splitlines()
    fields: dict[str, str] = {}
    body_start = 0
    for number, line in enumerate(lines):
        match = _HEADER.match(line.strip())
        if not match:
            body_start = number + 1 if not line.strip() and fields else number
            break
        fields.setdefault(_FIELD_OF_HEADER[match.group(1).lower()], match.group(2).strip())
    else:
        body_start = len(lines)
    body_lines = lines[body_start:]
    return _article(fields, body_lines, origin)


def read_markdown(text: str, *, origin: str) -> RawArticle:
    """A .md article: YAML front matter (title, source, date, url, author) and a Markdown body."""
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(text.lstrip("\ufeff"))
    except (yaml.YAMLError, ValueError) as exc:
        problem = str(exc).splitlines()[0]
        raise InputError(origin, f"broken YAML front matter: {problem}") from None
    fields = {
        _FIELD_OF_HEADER[key.lower()]: _scalar(value)
        for key, value in post.metadata.items()
        if key.lower() in _FIELD_OF_HEADER and value is not None
    }
    return _article(fields, markdown_to_text(post.content).splitlines(), origin)


def markdown_to_text(markdown: str) -> str:
    """Markdown to plain paragraphs (one per line), keeping link text and dropping markup."""
    from markdown_it import MarkdownIt

    paragraphs: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "inline" or not token.children:
            continue
        parts = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type == "softbreak":
                parts.append(" ")
            elif child.type == "hardbreak":
                parts.append("\n")
        paragraph = "".join(parts).strip()
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _article(fields: dict[str, str], body_lines: list[str], origin: str) -> RawArticle:
    fields = {k: v for k, v in fields.items() if v.strip().lower() not in _UNKNOWN}
    if "title" not in fields:
        # No header: the first non-blank line is the headline, when it is short enough to be one.
        while body_lines and not body_lines[0].strip():
            body_lines = body_lines[1:]
        if body_lines and len(body_lines[0].strip()) <= _HEADLINE_MAX:
            fields["title"] = body_lines[0].strip()
            body_lines = body_lines[1:]
    body = "\n".join(body_lines).strip()
    if not body:
        raise InputError(origin, "no article text after the headline")
    return RawArticle(
        origin=origin,
        body=body,
        title=fields.get("title"),
        outlet=fields.get("outlet"),
        author=fields.get("author"),
        published=fields.get("published"),
        url=fields.get("url"),
    )


def _scalar(value: Any) -> str:
    # YAML turns `date: 2026-03-04` into a date object and `author: [a, b]` into a list.
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}


def html_fragment_to_text(fragment: str) -> str:
    """An HTML snippet (a feed item's content, a JSON body) to paragraphs of plain text.

    Scripts and styles are dropped; every block element ends a paragraph.
    """
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on hopeless markup; fall back to no tags
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)
