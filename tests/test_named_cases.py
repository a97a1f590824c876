"""Issue 22's named cases over articles of our own, written like the real story that showed
each one (a border flare-up: an EU chief's call for a ceasefire, an accusation and its answer,
a crossing that "will reopen on Monday" in a Friday article)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.brief import Briefer
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.ingest.pipeline import Ingestor
from qa.library import Library, open_library
from qa.types import Outcome
from tests.helpers import article_file

FLARE_UP = [
    "UN and EU leaders have urged Sarvia and Norland to ease tensions after Sarvia accused "
    "Norland of provoking fire across the border.",
    "Sarvia's defence ministry said two of its soldiers were killed near the village of Orlen.",
    'EU chief Marta Kovacs spoke to both leaders on Tuesday and urged them to agree a "full '
    'ceasefire" and return to talks in Vienna.',
    "Norland's foreign ministry blamed an attack by Sarvian forces for the fighting, which "
    "began late on Monday.",
    "Farhan Okoye, the UN deputy spokesperson, said the secretary-general was following the "
    "situation closely.",
    "The Orlen crossing will reopen to lorries on Monday, officials on both sides said.",
    'Kovacs said the bloc was ready to send monitors to the border "within days".',
    "Residents of Orlen said they had spent the night in cellars.",
    '"We heard the guns until dawn," said Ana Petrov, 54, a farmer.',
]
OTHER = [
    "The Velgrad city council approved a new tram line on Thursday.",
    "The line will cost 340 million crowns and open in 2029, the mayor said.",
]


@pytest.fixture(scope="module")
def library(
    tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder
) -> Library:
    folder = tmp_path_factory.mktemp("named")
    settings = Settings(index_dir=folder / "index")
    # A Friday article: "on Monday" is the Monday before when it happened, after when it will.
    article_file(folder / "in", "flare.txt", "Sarvia and Norland trade blame after border clash",
                 FLARE_UP, outlet="Border Wire", date="2026-03-13")  # fmt: skip
    article_file(folder / "in", "tram.txt", "Velgrad approves tram line", OTHER, date="2026-03-12")
    Ingestor(settings, embedder=embedder).ingest([str(folder / "in")])
    return open_library(settings)


def test_what_the_eu_chief_asked_for_is_answered_not_abstained(library: Library) -> None:
    answer = Assistant(library).ask("What did the EU chief ask for?")
    assert answer.outcome is not Outcome.NONE
    assert "full" in answer.citations[0].sentence and "EU chief" in answer.citations[0].sentence
    if answer.outcome is Outcome.ANSWER:
        assert "full" in (answer.short_answer or "")


def test_the_accusation_and_its_answer_are_the_dispute(library: Library) -> None:
    briefing = Briefer(library).brief("Sarvia Norland border clash")
    blame = [d for d in briefing.disagreements if d.kind == "accusations"]
    assert blame, "the dispute was not found"
    who = [c.who for c in blame[0].claims]
    assert any("Sarvia" in w for w in who) and any("Norland" in w for w in who)


def test_the_crossing_that_will_reopen_on_monday_is_dated_after_the_friday_article(
    library: Library,
) -> None:
    briefing = Briefer(library).brief("Sarvia Norland border clash")
    reopening = [e for e in briefing.timeline if "will reopen" in e.text]
    assert [e.date for e in reopening] == ["2026-03-16"]
    began = [e for e in briefing.timeline if "began late on Monday" in e.text]
    assert all(e.date == "2026-03-09" for e in began)


def test_whos_who_gives_full_names_roles_and_each_side_its_own_words(library: Library) -> None:
    people = {p.name: p for p in Briefer(library).brief("Sarvia Norland border clash").people}
    # "Kovacs said ..." is listed under the name and role the article gives her.
    assert "Marta Kovacs" in people and people["Marta Kovacs"].role == "EU chief"
    assert "Farhan Okoye" in people and people["Farhan Okoye"].role == "UN deputy spokesperson"
    assert people["Ana Petrov"].role == "farmer"  # her age is no role
    assert "Orlen" not in people  # "Residents of Orlen" are no person called Orlen
    # A body's line is a sentence its own name says, never the other side's.
    for name, person in people.items():
        if "ministry" in name:
            assert name in person.statement


def test_the_other_side_is_the_accused_answering_back(library: Library) -> None:
    assistant = Assistant(library)
    first = assistant.ask("Who did Sarvia accuse of provoking fire?")
    follow = assistant.ask("And what did the other side say?", history=[first])
    shown = follow.citations or follow.related
    assert shown and "Norland's foreign ministry blamed" in shown[0].sentence


def test_a_briefing_of_undated_articles_says_why_it_has_no_timeline(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # No Date header: "on Monday" cannot be placed, and is never guessed.
    (folder / "flare.txt").write_text("Sarvia and Norland trade blame after border clash\n\n"
                                      + "\n\n".join(FLARE_UP) + "\n", encoding="utf-8")  # fmt: skip
    settings = Settings(index_dir=tmp_path / "index")
    Ingestor(settings, embedder=embedder).ingest([str(folder)])
    briefing = Briefer(open_library(settings)).brief("Sarvia Norland border clash")
    assert briefing.timeline == []
    assert any("no timeline" in n and "publication date" in n for n in briefing.notices)
