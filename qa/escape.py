"""Making untrusted text safe to show: article text and questions never become links, markup or
Markdown structure, nor terminal control. Shared by the HTML of `qa.render`, the Markdown of
`qa.export` and the CLI.

    md_escape("**loud** [x](javascript:alert(1))")   # shown literally
    safe_url("javascript:alert(1)") is None
    terminal_safe(title)                             # its BEL or U+202E shown as an escape
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
# Control characters but line breaks and tabs (BEL, ESC and its sequences, a carriage return
# that overwrites a line, C1), and the bidirectional controls that reorder what a terminal shows
# (U+202E makes "txt.exe" read "exe.txt").
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def md_escape(text: str) -> str:
    """Text that Markdown renders literally: no links, emphasis, HTML or headings from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_escape_keeping_space(text: str) -> str:
    """`md_escape` without folding white space: a model's list keeps its lines."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def terminal_safe(text: str) -> str:
    """Text for a terminal: each control character shown as its `\\uXXXX` escape. That is
    also JSON's escape for it, so a JSON line stays valid and means the same."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s); a `javascript:` or `data:` URL from an article is dropped."""
    if not url:
        return None
    scheme = urlparse(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


def date_span(first: str | None, last: str | None) -> str:
    """ "2026-03-04 to 2026-03-20", one date when they are the same or only one is known, and
    "undated" when neither is."""
    first, last = (first or "")[:10], (last or "")[:10]
    if first and last and first != last:
        return f"{first} to {last}"
    return first or last or "undated"
