"""Collections: named sets of articles; questions, briefings and listings within them; taking an
article out of one; who may read and edit which (issue 24)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.access import CollectionAccess, editable, readable, within
from qa.assistant import Assistant
from qa.cli import main
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.errors import CollectionError
from qa.ingest.pipeline import Ingestor
from qa.library import open_library
from qa.serving import Role
from qa.store import Store
from qa.types import Filters

FLOOD = (
    "Title: Evacuation\nSource: Harbour Daily\nDate: 2026-03-16\n\n"
    "Port Elara's mayor said 4,200 residents were evacuated from the Lower Quay on Sunday.\n\n"
    "The council opened shelters at the Dockside Arena for the evacuated families.\n"
)
FLOOD_OTHER = (
    "Title: Evacuation figure\nSource: Coast Post\nDate: 2026-03-17\n\n"
    "Officials in Port Elara said 3,900 residents had left the Lower Quay by Monday night.\n\n"
    "Schools near the harbour will stay shut until Thursday.\n"
)
BRIDGE = (
    "Title: Bridge\nSource: Valley Post\nDate: 2026-03-16\n\n"
    "The Tarven bridge will stay closed to lorries until engineers finish their survey.\n\n"
    "Engineers found cracks in two of the bridge's supporting piers last month.\n"
)
QUESTION = "How many residents were evacuated from the Lower Quay?"


@pytest.fixture
def desks(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder
) -> dict[str, str]:
    """Three stories: one in "metro", one in "wire", one in no collection named (the default);
    their ids by title."""
    for name, text, collection in [
        ("flood.txt", FLOOD, "metro"),
        ("other.txt", FLOOD_OTHER, "wire"),
        ("bridge.txt", BRIDGE, None),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        Ingestor(
            settings, embedder=embedder, annotate=False, prepare_query_model=False,
            collection=collection,
        ).ingest([str(path)])  # fmt: skip
    store = Store.open(settings.store_path, create=False)
    return {a.title or "": a.id for a in store.list_articles()}


def test_articles_are_counted_in_their_collections_and_the_rest_in_the_default(
    settings: Settings, desks: dict[str, str]
) -> None:
    store = Store.open(settings.store_path, create=False)
    assert store.collections() == [("metro", 1), ("news", 1), ("wire", 1)]
    assert store.collection_members(["metro", "news"]) == {desks["Evacuation"], desks["Bridge"]}
    # What a reader of some collections is shown of the outlets: theirs only.
    assert store.outlets(only=store.collection_members(["wire"])) == ["Coast Post"]
    assert store.published_range(only=store.collection_members(["wire"]))[0] == "2026-03-17"
    result = CliRunner().invoke(main, ["collections", "--index", str(settings.index_dir)])
    assert result.exit_code == 0 and "metro" in result.output and "wire" in result.output


def test_a_question_is_answered_within_the_chosen_collections_only(
    settings: Settings, desks: dict[str, str]
) -> None:
    assistant = Assistant(open_library(settings))
    within_wire = assistant.ask(QUESTION, filters=assistant.make_filters(collections=["Wire"]))
    assert {c.article_id for c in within_wire.citations} <= {desks["Evacuation figure"]}
    assert within_wire.filters == {"collections": ["wire"]}
    everywhere = assistant.ask(QUESTION)
    assert desks["Evacuation"] in {c.article_id for c in everywhere.citations}
    # A collection whose articles say nothing of it: the articles don't say, never an answer
    # from another collection.
    bridge = assistant.ask(QUESTION, filters=assistant.make_filters(collections=["news"]))
    assert desks["Evacuation"] not in {c.article_id for c in bridge.citations}


def test_the_command_line_asks_and_lists_within_a_collection(
    settings: Settings, desks: dict[str, str]
) -> None:
    index = ["--index", str(settings.index_dir)]
    asked = CliRunner().invoke(main, ["ask", QUESTION, "--collection", "metro", "--json", *index])
    assert asked.exit_code == 0, asked.output
    cited = {c["article_id"] for c in json.loads(asked.output)["citations"]}
    assert cited == {desks["Evacuation"]}
    listed = CliRunner().invoke(main, ["list", "--collection", "wire", *index])
    assert "Evacuation figure" in listed.output and "Bridge" not in listed.output
    unknown = CliRunner().invoke(main, ["ask", QUESTION, "--collection", "sport", *index])
    assert unknown.exit_code != 0
    assert "no collection called 'sport'" in unknown.output and "metro" in unknown.output
    bad = CliRunner().invoke(main, ["ask", QUESTION, "--collection", "../etc", *index])
    assert bad.exit_code != 0 and "collection name" in bad.output


def _flood_also_into_wire(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    Ingestor(
        settings, embedder=embedder, annotate=False, prepare_query_model=False,
        collection="wire",
    ).ingest([str(tmp_path / "flood.txt")])  # fmt: skip


def test_an_article_already_stored_joins_another_collection_when_read_again(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder,
    desks: dict[str, str],
) -> None:  # fmt: skip
    _flood_also_into_wire(tmp_path, settings, embedder)
    store = Store.open(settings.store_path, create=False)
    assert store.collections_of(desks["Evacuation"]) == ["metro", "wire"]


def test_taking_an_article_out_keeps_it_for_its_other_collections_and_removes_it_from_none(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder,
    desks: dict[str, str],
) -> None:  # fmt: skip
    _flood_also_into_wire(tmp_path, settings, embedder)
    index = ["--index", str(settings.index_dir)]
    flood = desks["Evacuation"]
    out = CliRunner().invoke(main, ["remove", flood, "--collection", "metro", *index])
    assert out.exit_code == 0 and f"took {flood} out of metro" in out.output
    store = Store.open(settings.store_path, create=False)
    assert store.collections_of(flood) == ["wire"] and store.article(flood) is not None
    gone = CliRunner().invoke(main, ["remove", flood, "--collection", "wire", *index])
    assert f"removed {flood}" in gone.output
    assert store.article(flood) is None
    assistant = Assistant(open_library(settings))
    assert flood not in {c.article_id for c in assistant.ask(QUESTION).citations}


def test_a_filter_naming_collections_is_refused_by_retrieval_until_read_as_articles(
    settings: Settings, desks: dict[str, str]
) -> None:
    store = Store.open(settings.store_path, create=False)
    with pytest.raises(ValueError, match="qa.access.within"):
        store.lexical_search("residents", filters=Filters(collections=("metro",)))
    empty = within(store, Filters(collections=("sport",)))
    assert empty.article_ids and not store.lexical_search("residents", filters=empty)


def test_an_index_made_before_collections_is_all_in_the_default(
    settings: Settings, desks: dict[str, str]
) -> None:
    with sqlite3.connect(settings.store_path) as db:
        db.execute("DROP TABLE collection_articles")
    db.close()
    store = Store.open(settings.store_path, create=False)
    assert store.collections() == [("news", 3)]
    assert store.collection_members(["news"]) == set(desks.values())


def test_who_may_read_and_edit_which_collection() -> None:
    access = {
        "investigations": CollectionAccess(readers=("ana@example.org",),
                                           editors=("ben@example.org",)),
        "archive": CollectionAccess(editors=("ana@example.org",)),
    }  # fmt: skip
    every = ["archive", "investigations", "news"]
    assert readable(access, ["ana@example.org"], Role.READER, every) == every
    assert readable(access, ["cy@example.org"], Role.READER, every) == ["archive", "news"]
    assert readable(access, ["BEN@example.org"], Role.READER, every) == every  # its editor
    assert readable(access, ["cy@example.org"], Role.ADMIN, every) == every
    assert editable(access, ["cy@example.org"], Role.READER, every) == []
    assert editable(access, ["cy@example.org"], Role.EDITOR, every) == ["news"]
    assert editable(access, ["ana@example.org"], Role.READER, every) == ["archive"]
    assert editable(access, ["x"], Role.ADMIN, every) == every


def test_collection_access_is_read_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "newsqa.toml"
    config.write_text(
        '[collections.investigations]\nreaders = ["ana@example.org"]\n'
        'editors = ["ben@example.org"]\n',
        encoding="utf-8",
    )
    from qa.config import CONFIG_FILE_ENV, load_settings

    monkeypatch.setenv(CONFIG_FILE_ENV, str(config))
    settings = load_settings(index_dir=tmp_path / "index")
    assert settings.collections["investigations"].readers == ("ana@example.org",)
    with pytest.raises(CollectionError):
        Ingestor(settings, collection="no way", annotate=False)


def test_adding_a_default_article_to_a_collection_keeps_it_in_the_default(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder,
    desks: dict[str, str],
) -> None:  # fmt: skip
    # An editor of "metro" adds a story readers of the default collection have: it joins
    # metro and stays theirs (before, it left the default, and Remove then deleted it).
    Ingestor(
        settings, embedder=embedder, annotate=False, prepare_query_model=False,
        collection="metro",
    ).ingest([str(tmp_path / "bridge.txt")])  # fmt: skip
    store = Store.open(settings.store_path, create=False)
    assert store.collections_of(desks["Bridge"]) == ["metro", "news"]
    assert desks["Bridge"] in store.collection_members(["news"])


def test_a_new_version_of_an_article_keeps_its_collections(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder,
    desks: dict[str, str],
) -> None:  # fmt: skip
    path = tmp_path / "flood.txt"
    path.write_text(FLOOD.replace("4,200", "4,300"), encoding="utf-8")
    Ingestor(settings, embedder=embedder, annotate=False, prepare_query_model=False).ingest(
        [str(path)]
    )
    store = Store.open(settings.store_path, create=False)
    new = next(a.id for a in store.list_articles() if a.title == "Evacuation")
    assert new != desks["Evacuation"] and store.collections_of(new) == ["metro"]
    assert new not in store.collection_members(["news"])


def test_taking_an_article_out_of_a_collection_it_is_not_in_is_refused(
    settings: Settings, desks: dict[str, str]
) -> None:
    index = ["--index", str(settings.index_dir)]
    out = CliRunner().invoke(main, ["remove", desks["Bridge"], "--collection", "metro", *index])
    assert out.exit_code != 0 and "is not in the collection 'metro'" in out.output
    assert Store.open(settings.store_path, create=False).article(desks["Bridge"]) is not None


def test_collection_names_in_the_settings_are_read_as_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.config import load_settings
    from qa.errors import ConfigError

    monkeypatch.setenv("NEWSQA_COLLECTIONS", '{"Investigations": {"readers": ["ana@example.org"]}}')
    assert list(load_settings().collections) == ["investigations"]
    monkeypatch.setenv("NEWSQA_COLLECTIONS", '{"no way": {"readers": ["ana@example.org"]}}')
    with pytest.raises(ConfigError, match="collection name"):
        load_settings()


def test_a_file_read_again_without_its_collection_keeps_new_articles_in_it(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    def line(title: str, text: str) -> str:
        return json.dumps({"title": title, "text": text, "date": "2026-03-16"})

    feed = tmp_path / "desk.jsonl"
    first = [
        line("One", "The harbour master said the crane fell on Tuesday night."),
        line("Two", "Dock workers walked out over the crane accident on Wednesday."),
    ]
    feed.write_text("\n".join(first) + "\n", encoding="utf-8")
    ingest = Ingestor(settings, embedder=embedder, annotate=False, prepare_query_model=False)
    ingest.ingest([str(feed)], collection="secret")
    # A nightly job reads it again without naming the collection: the new item is the desk's.
    third = line("Three", "Inspectors closed the harbour's east quay until further notice.")
    feed.write_text("\n".join([*first, third]) + "\n", encoding="utf-8")
    ingest.ingest([str(feed)])
    store = Store.open(settings.store_path, create=False)
    assert store.collections() == [("secret", 3)]


def test_a_page_visitor_cannot_pull_a_stored_story_into_their_collection(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder,
    desks: dict[str, str],
) -> None:  # fmt: skip
    visitor = Ingestor(
        settings, embedder=embedder, annotate=False, prepare_query_model=False, visitor=True
    )
    copy = tmp_path / "copy.txt"
    copy.write_text(FLOOD, encoding="utf-8")  # the same story under another name
    visitor.ingest([str(tmp_path / "other.txt"), str(copy)], collection="sports")
    store = Store.open(settings.store_path, create=False)
    assert store.collections_of(desks["Evacuation figure"]) == ["wire"]
    assert store.collections_of(desks["Evacuation"]) == ["metro"]


def test_copies_of_a_sentence_in_a_closed_collection_are_not_named(
    tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder,
    desks: dict[str, str],
) -> None:  # fmt: skip
    wire_copy = tmp_path / "secret.txt"
    # The same wire story under another headline: another article, the same sentences.
    wire_copy.write_text(
        FLOOD.replace("Title: Evacuation", "Title: Lower Quay emptied").replace(
            "Harbour Daily", "Secret Wire"
        ),
        encoding="utf-8",
    )
    Ingestor(
        settings, embedder=embedder, annotate=False, prepare_query_model=False,
        collection="secret",
    ).ingest([str(wire_copy)])  # fmt: skip
    store = Store.open(settings.store_path, create=False)
    secret = store.collection_members(["secret"])
    assistant = Assistant(open_library(settings))
    assert desks["Evacuation"] not in secret
    everywhere = assistant.ask(QUESTION)
    assert any(c.carriers & secret for c in everywhere.citations)
    metro = assistant.ask(QUESTION, filters=assistant.make_filters(collections=["metro"]))
    assert metro.citations and not any(c.carriers & secret for c in metro.citations)
