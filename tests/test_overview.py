"""The collection at a glance, built from the index."""

from __future__ import annotations

from datetime import date

from qa.assistant import Assistant
from qa.config import Settings
from qa.library import open_library
from qa.overview import stories
from qa.types import Outcome


def test_the_sample_stories_are_found_with_their_outlets_dates_and_working_questions(
    sample_settings: Settings,
) -> None:
    library = open_library(sample_settings, today=date(2026, 4, 20))
    assistant = Assistant(library)
    found = stories(library, limit=5)
    titles = " ".join(s.title for s in found)
    for story in ("Northern Link", "Aerolis", "Tarnov Pass", "Halcyon-2", "Port Elara"):
        assert story in titles
    assert all(s.articles >= 3 and len(s.outlets) >= 2 for s in found)
    assert all(" to 2026-" in s.dates for s in found)
    for story in found:
        for question in story.questions:
            assert assistant.ask(question).outcome is Outcome.ANSWER
    asked = [q for s in found for q in s.questions]
    # Names as the articles give them in full, never a title cut in two ("Executive Marcus").
    named = [q for q in asked if q.startswith(("What did", "Who is"))]
    assert named and not any(q.split()[2] in ("Executive", "Minister", "Director") for q in named)
