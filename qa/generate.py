"""LLM answers whose every citation is checked before anyone sees it.

The parts, each usable alone: `qa.evidence` numbers the retrieved sentences and writes the
prompt, a `qa.llm.Chat` writes the reply, `qa.check` checks it against the evidence. This module
only joins them: it reads from the store what the evidence needs (neighbouring sentences,
article headers), streams the model's draft, and ends with the checked reply. A reply that
cannot be made trustworthy (empty, no markers, nothing supported, cut off, past the deadline)
raises `LLMError`, and the caller answers extractively instead; a reply cut off after some
finished sentences keeps those, checked, with a `cut_off` repair saying so.

Streamed `Delta`s carry `unchecked=True`: they are the model's draft, to be shown as such until
the checked reply replaces them.

    answerer = LLMAnswerer(chat, store, SupportScorer(embedder), settings.answering)
    for event in answerer.stream(question, ranked, today="2026-11-24"): ...
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from qa import evidence as numbering
from qa.check import Checked, check
from qa.cite import cite
from qa.errors import LLMError
from qa.evidence import Evidence
from qa.markers import complete_markers, open_marker_start
from qa.types import Citation, Delta, Repair, Retrieved

if TYPE_CHECKING:
    from qa.config import AnswerOptions
    from qa.llm import Chat
    from qa.store import ArticleReader
    from qa.support import SupportScorer

# Said when the model abstains although the offline answerer is confident (`qa.assistant`).
ABSTENTION_OVERRULED = (
    "the model replied that the articles don't say, but retrieval found the answer"
)
ABSTENTION_HELD = (
    "the model replied that the articles don't say, but the closest passages state what the "
    "question asks"
)


class LLMAnswerer:
    def __init__(
        self, chat: Chat, store: ArticleReader, scorer: SupportScorer, options: AnswerOptions
    ) -> None:
        self.chat = chat
        self.store = store
        self.scorer = scorer
        self.options = options

    def evidence(self, ranked: Sequence[Retrieved], *, limit: int) -> list[Evidence]:
        """The numbered sentences for the prompt, with what the store adds to them."""
        picked = numbering.pick(ranked, limit=limit)
        neighbours = self.store.sentence_texts(numbering.neighbour_keys(picked))
        headers = {
            article_id: numbering.header_of(self.store.article(article_id, with_sentences=False))
            for article_id in dict.fromkeys(r.article_id for r in picked)
        }
        return numbering.number(picked, neighbours, headers)

    def answer(
        self, question: str, ranked: Sequence[Retrieved], *, today: str, limit: int
    ) -> Checked:
        """The checked reply, written whole (briefings). Raises LLMError when it cannot be used."""
        evidence = self.evidence(ranked, limit=limit)
        reply = self.chat.complete(
            numbering.prompt(question, evidence, today),
            max_tokens=self.options.max_tokens,
            deadline=self.options.deadline,
        )
        return check(reply, evidence, self.scorer, self.options.check)

    def stream(
        self, question: str, ranked: Sequence[Retrieved], *, today: str
    ) -> Iterator[Delta | Checked]:
        """Deltas while the model writes, then the checked reply. Raises LLMError when the
        reply cannot be used."""
        limit = numbering.fitting_limit(
            ranked, context_tokens=self.options.context_tokens, max_tokens=self.options.max_tokens
        )
        ends = time.monotonic() + self.options.deadline
        while True:
            evidence = self.evidence(ranked, limit=limit)
            display = _StreamDisplay(evidence)
            citations: list[Citation] = []
            reply: list[str] = []
            try:
                for piece in self.chat.stream(
                    numbering.prompt(question, evidence, today),
                    max_tokens=self.options.max_tokens,
                    deadline=max(0.0, ends - time.monotonic()),
                ):
                    reply.append(piece)
                    shown = display.feed(piece)
                    if shown is not None:
                        text, cited = shown
                        citations += [
                            cite(self.store, n, e.found)
                            for n, e in enumerate(cited[len(citations) :], len(citations) + 1)
                        ]
                        yield Delta(text, tuple(citations), unchecked=True)
            except LLMError as exc:
                if exc.kind == "context" and limit > 1 and not reply:
                    limit //= 2  # the server's window is smaller than configured: less evidence
                    continue
                kept = _before_the_cut("".join(reply)) if exc.kind == "cut_off" else ""
                if not kept:
                    raise
                # The sentences finished before the cut are checked like any reply and kept,
                # marked as cut off; the sentence being written is dropped, never shown.
                checked = check(kept, evidence, self.scorer, self.options.check)
                dropped = "".join(reply)[len(kept) :].strip()
                note = Repair("cut_off", dropped, f"{exc}; the sentences before the cut are kept")
                yield replace(checked, repairs=(*checked.repairs, note))
                return
            break
        yield check("".join(reply), evidence, self.scorer, self.options.check)


_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?:\s*\[[\d,\s]+\])*(?=\s|$)")


def _before_the_cut(reply: str) -> str:
    """The reply up to the end of its last finished sentence, its markers included: "A [1]. B
    [2" -> "A [1]."; "" when no sentence was finished."""
    hold = open_marker_start(reply)
    finished = reply if hold is None else reply[:hold]
    ends = [m.end() for m in _SENTENCE_END.finditer(finished)]
    if hold is None and finished.rstrip() and ends and ends[-1] >= len(finished.rstrip()):
        return finished.rstrip()  # cut just after a finished sentence
    return finished[: ends[-1]] if ends else ""


class _StreamDisplay:
    """Turns the raw streamed reply into display text: complete markers renumbered in order of
    first use, markers that point at nothing dropped, a marker still being written held back.
    Nothing here is checked."""

    def __init__(self, evidence: Sequence[Evidence]) -> None:
        self._by_number = {e.n: e for e in evidence}
        self._raw = ""
        self._shown = ""
        self._order: list[int] = []

    def feed(self, piece: str) -> tuple[str, list[Evidence]] | None:
        """The text to add to the display and the evidence cited so far, in display order; None
        while nothing new can be shown."""
        self._raw += piece
        hold = open_marker_start(self._raw)
        ready = self._raw if hold is None else self._raw[:hold]
        rendered = self._render(ready)
        if not rendered.startswith(self._shown) or len(rendered) == len(self._shown):
            return None
        new = rendered[len(self._shown) :]
        self._shown = rendered
        return new, [self._by_number[n] for n in self._order]

    def _render(self, text: str) -> str:
        out, last = [], 0
        for start, end, numbers in complete_markers(text):
            out.append(text[last:start])
            leading = text[start:end][: len(text[start:end]) - len(text[start:end].lstrip())]
            known = [n for n in numbers if n in self._by_number]
            out.append(leading + "".join(f"[{self._number(n)}]" for n in known))
            last = end
        out.append(text[last:])
        return "".join(out)

    def _number(self, n: int) -> int:
        if n not in self._order:
            self._order.append(n)
        return self._order.index(n) + 1
