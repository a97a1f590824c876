"""HTML for answers, sources and articles, built here so the page stays thin and the escaping is
tested in one place.

Article text and questions are untrusted: every piece of them passes through `html.escape`
before it is put in markup, links are only ever our own (`#` anchors, or an article URL whose
scheme is http or https), and long unbroken strings wrap instead of widening the page.

    answer_html(answer, turn=3)          # text with [n] as chips linking to the sources
    source_html(citation, article, turn=3, copies=[...])
    article_html(article, highlight={4, 7})
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from qa.escape import date_span, safe_url
from qa.markers import UNSUPPORTED_MARK
from qa.types import Answer, Article, Citation, Filters, Sentence

if TYPE_CHECKING:
    from qa.brief.types import Briefing

# Text takes the theme's own colour (dimmed with opacity, never a fixed grey), so the page reads
# in the light and the dark theme alike (WCAG AA, tested in the browser); only elements that set
# their own background set their own text colour.
CSS = """
<style>
.nq-answer, .nq-source, .nq-article { overflow-wrap: anywhere; word-break: break-word;
  line-height: 1.55; font-size: 1rem; }
.nq-answer p { margin: 0 0 .4em 0; white-space: pre-wrap; }
.nq-briefing h4 { margin: 1em 0 .3em 0; }
.nq-briefing .nq-basis { opacity: .78; font-size: .85em; }
a.nq-chip { display: inline-block; min-width: 1.3em; padding: 0 .35em; margin: 0 .1em;
  border-radius: .6em; background: #e8eef7; color: #1f4e8c; font-size: .78em;
  font-weight: 600; text-align: center; text-decoration: none; vertical-align: .15em;
  line-height: 1.45; }
