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
from typing import TYPE_CHECKING

from qa.escape import date_span, md_escape, md_escape_keeping_space, safe_url
from qa.types import Answer, Citation, Filters

if TYPE_CHECKING:
    from qa.brief.types import Briefing

_MARKER = re.compile(r"\[(\d+)\]")


def conversation_markdown(answers: Sequence[Answer], *, today: str, title: str = "") -> str:
    lines = [f"# {md_escape(title or 'newsqa conversation')}", "", f"Exported {today}.", ""]
    for turn, answer in enumerate(answers, start=1):
        lines += [f"## Q{turn}. {md_escape(answer.question)}", ""]
        headline = answer.short_answer_line()
        if headline:
            lines += [f"**{_with_footnotes(headline, answer, turn)}**", ""]
        lines.append(_answer_text(answer, turn))
        lines += ["", f"_How sure: {md_escape(answer.confidence_label())}_"]
        scope = Filters.from_dict(answer.filters).describe()
        if scope:
            lines += ["", f"_Asked under filters: {md_escape(scope)}_"]
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
    # A list the model wrote stays a list: lines are kept, each a paragraph of its own.
    return _with_footnotes(answer.text, answer, turn).replace("\n", "\n\n")


def _with_footnotes(text: str, answer: Answer, turn: int) -> str:
    """Text escaped for Markdown, its `[n]` markers as footnote references of this turn."""
    known = {c.n for c in answer.citations}
    pieces = []
    last = 0
    for match in _MARKER.finditer(text):
        pieces.append(md_escape_keeping_space(text[last : match.start()]))
        n = int(match.group(1))
        pieces.append(f"[^{turn}.{n}]" if n in known else md_escape(match.group(0)))
        last = match.end()
    pieces.append(md_escape_keeping_space(text[last:]))
    return "".join(pieces)


def answer_plain_text(answer: Answer) -> str:
    """One answer as plain text for the clipboard: the question, the short answer, the answer
    with its [n] markers, how sure it is, then each source numbered: sentence, title, outlet,
    date and link. No Markdown, no escapes: what a reader pastes into an e-mail or a story."""
    lines = [f"Q: {answer.question}", ""]
    headline = answer.short_answer_line()
    if headline:
        lines += [headline, ""]
    lines += [answer.text, "", f"How sure: {answer.confidence_label()}"]
    scope = Filters.from_dict(answer.filters).describe()
    if scope:
        lines.append(f"Asked under filters: {scope}")
    cited = answer.citations or (answer.related if answer.abstained else ())
    if cited:
        lines += ["", "Sources:" if answer.citations else "Related reading:"]
        for c in cited:
            where = ", ".join(
                [
                    c.title or "(untitled)",
                    c.source or "unknown outlet",
                    (c.published or "undated")[:10],
                ]
            )
            url = safe_url(c.url)
            lines.append(
                f"[{c.n}] \u201c{c.sentence}\u201d \u2014 {where}"
                + (f" \u2014 {url}" if url else "")
            )
    return "\n".join(lines).rstrip() + "\n"


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


def briefing_markdown(briefing: Briefing) -> str:
    def cite(n: int) -> str:
        return f"[^{n}]"

    lines = [f"# Briefing: {md_escape(briefing.topic)}", ""]
    scope = ", ".join(f"{k} {v}" for k, v in briefing.filters.items())
    lines.append(f"{briefing.articles} article(s){'; ' + md_escape(scope) if scope else ''}.")
    lines += [f"_{md_escape(n)}_" for n in briefing.notices]
    lines += ["", "## Key points", ""]
    lines += [f"- {md_escape(p.text)}{cite(p.cite)}" for p in briefing.key_points]
    lines += ["", "## Timeline", ""]
    lines += [f"- **{e.date}** ({md_escape(e.basis)}): {md_escape(e.text)}{cite(e.cite)}"
              for e in briefing.timeline]  # fmt: skip
    lines += ["", "## Who's who", ""]
    for person in briefing.people:
        role = f", {md_escape(person.role)}" if person.role else ""
        lines.append(f"- **{md_escape(person.name)}**{role}: {md_escape(person.statement)}"
                     f"{cite(person.cite)}")  # fmt: skip
    lines += ["", "## Accounts differ", ""]
    if not briefing.disagreements:
        lines.append("- No disagreement found between the articles.")
    for item in briefing.disagreements:
        lines.append(f"- **{md_escape(item.about.capitalize())}** ({item.kind}):")
        lines += [f"  - {md_escape(c.who)}: {md_escape(c.text)}{cite(c.cite)}" for c in item.claims]
    lines += ["", "## What's new", ""]
    if briefing.new_since is None:
        lines.append("- First briefing on this topic: everything is new.")
    elif not briefing.whats_new:
        lines.append(f"- Nothing published since {briefing.new_since}.")
    else:
        lines.append(f"Since {briefing.new_since}:")
        lines += [f"- {md_escape(p.text)}{cite(p.cite)}" for p in briefing.whats_new]
    lines += ["", "## Sources", ""]
    for line in briefing.sources:
        span = date_span(line.first, line.last)
        lines.append(f"- {md_escape(line.outlet)}: {line.articles} article(s), {span}")
    for group in briefing.wire:
        lines.append(f"- Wire copy of *{md_escape(group.title or group.origin)}*: "
                     f"{md_escape('; '.join(group.copies))}")  # fmt: skip
    lines.append("")
    lines += [f"[^{c.n}]: {source_line(c)}" for c in briefing.citations]
    return "\n".join(lines) + "\n"
