"""The citation check: a model's reply and the numbered evidence it was given in, a reply whose
every citation supports what it is attached to out. No store and no language model; the
`SupportScorer` it is given runs the embedding model over the reply's sentences and the
evidence (`qa.support`).

Markers in any style are read (`qa.markers`); numbers that point at no evidence sentence, or at
a sentence addressed to an AI (`qa.injection`: articles are data, never instructions), are
dropped; each answer sentence is scored against what it cites (`qa.support`). A sentence whose
citations do not support it is re-cited to the evidence sentence that does, or, when none does,
marked "[unsupported]" or removed (`CheckPolicy.remove_unsupported`). Citations are renumbered
in order of first use; only cited ones are listed. A reply that cannot be made trustworthy
(empty, no markers, nothing supported) raises `LLMError`.

    checked = check(reply, evidence, SupportScorer(embedder), CheckPolicy(threshold=0.5))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from qa import prompts
from qa.config import CheckPolicy
from qa.errors import LLMError
from qa.evidence import Evidence
from qa.injection import is_instruction
from qa.markers import UNSUPPORTED_MARK, has_markers, split_claims
from qa.support import SupportScorer, content_words
from qa.types import Repair

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


@dataclass(frozen=True)
class Checked:
    """A model's reply after the citation check."""

    text: str
    cited: tuple[Evidence, ...]  # citation k is cited[k - 1]
    support: tuple[float, ...]  # per citation
    repairs: tuple[Repair, ...] = field(default=())
    abstained: bool = False


def check(
    reply: str, evidence: Sequence[Evidence], scorer: SupportScorer, policy: CheckPolicy
) -> Checked:
    """The check and repair described in the module docstring."""
    return _Checker(scorer, policy).check(reply, evidence)


class _Checker:
    def __init__(self, scorer: SupportScorer, policy: CheckPolicy) -> None:
        self.scorer = scorer
        self.threshold = policy.threshold
        self.remove_unsupported = policy.remove_unsupported

    def check(self, reply: str, evidence: Sequence[Evidence]) -> Checked:
        if not reply.strip():
            raise LLMError("the model returned an empty reply", kind="empty")
        if not has_markers(reply):
            if is_abstention(reply):
                return Checked(reply.strip(), (), (), abstained=True)
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
            _note_invalid(claim.text, claim.cited, hostile, len(evidence), repairs)
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
        return Checked(
            "".join(parts), tuple(by_number[n] for n in order), tuple(support), tuple(repairs)
        )


def _note_invalid(
    claim: str, cited: Sequence[int], hostile: set[int], count: int, repairs: list[Repair]
) -> None:
    invalid = [n for n in cited if n < 1 or n > count]
    if invalid:
        repairs.append(
            Repair(
                "dropped_marker",
                claim,
                f"marker {_markers(invalid)} points at no evidence sentence (there are {count})",
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


def _is_connective(text: str) -> bool:
    # "Here is what the articles say:" states nothing that needs a source; "Forty tanks
    # crossed the border:" does, colon or not.
    words = content_words(text)
    return not words or (bool(_CONNECTIVE.search(text)) and set(words) <= _FRAMING)


def is_abstention(reply: str) -> bool:
    """The reply says only that the articles don't answer."""
    if prompts.NOT_IN_ARTICLES.lower() in reply.lower():
        return len(reply.split()) <= ABSTENTION_MAX_WORDS
    return len(reply.split()) <= ABSTENTION_MAX_WORDS and all(
        _ABSTAINS.search(claim.text) for claim in split_claims(reply)
    )


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)
