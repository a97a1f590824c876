"""Plain data passed between the stages of newsqa.

Data flows one way: a reader yields `RawArticle`s, cleaning and splitting turn each into an
`Article` with `Sentence`s (character offsets into the clean text), the store keeps them.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# How an answer is written: from the article sentences alone, or by the configured model.
Mode = Literal["extractive", "llm"]


@dataclass(frozen=True)
class RawArticle:
    """One article as a reader found it, before cleaning.

    `origin` is the path or URL exactly as it was given to `ingest` (or the file a directory walk
    found); `item` names the article inside a multi-article container (a JSON line, a feed entry).
    """

    origin: str
    body: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # the date string as the source wrote it
    url: str | None = None
    item: str | None = None
    # Text a reader already knows is boilerplate (e.g. what HTML extraction dropped is not
    # included; this is for readers that separate e.g. a feed's summary from its body).
    removed: tuple[RemovedText, ...] = ()


@dataclass(frozen=True)
class RemovedText:
    """A piece of page noise cut from an article: kept for inspection, never indexed or cited."""

    text: str
    # caption, credit, loading, teaser, advertisement, prompt, copyright, navigation,
    # headline, duplicate or instruction (a sentence addressed to an AI: `qa.injection`)
    reason: str


@dataclass(frozen=True)
class CleanedText:
    """Article body after boilerplate removal: paragraphs joined by a blank line."""

    text: str
    removed: tuple[RemovedText, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """One citable sentence: `article.text[start:end] == text`."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0

    @property
    def address(self) -> str:
        return f"{self.article_id}:{self.index}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Article:
    """A cleaned, split article: the unit the store keeps and citations point into."""

    id: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None  # ISO 8601 when the source date could be parsed
    published_raw: str | None
    url: str | None
    origin: str
    content_hash: str
    text: str
    sentences: tuple[Sentence, ...] = ()
    removed: tuple[RemovedText, ...] = ()
    item: str | None = None
    sources: tuple[str, ...] = field(default=())  # every origin that carried this exact article

    def to_dict(self, *, with_sentences: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not with_sentences:
            data.pop("sentences")
        return data


@dataclass(frozen=True)
class Retrieved:
    """A sentence retrieval found for a question, with the scores that ranked it."""

    article_id: str
    sentence_index: int
    text: str
    score: float
    dense: float = 0.0  # cosine between the question and the sentence's vector
    lexical: float = 0.0  # BM25, scaled to the best lexical hit of this question (0..1)

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "sentence": self.text, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Citation:
    """One cited sentence, numbered in order of first use in the answer."""

    n: int
    article_id: str
    title: str | None
    source: str | None  # the outlet
    author: str | None
    published: str | None
    url: str | None
    path: str | None  # the file path or URL exactly as given to `ingest`
    sentence: str
    sentence_index: int
    start: int
    end: int
    also_in: tuple[str, ...] = ()  # other articles carrying the same sentence (wire copies)
    # How well this sentence supports the answer sentence(s) citing it, 0..1. An extractive
    # answer quotes the sentence itself: 1.0.
    support: float = 1.0

    @property
    def carriers(self) -> set[str]:
        """The articles that carry this sentence: its own and its wire copies."""
        return {self.article_id, *self.also_in}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["also_in"] = list(self.also_in)
        data["support"] = round(self.support, 3)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        fields = {k: v for k, v in data.items() if k in _CITATION_FIELDS}
        fields["also_in"] = tuple(fields.get("also_in") or ())
        return cls(**fields)


@dataclass(frozen=True)
class Repair:
    """One change the citation check made to a model's answer, and why.

    `action` is one of: dropped_marker (pointed at no evidence sentence), recited (the claim is
    supported by another retrieved sentence than the one cited), unsupported (no retrieved
    sentence supports it: marked in the text), removed (the same, with the sentence taken out),
    uncited (the sentence carried no marker), cut_off (the reply stopped mid-sentence: the
    finished sentences before the cut are kept, `sentence` is the unfinished one, dropped).
    """

    action: str
    sentence: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Outcome(enum.StrEnum):
    """How sure an answer is. The value is what the JSON contract writes as `"confidence"`.

    answer.outcome is Outcome.EVIDENCE
    """

    ANSWER = "answer"  # the cited sentences answer it
    EVIDENCE = "evidence"  # not sure: the closest passages, offered as such
    NONE = "none"  # the articles don't say: abstained


@dataclass(frozen=True)
class Agreement:
    """A short answer's value and the citations (numbers, as in the answer) that state it."""

    value: str
    citations: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "citations": list(self.citations)}


