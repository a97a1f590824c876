"""Saved briefings: kept per reader, listed newest first, reopened whole, deleted."""

from __future__ import annotations

from pathlib import Path

from qa.brief.types import (
    Briefing,
    Claim,
    Disagreement,
    Event,
    Person,
    Point,
    SourceLine,
    WireGroup,
)
from qa.saved_briefings import SavedBriefings
from qa.types import Citation


def briefing(topic: str) -> Briefing:
    cite = Citation(1, "a", "Clash at the pass", "Harbour Daily", None, "2026-03-04", None,
                    "a.txt", "Three soldiers were killed.", 0, 0, 27)  # fmt: skip
    return Briefing(
        topic=topic, filters={"sources": ["Harbour Daily"]}, articles=3,
        key_points=[Point("Three soldiers were killed.", 1)],
        timeline=[Event("2026-03-03", "'on Tuesday', article of 2026-03-04", "Fighting.", 1)],
        people=[Person("Ewa Randall", "president", "We will respond.", 1, 2)],
        disagreements=[Disagreement("figures", "soldiers killed",
                                    (Claim("ministry", "three", 1), Claim("hospital", "five", 1)))],
        sources=[SourceLine("Harbour Daily", 2, "2026-03-03", "2026-03-04")],
        wire=[WireGroup("a", "Clash", ("Harbour Daily (2026-03-04)", "Post (2026-03-04)"))],
        citations=[cite], notices=["one article undated"],
    )  # fmt: skip


def test_a_briefing_comes_back_as_it_was_made_for_its_reader_only(store_file: Path) -> None:
    saved = SavedBriefings(store_file)
    made = briefing("Tarnov Pass border clash")
    first = saved.save(made, reader="oidc:alice")
    second = saved.save(briefing("Port Elara flood"), reader="oidc:alice")
    saved.save(briefing("Bob's own"), reader="oidc:bob")
    assert [b.id for b in saved.recent("oidc:alice")] == [second, first]
    assert [b.topic for b in saved.recent("oidc:bob")] == ["Bob's own"]
    assert saved.owned(first, "oidc:alice") == made  # every part, citations included
    assert saved.owned(first, "oidc:bob") is None and saved.owned("nope", "oidc:alice") is None
    saved.delete(first, reader="oidc:bob")  # not his: stays
    assert saved.owned(first, "oidc:alice") == made
    saved.delete(first, reader="oidc:alice")
    assert [b.id for b in saved.recent("oidc:alice")] == [second]
    # The file holds no reader id in clear.
    written = b"".join(p.read_bytes() for p in store_file.parent.glob(store_file.name + "*"))
    assert b"Tarnov" in written and b"oidc:alice" not in written
    saved.close()
