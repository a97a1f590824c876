"""What a briefing is made of: frozen result types, each line pointing at a citation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from qa.types import Citation


@dataclass(frozen=True)
class Point:
    text: str  # the sentence, exactly as in the article
    cite: int  # citation number


@dataclass(frozen=True)
class Event:
    date: str  # the event's date, ISO
    basis: str  # why: "'on Tuesday', article of 2026-03-04" or "published"
    text: str
    cite: int


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None
    statement: str
    cite: int
    mentions: int


@dataclass(frozen=True)
class Claim:
    who: str
    text: str
    cite: int


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "accusations", "figures" or "correction"
    about: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class SourceLine:
    outlet: str
    articles: int
    first: str | None
    last: str | None


@dataclass(frozen=True)
class WireGroup:
    origin: str  # article id of the earliest copy
    title: str | None
    copies: tuple[str, ...]  # "Outlet (date)" of every copy, the origin first


@dataclass
class Briefing:
    topic: str
    filters: dict[str, Any]
    articles: int
    key_points: list[Point] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    new_since: str | None = None
    whats_new: list[Point] = field(default_factory=list)
    sources: list[SourceLine] = field(default_factory=list)
    wire: list[WireGroup] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was left out, and why
    repairs: list[dict[str, str]] = field(default_factory=list)  # the check of model key points
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_dict() for c in self.citations]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Briefing:
        """A briefing saved with `to_dict` (a reader's saved briefings), citations and all."""
        return cls(
            topic=data["topic"],
            filters=dict(data.get("filters") or {}),
            articles=int(data.get("articles", 0)),
            key_points=[Point(**p) for p in data.get("key_points", ())],
            timeline=[Event(**e) for e in data.get("timeline", ())],
            people=[Person(**p) for p in data.get("people", ())],
            disagreements=[
                Disagreement(d["kind"], d["about"], tuple(Claim(**c) for c in d["claims"]))
                for d in data.get("disagreements", ())
            ],
            new_since=data.get("new_since"),
            whats_new=[Point(**p) for p in data.get("whats_new", ())],
            sources=[SourceLine(**s) for s in data.get("sources", ())],
            wire=[
                WireGroup(w["origin"], w.get("title"), tuple(w.get("copies", ())))
                for w in data.get("wire", ())
            ],
            citations=[Citation.from_dict(c) for c in data.get("citations", ())],
            notices=list(data.get("notices", ())),
            repairs=[dict(r) for r in data.get("repairs", ())],
            timings_ms=dict(data.get("timings_ms") or {}),
        )