a.nq-chip:hover, a.nq-chip:focus { background: #1f4e8c; color: #fff; }
.nq-unsupported { color: #9a3412; background: #fff1e6; border-radius: .3em; padding: 0 .3em;
  font-size: .8em; font-weight: 600; }
.nq-source { border-left: 3px solid #d5dde8; padding: .2em 0 .2em .8em; margin: 0 0 .8em 0;
  scroll-margin-top: 4rem; }
.nq-source:target { border-left-color: #1f4e8c; background: rgba(31, 78, 140, .1); }
.nq-source .nq-meta { opacity: .78; font-size: .86em; }
.nq-source .nq-title { font-weight: 600; }
.nq-source .nq-para { margin: .3em 0 0 0; font-size: .93em; }
.nq-source .nq-cited { margin: .4em 0 0 0; font-size: .93em; scroll-margin-top: 4rem; }
.nq-source .nq-num { font-weight: 600; }
.nq-source .nq-copies { opacity: .78; font-size: .82em; margin-top: .2em; }
.nq-confidence { display: inline-block; font-size: .8em; font-weight: 600; border-radius: .6em;
  padding: .05em .6em; margin-bottom: .35em; }
.nq-conf-answer { background: #e6f4ea; color: #1e6b34; }
.nq-conf-evidence { background: #fff4d6; color: #7a5200; }
.nq-conf-none { background: #eef0f3; color: #444; }
.nq-filters { opacity: .78; font-size: .8em; margin-bottom: .3em; }
mark.nq-hl { background: #fff3b0; color: #1a1a1a; padding: 0 .1em; border-radius: .2em; }
.nq-article p { margin: 0 0 .8em 0; }
.nq-article h3.nq-title { font-size: 1.3rem; margin: 0 0 .3em 0; }
.nq-article .nq-meta { opacity: .78; font-size: .88em; margin-bottom: .8em; }
.nq-copy textarea { position: absolute; left: -9999px; width: 1px; height: 1px; }
.nq-copy button { font: inherit; font-size: .9em; padding: .25em .9em; border-radius: .5em;
  border: 1px solid rgba(128, 128, 128, .45); background: transparent; color: inherit;
  cursor: pointer; }
.nq-copy button:hover, .nq-copy button:focus { border-color: #1f4e8c; }
@media (max-width: 480px) { .nq-answer, .nq-source, .nq-article { font-size: .95rem; } }
</style>
"""

_CHIP = re.compile(r"\[(\d+)\]")
_NEW_TAB = 'target="_blank" rel="noopener noreferrer"'


def anchor(turn: int | str, n: int) -> str:
    return f"nq-src-{turn}-{n}"


def answer_html(answer: Answer, *, turn: int) -> str:
    """The answer text, escaped, with each `[n]` a chip linking to source n of this turn."""
    known = {c.n for c in answer.citations}
    hover = {c.n: _hover(c) for c in answer.citations}
    paragraphs = []
    headline = answer.short_answer_line()
    lines = answer.text.split("\n")
    for number, line in enumerate([headline, *lines] if headline else lines):
        escaped = html.escape(line)
        escaped = escaped.replace(
            html.escape(UNSUPPORTED_MARK),
            '<span class="nq-unsupported" title="No article sentence supports this">'
            "unsupported</span>",
        )

        def chip(match: re.Match[str]) -> str:
            n = int(match.group(1))
            if n not in known:
                return match.group(0)
            # Hovering (or a long tap) shows the cited sentence with its outlet and date.
            return (
                f'<a class="nq-chip" href="#{anchor(turn, n)}" '
                f'title="{html.escape(hover[n])}" aria-label="Source {n}">{n}</a>'
            )

        body = _CHIP.sub(chip, escaped)
        # The short answer leads, in bold: what the cited sentences below state.
        lead = headline is not None and number == 0
        paragraphs.append(
            f'<p class="nq-short"><strong>{body}</strong></p>' if lead else f"<p>{body}</p>"
        )
    badge = (
        f'<div class="nq-confidence nq-conf-{html.escape(answer.outcome)}">'
        f"{html.escape(answer.confidence_label())}</div>"
    )
    scope = Filters.from_dict(answer.filters).describe()
    if scope:
        badge += f'<div class="nq-filters">Asked under filters: {html.escape(scope)}</div>'
    if answer.standalone_question:  # a follow-up made standalone, or typos corrected
        searched = html.escape(answer.standalone_question)
        badge += f'<div class="nq-filters">Searched for: {searched}</div>'
    return f'<div class="nq-answer">{badge}{"".join(paragraphs)}</div>'


def _hover(citation: Citation) -> str:
    sentence = (
        citation.sentence if len(citation.sentence) <= 300 else citation.sentence[:297] + "..."
    )
    where = f"{citation.source or 'unknown outlet'}, {(citation.published or 'undated')[:10]}"
    return f"[{citation.n}] {sentence} ({where})"


def article_sources_html(
    citations: Sequence[Citation],
    article: Article | None,
    *,
    turn: int | str,
    copies: Sequence[Article] = (),
) -> str:
    """One card for an article: its title, outlet and date once, then each sentence cited from it
    with its number, highlighted in its paragraph. Each number keeps its own anchor."""
    first = citations[0]
    card = source_html(first, article, turn=turn, copies=copies)
    more = "".join(
        f'<div class="nq-cited" id="{anchor(turn, c.n)}"><span class="nq-num">[{c.n}]</span> '
        + (
            paragraph_html(article, c.sentence_index)
            if article is not None
            else f'<mark class="nq-hl">{html.escape(c.sentence)}</mark>'
        )
        + "</div>"
        for c in citations[1:]
    )
    return card.removesuffix("</div>") + more + "</div>" if more else card


def by_article(citations: Sequence[Citation]) -> list[list[Citation]]:
    """Citations grouped by article, in the order each article is first cited."""
    groups: dict[str, list[Citation]] = {}
    for citation in citations:
        groups.setdefault(citation.article_id, []).append(citation)
    return list(groups.values())


def source_html(
    citation: Citation,
    article: Article | None,
    *,
    turn: int | str,
    copies: Sequence[Article] = (),
) -> str:
    """One numbered source: title, outlet, date, link, and the cited sentence highlighted inside
    its paragraph (or alone, when the article is gone)."""
    title = html.escape(citation.title or "(untitled)")
    url = safe_url(citation.url)
    if url:
        title = f'<a href="{html.escape(url)}" {_NEW_TAB}>{title}</a>'
    meta = " · ".join(
        html.escape(part)
        for part in (
            citation.source or "unknown outlet",
            (citation.published or "undated")[:10],
            f"support {citation.support:.2f}" if citation.support < 1.0 else "",
        )
        if part
    )
    paragraph = (
        paragraph_html(article, citation.sentence_index)
        if article is not None
        else f'<mark class="nq-hl">{html.escape(citation.sentence)}</mark>'
    )
    copies_html = ""
    if copies:
        listed = "; ".join(
            html.escape(f"{a.outlet or 'unknown outlet'} ({(a.published or 'undated')[:10]})")
            for a in copies
        )
        copies_html = f'<div class="nq-copies">Same sentence also in: {listed}</div>'
    return (
        f'<div class="nq-source" id="{anchor(turn, citation.n)}">'
        f'<span class="nq-title">[{citation.n}] {title}</span> '
        f'<span class="nq-meta">· {meta}</span>'
        f'<div class="nq-para">{paragraph}</div>{copies_html}</div>'
    )


def paragraph_html(article: Article, sentence_index: int) -> str:
    """The paragraph holding a sentence, the sentence highlighted, the rest plain."""
    target = next((s for s in article.sentences if s.index == sentence_index), None)
    if target is None:
        return ""
    parts = []
    previous = None
    for sentence in article.sentences:
        if sentence.paragraph != target.paragraph:
            continue
        text = html.escape(sentence.text)
        parts.append(_gap(article, previous, sentence))
        parts.append(f'<mark class="nq-hl">{text}</mark>' if sentence is target else text)
        previous = sentence
    return "".join(parts)


def _gap(article: Article, previous: Sentence | None, sentence: Sentence) -> str:
    # What separated two sentences in the text: a space, or nothing where an over-long run
    # without spaces was cut into citable pieces (a space there would change the word).
    if previous is None:
        return ""
    return " " if previous.end < sentence.start else ""


def article_html(article: Article, highlight: Iterable[int], *, with_title: bool = False) -> str:
    """The whole clean article by paragraph, the given sentences highlighted; the first
    highlighted one carries id="nq-first-hl" so it can be scrolled into view."""
    marked = set(highlight)
    first = min(marked) if marked else None
    meta = " · ".join(
        html.escape(part)
        for part in (
            article.outlet or "unknown outlet",
            (article.published or article.published_raw or "undated")[:10],
            article.author or "",
        )
        if part
    )
    url = safe_url(article.url)
    link = f' · <a href="{html.escape(url)}" {_NEW_TAB}>original</a>' if url else ""
    paragraphs: dict[int, list[str]] = {}
    last: dict[int, Sentence] = {}
    for sentence in article.sentences:
        text = html.escape(sentence.text)
        if sentence.index in marked:
            element_id = ' id="nq-first-hl"' if sentence.index == first else ""
            text = f'<mark class="nq-hl"{element_id}>{text}</mark>'
        parts = paragraphs.setdefault(sentence.paragraph, [])
        parts += [_gap(article, last.get(sentence.paragraph), sentence), text]
        last[sentence.paragraph] = sentence
    body = "".join(f"<p>{''.join(parts)}</p>" for parts in paragraphs.values())
    title = html.escape(article.title or "(untitled)")
    heading = f'<h3 class="nq-title">{title}</h3>' if with_title else ""
    return f'<div class="nq-article">{heading}<div class="nq-meta">{meta}{link}</div>{body}</div>'


def briefing_html(briefing: Briefing) -> str:
    """A briefing's sections, escaped, each line ending in a chip to its source (turn 'b')."""

    def chip(n: int) -> str:
        return f'<a class="nq-chip" href="#{anchor("b", n)}" aria-label="Source {n}">{n}</a>'

    def items(rows: Iterable[str]) -> str:
        joined = "".join(f"<li>{row}</li>" for row in rows)
        return f"<ul>{joined}</ul>" if joined else "<p>Nothing found.</p>"

    esc = html.escape
    parts = [f"<h3>Briefing: {esc(briefing.topic)}</h3>", f"<p>{briefing.articles} article(s).</p>"]
    parts += [f'<p class="nq-notice">{esc(n)}</p>' for n in briefing.notices]
    parts.append("<h4>Key points</h4>")
    parts.append(items(f"{esc(p.text)} {chip(p.cite)}" for p in briefing.key_points))
    parts.append("<h4>Timeline</h4>")
    parts.append(items(
        f"<b>{esc(e.date)}</b> <span class='nq-basis'>({esc(e.basis)})</span> {esc(e.text)} "
        f"{chip(e.cite)}"
        for e in briefing.timeline
    ))  # fmt: skip
    parts.append("<h4>Who's who</h4>")
    parts.append(items(
        f"<b>{esc(p.name)}</b>{', ' + esc(p.role) if p.role else ''}: {esc(p.statement)} "
        f"{chip(p.cite)}"
        for p in briefing.people
    ))  # fmt: skip
    parts.append("<h4>Accounts differ</h4>")
    parts.append(items(
        f"<b>{esc(d.about.capitalize())}</b> ({esc(d.kind)})"
        + items(f"{esc(c.who)}: {esc(c.text)} {chip(c.cite)}" for c in d.claims)
        for d in briefing.disagreements
    ))  # fmt: skip
    parts.append("<h4>What's new</h4>")
    if briefing.new_since is None:
        parts.append("<p>First briefing on this topic: everything is new.</p>")
    else:
        parts.append(f"<p>Since {esc(briefing.new_since)}:</p>")
        parts.append(items(f"{esc(p.text)} {chip(p.cite)}" for p in briefing.whats_new))
    parts.append("<h4>Sources</h4>")
    parts.append(items(
        f"{esc(s.outlet)}: {s.articles} article(s), {esc(date_span(s.first, s.last))}"
        for s in briefing.sources
    ))  # fmt: skip
    for group in briefing.wire:
        parts.append(f"<p>Wire copy: {esc(group.title or group.origin)}: "
                     f"{esc('; '.join(group.copies))}</p>")  # fmt: skip
    return f'<div class="nq-answer nq-briefing">{"".join(parts)}</div>'


# The text sits escaped in a hidden textarea and the button copies its value: nothing of the
# answer or its sources is ever written into the script. (The page's HTML sanitiser drops inline
# handlers such as onclick; a script binds each button once.) The Clipboard API needs a secure
# context (HTTPS or this machine); elsewhere the textarea is selected and copied the old way.
_COPY_SCRIPT = """<script>
document.querySelectorAll('.nq-copy:not([data-bound])').forEach(function (box) {
  box.setAttribute('data-bound', '1');
  var b = box.querySelector('button'), t = box.querySelector('textarea');
  b.addEventListener('click', function () {
    function done() { b.textContent = 'Copied';
                      setTimeout(function () { b.textContent = 'Copy'; }, 2000); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(t.value).then(done);
    } else { t.select(); document.execCommand('copy'); done(); }
  });
});
</script>"""


def copy_html(text: str, *, label: str = "Copy") -> str:
    """A button that copies `text` (plain text) to the clipboard (with its script: render it
    with JavaScript allowed)."""
    return (
        '<div class="nq-copy"><button type="button" '
        f'title="Copy the answer and its sources as plain text">{html.escape(label)}</button>'
        f'<textarea readonly aria-hidden="true" tabindex="-1">{html.escape(text)}</textarea></div>'
        + _COPY_SCRIPT
    )
