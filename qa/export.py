"""A conversation as Markdown with footnote citations, for a journalist's notes.

Each answer's `[n]` becomes a footnote `[^t.n]` (turn t, so numbers stay unique across the
conversation); each footnote quotes the cited sentence with its title, outlet, date and URL.
Article text is untrusted: Markdown syntax in it is escaped, so an article cannot inject links
(`[x](javascript:...)`), images or HTML into the notes it is pasted into.

    markdown = conversation_markdown(answers, today="2026-11-24")
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.render import safe_url
from qa.types import Answer, Citation

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_MARKER = re.compile(r"\[(\d+)\]")


def md_escape(text: str) -> str:
    """Text that Markdown renders literally: no links, emphasis, HTML or headings from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def conversation_markdown(answers: Sequence[Answer], *, today: str, title: str = "") -> str:
    lines = [f"# {md_escape(title or 'newsqa conversation')}", "", f"Exported {today}.", ""]
    for turn, answer in enumerate(answers, start=1):
        lines += [f"## Q{turn}. {md_escape(answer.question)}", ""]
        lines.append(_answer_text(answer, turn))
        lines += ["", f"_How sure: {md_escape(answer.confidence_label())}_"]
        if answer.fallback_reason:
            lines += ["", f"_Model answer not used: {md_escape(answer.fallback_reason)}_"]
        for repair in answer.repairs:
            action = repair.action.replace("_", " ")
            lines += ["", f"_Checked ({action}): {md_escape(repair.detail)}_"]
        if answer.abstained and answer.related:
            lines += ["", "Related reading:"]
            lines += [f"- {source_line(c)}" for c in answer.related]
        if answer.citations:
            lines.append("")
            lines += [f"[^{turn}.{c.n}]: {source_line(c)}" for c in answer.citations]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _answer_text(answer: Answer, turn: int) -> str:
    known = {c.n for c in answer.citations}
    pieces = []
    last = 0
    for match in _MARKER.finditer(answer.text):
        pieces.append(_escape_keeping_space(answer.text[last : match.start()]))
        n = int(match.group(1))
        pieces.append(f"[^{turn}.{n}]" if n in known else md_escape(match.group(0)))
        last = match.end()
    pieces.append(_escape_keeping_space(answer.text[last:]))
    # A list the model wrote stays a list: lines are kept, each a paragraph of its own.
    return "".join(pieces).replace("\n", "\n\n")


def _escape_keeping_space(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def source_line(citation: Citation) -> str:
    parts = [f"\u201c{md_escape(citation.sentence)}\u201d"]
    parts.append(
        ", ".join(
            md_escape(p)
            for p in (
                citation.title or "(untitled)",
                citation.source or "unknown outlet",
                (citation.published or "undated")[:10],
            )
        )
    )
    url = safe_url(citation.url)
    if url:
        parts.append(f"<{url.replace('>', '%3E').replace(' ', '%20')}>")
    if citation.also_in:
        parts.append(f"(also in {len(citation.also_in)} other article(s))")
    return " \u2014 ".join(parts)