@dataclass(frozen=True)
class Answer:
    """An answer with `[n]` markers in `text` that point at `citations[n - 1]`, and how sure it
    is (`outcome`; `abstained` is `Outcome.NONE`)."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    outcome: Outcome
    mode: Mode = "extractive"
    retrieved: tuple[Retrieved, ...] = ()
    related: tuple[Citation, ...] = ()  # closest passages offered when abstaining
    timings_ms: dict[str, float] = field(default_factory=dict)
    # The question as searched, when not as asked: a follow-up made standalone, typos corrected.
    standalone_question: str | None = None
    repairs: tuple[Repair, ...] = ()  # what the citation check changed in a model's answer
    # Why an LLM answer was not used and this extractive one was given instead (one line).
    fallback_reason: str | None = None
    # The calibrated probability that the first cited sentence answers the question.
    probability: float | None = None
    # The filters it was asked under (outlets, dates, articles), as `Filters.to_dict()` gives them.
    filters: dict[str, Any] = field(default_factory=dict)
    # The value asked for, read from the cited sentences' claims ("4,200 residents"); None when
    # none is bound to the question. `agreement` has every value found, this one first, with
    # the citations stating it; `conflict` is True when different articles give different ones.
    short_answer: str | None = None
    agreement: tuple[Agreement, ...] = ()
    conflict: bool = False

    @property
    def abstained(self) -> bool:
        """The articles don't say: no answer, only related reading."""
        return self.outcome is Outcome.NONE

    def short_answer_line(self) -> str | None:
        """The short answer as a reader sees it first, with the markers of the citations that
        state it: "4,200 residents (2 outlets agree) [1][2]", or, when sources give different
        values, "Sources differ: three (Valdoria Times) [1]; five (Coast Post) [2]"."""
        if self.short_answer is None or not self.agreement:
            return None
        sources = {c.n: c.source or c.title or "an article" for c in self.citations}

        def outlets(group: Agreement) -> list[str]:
            return list(dict.fromkeys(sources.get(n, "an article") for n in group.citations))

        def markers(group: Agreement) -> str:
            return "".join(f"[{n}]" for n in group.citations)

        if self.conflict:
            parts = [f"{a.value} ({', '.join(outlets(a))}) {markers(a)}" for a in self.agreement]
            return "Sources differ: " + "; ".join(parts)
        lead = self.agreement[0]
        stated_by = [c for c in self.citations if c.n in lead.citations]
        agree = ""
        if len(outlets(lead)) > 1:
            agree = f" ({len(outlets(lead))} outlets agree)"
        elif (reports := stories(stated_by)) > 1:
            agree = f" ({reports} {outlets(lead)[0]} reports agree)"
        return f"{self.short_answer}{agree} {markers(lead)}"

    def confidence_label(self) -> str:
        """How sure the answer is, in a reader's words: "Answer (confidence 82%)"."""
        percent = "" if self.probability is None else f" (confidence {self.probability:.0%})"
        if self.outcome is Outcome.EVIDENCE:
            return f"Not sure: these passages may answer it{percent}"
        if self.outcome is Outcome.NONE:
            return "The articles don't say"
        if self.conflict:  # sure the sources answer it, not which of them is right
            return f"Answer; sources differ{percent}"
        return f"Answer{percent}"

    def to_dict(self) -> dict[str, Any]:
        """The `newsqa ask --json` contract (see README): change only on purpose, with a test."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [r.to_dict() for r in self.retrieved],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "repairs": [r.to_dict() for r in self.repairs],
            "fallback_reason": self.fallback_reason,
            "related": [c.to_dict() for c in self.related],
            "standalone_question": self.standalone_question,
            "confidence": self.outcome.value,
            "probability": None if self.probability is None else round(self.probability, 3),
            "filters": dict(self.filters),
            "short_answer": self.short_answer,
            "agreement": [a.to_dict() for a in self.agreement],
            "conflict": self.conflict,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """An answer saved with `to_dict` (a conversation's history), citations and all."""
        return cls(
            question=data["question"],
            text=data["answer"],
            citations=tuple(Citation.from_dict(c) for c in data.get("citations", ())),
            outcome=_outcome(data),
            mode=data.get("mode", "extractive"),
            retrieved=tuple(
                Retrieved(r["article_id"], -1, r["sentence"], r["score"])
                for r in data.get("retrieved", ())
            ),
            related=tuple(Citation.from_dict(c) for c in data.get("related", ())),
            timings_ms=dict(data.get("timings_ms", {})),
            standalone_question=data.get("standalone_question"),
            repairs=tuple(Repair(**r) for r in data.get("repairs", ())),
            fallback_reason=data.get("fallback_reason"),
            probability=data.get("probability"),
            filters=dict(data.get("filters") or {}),
            short_answer=data.get("short_answer"),
            agreement=tuple(
                Agreement(a["value"], tuple(a["citations"])) for a in data.get("agreement", ())
            ),
            conflict=bool(data.get("conflict", False)),
        )


def stories(citations: Sequence[Citation]) -> int:
    """How many independent reports the citations come from: wire copies of one story (a
    citation's `also_in`) count once."""
    seen: list[set[str]] = []
    for citation in citations:
        if not any(citation.carriers & story for story in seen):
            seen.append(citation.carriers)
    return len(seen)


def _outcome(data: dict[str, Any]) -> Outcome:
    # `abstained` decides when set: answers saved before the outcome was one field could
    # say "abstained": true beside the default "confidence": "answer".
    if data["abstained"]:
        return Outcome.NONE
    return Outcome(data.get("confidence", Outcome.ANSWER))


@dataclass(frozen=True)
class Delta:
    """A streamed piece of an answer: new text (markers already numbered for display) and the
    provisional citation list so far. The final `Answer` replaces both.

    `unchecked` is True for a model's draft, written before the citation check: show it visibly
    as unchecked (greyed, labelled) and replace it with the Answer's text, never keep it."""

    text: str
    citations: tuple[Citation, ...] = ()
    unchecked: bool = False


_CITATION_FIELDS = frozenset(Citation.__dataclass_fields__)


@dataclass(frozen=True)
class Filters:
    """Which articles a question may be answered from. Empty means all.

    `sources` are outlet names as stored; `since`/`until` are ISO dates, inclusive, compared
    with the publish date (an undated article is excluded once a date bound is set).
    """

    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    article_ids: tuple[str, ...] = ()
    # Named sets of articles (`qa.access`); retrieval reads them as the articles they hold.
    collections: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.sources or self.since or self.until or self.article_ids or self.collections
        )

    def to_dict(self) -> dict[str, Any]:
        """The filters that are set: {"sources": [...], "since": "2026-03-01"}."""
        data = {"sources": list(self.sources), "since": self.since, "until": self.until,
                "article_ids": list(self.article_ids),
                "collections": list(self.collections)}  # fmt: skip
        return {k: v for k, v in data.items() if v}

    def check_resolved(self) -> None:
        """Retrieval filters by article: a filter still naming collections (not read as their
        articles by `qa.access.within`) would allow every article, so it is refused."""
        if self.collections:
            raise ValueError("filters by collection must be read with qa.access.within first")

    def describe(self) -> str:
        """In a reader's words: "outlets Harbour Daily; since 2026-03-01"."""
        parts = []
        if self.sources:
            parts.append("outlets " + ", ".join(self.sources))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.article_ids:
            parts.append(f"{len(self.article_ids)} chosen article(s)")
        if self.collections:
            parts.append("collections " + ", ".join(self.collections))
        return "; ".join(parts)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Filters:
        return cls(
            sources=tuple(data.get("sources") or ()),
            since=data.get("since"),
            until=data.get("until"),
            article_ids=tuple(data.get("article_ids") or ()),
            collections=tuple(data.get("collections") or ()),
        )
