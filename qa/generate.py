"""LLM answers whose every citation is checked before anyone sees it.

1. Evidence: the best retrieved sentences (one copy of each wire sentence) plus the neighbours
   of the best few, grouped by article under its title, outlet and date, numbered 1..M.
2. The model answers from them (`qa.prompts`), streamed.
3. The check: markers in any style are read (`qa.markers`); numbers that point at no evidence
   sentence are dropped; each answer sentence is scored against what it cites
   (`qa.support`). A sentence whose citations do not support it is re-cited to the evidence
   sentence that does, or, when none does, marked "[unsupported]" or removed (setting
   `unsupported`). Citations are renumbered in order of first use; only cited ones are listed.
4. A reply that cannot be made trustworthy (empty, no markers, nothing supported) raises
   `LLMError`, and the caller answers extractively instead.

    answerer = LLMAnswerer(chat, store, SupportScorer(embedder), settings)
    for event in answerer.stream(question, ranked, today="2026-11-24"): ...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qa import prompts
from qa.errors import LLMError
from qa.extractive import fold
from qa.markers import complete_markers, has_markers, open_marker_start, split_claims
from qa.support import SupportScorer, content_words
from qa.types import Citation, Delta, Repair, Retrieved

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.llm import ChatModel, Message
    from qa.store import Store

MAX_HISTORY_TURNS = 4
EVIDENCE_SENTENCES = 12  # retrieved sentences given to the model
WITH_NEIGHBOURS = 5  # ... the best of which also bring the sentence before and after
CHARS_PER_TOKEN = 3.5  # conservative for English news text with a BPE tokenizer
PROMPT_OVERHEAD_TOKENS = 450  # the system prompt with its example, and the framing
UNSUPPORTED_MARK = "[unsupported]"
# A sentence pinned to one of several citations only when the others add nothing to it.
EXTRA_CITATION_FLOOR = 0.2

_ABSTAINS = re.compile(
    r"\b(?:articles?|sentences?|evidence|sources?|text|context)\b[^.]{0,60}?\b(?:do not|don't|"
    r"does not|doesn't|did not|didn't)\s+(?:say|mention|state|answer|contain|provide|include|"
    r"specify|address|cover)"
    r"|\bno (?:information|mention|details?)\b"
    r"|\bnot (?:mentioned|stated|specified|provided|covered)\b"
    r"|\b(?:cannot|can't|can not|unable to) (?:answer|determine|find|tell)",
    re.I,
)
_CONNECTIVE = re.compile(r":\s*$")
_MARKER_TEXT = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class Evidence:
    """One numbered sentence the model may cite."""

    n: int
    found: Retrieved
    header: str  # its article's title, outlet and date, as the model saw them


@dataclass
class Checked:
    """A model's reply after the citation check."""

    text: str
    cited: list[Evidence]  # citation k is cited[k - 1]
    support: list[float]  # per citation
    repairs: list[Repair] = field(default_factory=list)
    abstained: bool = False


