"""LLM answers whose every citation is checked before anyone sees it.

1. Evidence: the best retrieved sentences (one copy of each wire sentence) plus the neighbours
   of the best few, grouped by article under its title, outlet and date, numbered 1..M.
2. The model answers from them (`qa.prompts`), streamed.
3. The check: markers in any style are read (`qa.markers`); numbers that point at no evidence
   sentence, or at a sentence addressed to an AI (`qa.injection`: articles are data, never
   instructions), are dropped; each answer sentence is scored against what it cites
   (`qa.support`). A sentence whose citations do not support it is re-cited to the evidence
   sentence that does, or, when none does, marked "[unsupported]" or removed (setting
   `unsupported`). Citations are renumbered in order of first use; only cited ones are listed.
4. A reply that cannot be made trustworthy (empty, no markers, nothing supported, cut off,
   past the deadline) raises `LLMError`, and the caller answers extractively instead.

Streamed `Delta`s carry `unchecked=True`: they are the model's draft, to be shown as such until
the checked reply replaces them.

    answerer = LLMAnswerer(chat, store, SupportScorer(embedder), settings)
    for event in answerer.stream(question, ranked, today="2026-11-24"): ...
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qa import prompts
from qa.errors import LLMError
from qa.extractive import fold
from qa.injection import is_instruction
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
# Said when the model abstains although the offline answerer is confident (`qa.assistant`).
ABSTENTION_OVERRULED = (
    "the model replied that the articles don't say, but retrieval found the answer"
)

# An abstention is a short reply that says only that: "The articles don't say." A longer reply
# that mentions "not specified" along the way is an answer without markers.
ABSTENTION_MAX_WORDS = 30
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
# The words a line introducing a list may use without needing a source.
_FRAMING = frozenset(
    content_words(
        "here key points main what articles article summary answer details following know "
        "story question sources overview highlights"
    )
)
_MARKER_TEXT = re.compile(r"\s*\[\d+\]")
_DELIMITER = re.compile(r"<\s*/?\s*articles\s*>", re.I)


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
        # One deadline for the whole answer: retries, a trickling server and the check included.
        self.deadline = settings.llm_deadline

    # -- evidence ----------------------------------------------------------------------------

    def evidence(self, ranked: Sequence[Retrieved], *, limit: int) -> list[Evidence]:
        """The numbered sentences for the prompt, grouped by article, best article first."""
        picked: list[Retrieved] = []
        seen: set[str] = set()
        for found in ranked:
            folded = fold(found.text)
            if folded in seen or is_instruction(found.text):
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
            if not is_instruction(text):  # an index built before ingest cut them out
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
                lines.append(_quoted(header))
            lines.append(f"[{item.n}] {_quoted(item.found.text)}")
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
            reply = self.chat.complete(messages, max_tokens=80, deadline=self.deadline)
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
        ends = time.monotonic() + self.deadline
        while True:
            evidence = self.evidence(ranked, limit=limit)
            display = _StreamDisplay(evidence, cite)
            reply: list[str] = []
            try:
                for piece in self.chat.stream(
                    self.messages(question, evidence, today),
                    max_tokens=self.max_tokens,
                    deadline=max(0.0, ends - time.monotonic()),
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
            if _is_abstention(reply):
                return Checked(reply.strip(), [], [], abstained=True)
            raise LLMError("the model's reply cites no sentence at all", kind="no_markers")
        # Sentences addressed to an AI are never support, even in an index built before ingest
        # cut them out: a model that obeys one must not get the claim it asked for cited to it.
        hostile = {e.n for e in evidence if is_instruction(e.found.text)}
        by_number = {e.n: e for e in evidence if e.n not in hostile}
        citable = [e for e in evidence if e.n not in hostile]
        claims = split_claims(reply)
        self.scorer.prepare([c.text for c in claims] + [e.found.text for e in citable])
        repairs: list[Repair] = []
        kept: list[tuple[str, list[int], bool]] = []  # text, evidence numbers, new line
        supported_any = False
        for claim in claims:
            valid = [n for n in claim.cited if n in by_number]
            self._note_invalid(claim.text, claim.cited, hostile, len(evidence), repairs)
            if not valid and _is_connective(claim.text):
                kept.append((claim.text, [], claim.new_line))
                continue
            result = self._support(claim.text, [by_number[n] for n in valid])
            if result >= self.threshold:
                valid = self._trim_extra_citations(claim.text, valid, by_number, repairs)
                kept.append((claim.text, valid, claim.new_line))
                supported_any = True
                continue
            better, better_score = self._best_single(claim.text, citable)
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
            detail = self._unsupported_detail(
                claim.text, [by_number[n] for n in valid], max(result, better_score)
            )
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

    @staticmethod
    def _note_invalid(
        claim: str, cited: Sequence[int], hostile: set[int], count: int, repairs: list[Repair]
    ) -> None:
        invalid = [n for n in cited if n < 1 or n > count]
        if invalid:
            repairs.append(
                Repair(
                    "dropped_marker",
                    claim,
                    f"marker {_markers(invalid)} points at no evidence sentence "
                    f"(there are {count})",
                )
            )
        refused = [n for n in cited if n in hostile]
        if refused:
            repairs.append(
                Repair(
                    "dropped_marker",
                    claim,
                    f"sentence {_markers(refused)} is addressed to an AI, not reporting: it "
                    "supports nothing",
                )
            )

    def _unsupported_detail(self, claim: str, cited: Sequence[Evidence], best: float) -> str:
        detail = f"no retrieved sentence supports it (best support {best:.2f})"
        headers = list(dict.fromkeys(e.header for e in cited))
        missing = self.scorer.score(claim, [e.found.text for e in cited] or [""], headers).missing
        if missing and cited:
            detail += f"; the cited text does not state {', '.join(missing[:4])}"
        return detail

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
        # "[1][5]" where [5] is about something else: keep the sentence, drop [5]. A marker
        # stays only when its sentence supports the claim alone or the others need it.
        if len(cited) < 2:
            return cited
        scores = {n: self._support(claim, [by_number[n]]) for n in cited}
        keep = list(cited)
        for n in sorted(cited, key=lambda k: scores[k]):
            rest = [k for k in keep if k != n]
            if (
                scores[n] < self.threshold
                and rest
                and self._support(claim, [by_number[k] for k in rest]) >= self.threshold
            ):
                keep = rest
        dropped = [n for n in cited if n not in keep]
        if dropped:
            repairs.append(
                Repair(
                    "dropped_marker",
                    claim,
                    f"marker {_markers(dropped)} does not support the sentence "
                    f"(support {max(scores[n] for n in dropped):.2f}) and the others do",
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
    first use, markers that point at nothing dropped, a marker still being written held back.
    Nothing here is checked: every Delta says so (`unchecked`)."""

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
        return Delta(new, tuple(self._citations), unchecked=True)

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
    # "Here is what the articles say:" states nothing that needs a source; "Forty tanks
    # crossed the border:" does, colon or not.
    words = content_words(text)
    return not words or (bool(_CONNECTIVE.search(text)) and set(words) <= _FRAMING)


def _is_abstention(reply: str) -> bool:
    if prompts.NOT_IN_ARTICLES.lower() in reply.lower():
        return len(reply.split()) <= ABSTENTION_MAX_WORDS
    return len(reply.split()) <= ABSTENTION_MAX_WORDS and all(
        _ABSTAINS.search(claim.text) for claim in split_claims(reply)
    )


def _quoted(text: str) -> str:
    # An article must not close the quoted evidence and write outside it.
    return _DELIMITER.sub("[articles]", text)


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)