class LLMAnswerer:
    def __init__(
        self, chat: ChatModel, store: Store, scorer: SupportScorer, settings: Settings
    ) -> None:
        self.chat = chat
        self.store = store
        self.scorer = scorer
        self.threshold = settings.support_threshold
        self.remove_unsupported = settings.unsupported == "remove"
        self.max_tokens = settings.llm_max_tokens
        self.context_tokens = settings.llm_context_tokens

    # -- evidence ----------------------------------------------------------------------------

    def evidence(self, ranked: Sequence[Retrieved], *, limit: int) -> list[Evidence]:
        """The numbered sentences for the prompt, grouped by article, best article first."""
        picked: list[Retrieved] = []
        seen: set[str] = set()
        for found in ranked:
            folded = fold(found.text)
            if folded in seen:
                continue
            seen.add(folded)
            picked.append(found)
            if len(picked) == limit:
                break
        chosen = {(r.article_id, r.sentence_index): r for r in picked}
        around = [
            (r.article_id, r.sentence_index + step)
            for r in picked[:WITH_NEIGHBOURS]
            for step in (-1, 1)
            if r.sentence_index + step >= 0
        ]
        around = [key for key in around if key not in chosen]
        for key, text in self.store.sentence_texts(around).items():
            chosen.setdefault(key, Retrieved(key[0], key[1], text, 0.0))
        article_order = list(dict.fromkeys(r.article_id for r in picked))
        numbered: list[Evidence] = []
        for article_id in article_order:
            header = self._header(article_id)
            for key in sorted(k for k in chosen if k[0] == article_id):
                numbered.append(Evidence(len(numbered) + 1, chosen[key], header))
        return numbered

    def _header(self, article_id: str) -> str:
        article = self.store.article(article_id, with_sentences=False)
        if article is None:
            return prompts.ARTICLE_HEADER.format(title="?", outlet="?", published="undated")
        return prompts.ARTICLE_HEADER.format(
            title=(article.title or "untitled").replace('"', "'"),
            outlet=article.outlet or "unknown outlet",
            published=(article.published or article.published_raw or "undated")[:10],
        )

    def messages(self, question: str, evidence: Sequence[Evidence], today: str) -> list[Message]:
        lines: list[str] = []
        header = None
        for item in evidence:
            if item.header != header:
                header = item.header
                lines.append(header)
            lines.append(f"[{item.n}] {item.found.text}")
        user = prompts.ANSWER_USER.format(today=today, evidence="\n".join(lines), question=question)
        return [
            {"role": "system", "content": prompts.ANSWER_SYSTEM},
            {"role": "user", "content": user},
        ]

    def _fitting_limit(self, ranked: Sequence[Retrieved]) -> int:
        # Trim up front so that a small context window is not an error at all.
        budget = (self.context_tokens - self.max_tokens - PROMPT_OVERHEAD_TOKENS) * CHARS_PER_TOKEN
        limit, used = 0, 0.0
        for found in ranked[:EVIDENCE_SENTENCES]:
            used += (len(found.text) + 12) * (3 if limit < WITH_NEIGHBOURS else 1)
            if used > budget:
                break
            limit += 1
        return max(limit, 1)

    # -- answering ---------------------------------------------------------------------------

    def rewrite(self, question: str, history: Sequence[object]) -> str | None:
        """The follow-up as a standalone question, or None when the model's reply is unusable
        (the caller then uses the offline heuristic)."""
        turns = []
        for item in list(history)[-MAX_HISTORY_TURNS:]:
            asked = getattr(item, "question", item)
            turns.append(f"User: {asked}")
            answer_text = getattr(item, "text", None)
            if answer_text:
                said = _MARKER_TEXT.sub("", answer_text)[:400]
                turns.append(f"Assistant: {said}")
        messages: list[Message] = [
            {"role": "system", "content": prompts.REWRITE_SYSTEM},
            {
                "role": "user",
                "content": prompts.REWRITE_USER.format(history="\n".join(turns), question=question),
            },
        ]
        try:
            reply = self.chat.complete(messages, max_tokens=80)
        except LLMError:
            return None
        line = reply.strip().splitlines()[0].strip().strip('"') if reply.strip() else ""
        line = re.sub(r"^(?:standalone question:\s*)", "", line, flags=re.I)
        if not (3 <= len(line) <= 400) or not re.search(r"\w", line):
            return None
        return line

    def stream(
        self,
        question: str,
        ranked: Sequence[Retrieved],
        *,
        today: str,
        cite: Callable[[int, Retrieved], Citation],
    ) -> Iterator[Delta | Checked]:
        """Deltas while the model writes, then the checked reply. Raises LLMError when the
        reply cannot be used."""
        limit = self._fitting_limit(ranked)
        while True:
            evidence = self.evidence(ranked, limit=limit)
            display = _StreamDisplay(evidence, cite)
            reply: list[str] = []
            try:
                for piece in self.chat.stream(
                    self.messages(question, evidence, today), max_tokens=self.max_tokens
                ):
                    reply.append(piece)
                    delta = display.feed(piece)
                    if delta is not None:
                        yield delta
            except LLMError as exc:
                if exc.kind == "context" and limit > 1 and not reply:
                    limit //= 2  # the server's window is smaller than configured: less evidence
                    continue
                raise
            break
        yield self.check("".join(reply), evidence)

    def check(self, reply: str, evidence: Sequence[Evidence]) -> Checked:
        """The citation check and repair described in the module docstring."""
        if not reply.strip():
            raise LLMError("the model returned an empty reply", kind="empty")
        if not has_markers(reply):
            if _ABSTAINS.search(reply) or prompts.NOT_IN_ARTICLES.lower() in reply.lower():
                return Checked(reply.strip(), [], [], abstained=True)
            raise LLMError("the model's reply cites no sentence at all", kind="no_markers")
        by_number = {e.n: e for e in evidence}
        claims = split_claims(reply)
        self.scorer.prepare([c.text for c in claims] + [e.found.text for e in evidence])
        repairs: list[Repair] = []
        kept: list[tuple[str, list[int], bool]] = []  # text, evidence numbers, new line
        supported_any = False
        for claim in claims:
            valid = [n for n in claim.cited if n in by_number]
            invalid = [n for n in claim.cited if n not in by_number]
            if invalid:
                repairs.append(
                    Repair(
                        "dropped_marker",
                        claim.text,
                        f"marker {_markers(invalid)} points at no evidence sentence "
                        f"(there are {len(evidence)})",
                    )
                )
            if not valid and _is_connective(claim.text):
                kept.append((claim.text, [], claim.new_line))
                continue
            result = self._support(claim.text, [by_number[n] for n in valid])
            if result >= self.threshold:
                valid = self._trim_extra_citations(claim.text, valid, by_number, repairs)
                kept.append((claim.text, valid, claim.new_line))
                supported_any = True
                continue
            better, better_score = self._best_single(claim.text, evidence)
            if better is not None and better_score >= self.threshold:
                action = "recited" if valid else "uncited"
                was = f"cited {_markers(valid)}" if valid else "carried no marker"
                repairs.append(
                    Repair(
                        action,
                        claim.text,
                        f"{was} (support {result:.2f}); sentence [{better.n}] supports it "
                        f"(support {better_score:.2f})",
                    )
                )
                kept.append((claim.text, [better.n], claim.new_line))
                supported_any = True
                continue
            best = max(result, better_score)
            detail = f"no retrieved sentence supports it (best support {best:.2f})"
            missing = self.scorer.score(
                claim.text, [by_number[n].found.text for n in valid] or [""]
            ).missing
            if missing and valid:
                detail += f"; the cited text does not state {', '.join(missing[:4])}"
            if self.remove_unsupported:
                repairs.append(Repair("removed", claim.text, detail))
            else:
                repairs.append(Repair("unsupported", claim.text, detail))
                kept.append((f"{claim.text} {UNSUPPORTED_MARK}", [], claim.new_line))
        if not supported_any:
            raise LLMError(
                "none of the model's sentences is supported by the sentences it cites",
                kind="unsupported",
            )
        return self._renumber(kept, by_number, repairs)

    def _support(self, claim: str, cited: Sequence[Evidence]) -> float:
        if not cited:
            return 0.0
        headers = list(dict.fromkeys(e.header for e in cited))
        return self.scorer.score(claim, [e.found.text for e in cited], headers).score

    def _best_single(
        self, claim: str, evidence: Sequence[Evidence]
    ) -> tuple[Evidence | None, float]:
        best: Evidence | None = None
        best_score = 0.0
        for item in evidence:
            score = self._support(claim, [item])
            if score > best_score:
                best, best_score = item, score
        return best, best_score

    def _trim_extra_citations(
        self,
        claim: str,
        cited: list[int],
        by_number: dict[int, Evidence],
        repairs: list[Repair],
    ) -> list[int]:
        # "[1][5]" where [5] is about something else: keep the sentence, drop [5].
        if len(cited) < 2:
            return cited
        scores = {n: self._support(claim, [by_number[n]]) for n in cited}
        keep = [n for n in cited if scores[n] >= EXTRA_CITATION_FLOOR]
        if not keep or self._support(claim, [by_number[n] for n in keep]) < self.threshold:
            return cited
        dropped = [n for n in cited if n not in keep]
        if dropped:
            repairs.append(
                Repair(
                    "dropped_marker",
                    claim,
                    f"marker {_markers(dropped)} does not bear on the sentence "
                    f"(support {max(scores[n] for n in dropped):.2f})",
                )
            )
        return keep

    def _renumber(
        self,
        kept: list[tuple[str, list[int], bool]],
        by_number: dict[int, Evidence],
        repairs: list[Repair],
    ) -> Checked:
        order: list[int] = []
        for _, cited, _ in kept:
            order.extend(n for n in cited if n not in order)
        new_number = {n: k for k, n in enumerate(order, start=1)}
        parts: list[str] = []
        for text, cited, new_line in kept:
            markers = "".join(f"[{new_number[n]}]" for n in cited)
            sentence = f"{text} {markers}" if markers else text
            if parts:
                parts.append("\n" if new_line else " ")
            parts.append(sentence)
        support = []
        for n in order:
            claims_citing = [text for text, cited, _ in kept if n in cited]
            support.append(max(self._support(c, [by_number[n]]) for c in claims_citing))
        return Checked("".join(parts), [by_number[n] for n in order], support, repairs)


class _StreamDisplay:
    """Turns the raw streamed reply into display text: complete markers renumbered in order of
    first use, markers that point at nothing dropped, a marker still being written held back."""

    def __init__(self, evidence: Sequence[Evidence], cite: Callable[[int, Retrieved], Citation]):
        self._by_number = {e.n: e for e in evidence}
        self._cite = cite
        self._raw = ""
        self._shown = ""
        self._order: list[int] = []
        self._citations: list[Citation] = []

    def feed(self, piece: str) -> Delta | None:
        self._raw += piece
        hold = open_marker_start(self._raw)
        ready = self._raw if hold is None else self._raw[:hold]
        rendered = self._render(ready)
        if not rendered.startswith(self._shown) or len(rendered) == len(self._shown):
            return None
        new = rendered[len(self._shown) :]
        self._shown = rendered
        return Delta(new, tuple(self._citations))

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
            self._citations.append(self._cite(len(self._order), self._by_number[n].found))
        return self._order.index(n) + 1


def _is_connective(text: str) -> bool:
    # "Here is what the articles say:" states nothing that needs a source.
    return bool(_CONNECTIVE.search(text)) or not content_words(text)


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)
