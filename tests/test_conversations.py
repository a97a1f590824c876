"""Saved conversations, kept in the index's SQLite file beside the articles."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from qa.conversations import MAX_TITLE, Conversations
from qa.errors import StoreError
from qa.types import Answer, Outcome
from tests.helpers import ANSWER

ME, OTHER = "a" * 32, "b" * 32  # two browsers

# The table as the article store created it, before conversations could be renamed.
OLD_TABLE = """
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    updated_at TEXT NOT NULL,
    answers TEXT NOT NULL
);
"""


def test_conversations_round_trip(store_file: Path) -> None:
    saved = Conversations(store_file)
    answer = ANSWER
    saved.save("c1", [answer.to_dict()], reader=ME)
    saved.save("c1", [answer.to_dict(), answer.to_dict()], reader=ME)
    assert len(saved.load("c1") or []) == 2 and saved.load("nope") is None


def test_a_saved_conversation_loads_with_its_citations_from_another_connection(
    store_file: Path,
) -> None:
    Conversations(store_file).save("c1", [ANSWER.to_dict()], reader=ME)
    (loaded,) = Conversations(store_file).load("c1") or []
    assert Answer.from_dict(loaded).citations == ANSWER.citations


def test_conversations_are_listed_renamed_and_deleted(store_file: Path) -> None:
    saved = Conversations(store_file)
    long = "Why " + "very " * 30 + "long?"
    saved.save("a", [Answer(long, "x", (), Outcome.ANSWER).to_dict()], reader=ME)
    saved.save("b", [ANSWER.to_dict(), ANSWER.to_dict()], reader=ME)
    saved.save("empty", [], reader=ME)  # a conversation with no answer yet is not listed
    listed = {c.id: c for c in saved.recent(ME)}
    assert set(listed) == {"a", "b"}
    assert listed["b"].title == "Q?" and listed["b"].turns == 2
    assert len(listed["a"].title) == MAX_TITLE and listed["a"].title.endswith("...")
    saved.rename("b", "  Talks   in\nHarbour ", reader=ME)
    assert {c.id: c.title for c in saved.recent(ME)}["b"] == "Talks in Harbour"
    saved.rename("b", "   ", reader=ME)  # an empty name gives the first question back
    assert {c.id: c.title for c in saved.recent(ME)}["b"] == "Q?"
    saved.delete("b", reader=ME)
    assert [c.id for c in saved.recent(ME)] == ["a"] and saved.load("b") is None
    assert saved.recent(ME, limit=0) == []


def test_a_reader_sees_and_changes_only_their_own_conversations(store_file: Path) -> None:
    saved = Conversations(store_file)
    saved.save("mine", [ANSWER.to_dict()], reader=ME)
    assert saved.recent(OTHER) == [] and saved.writable_by("mine", ME)
    assert not saved.writable_by("mine", OTHER)
    saved.rename("mine", "Taken", reader=OTHER)
    saved.delete("mine", reader=OTHER)
    with pytest.raises(StoreError, match="belongs to another reader"):
        saved.save("mine", [], reader=OTHER)
    # A shared link still reads it; the owner's list, name and answers are unchanged.
    assert saved.load("mine") == [ANSWER.to_dict()]
    assert [(c.id, c.title) for c in saved.recent(ME)] == [("mine", "Q?")]


def test_conversations_saved_by_an_older_newsqa_still_read_and_can_be_renamed(
    store_file: Path,
) -> None:
    with closing(sqlite3.connect(store_file)) as db, db:
        db.executescript(OLD_TABLE)
        db.execute(
            "INSERT INTO conversations(id, updated_at, answers) VALUES (?, ?, ?)",
            ("old", "2020-01-01T00:00:00+00:00", json.dumps([ANSWER.to_dict()])),
        )
    saved = Conversations(store_file)
    assert saved.load("old") == [ANSWER.to_dict()] and saved.writable_by("old", OTHER)
    assert saved.recent(ME) == []  # nobody's until a reader continues it
    saved.save("old", [ANSWER.to_dict()], reader=ME)
    saved.rename("old", "From before", reader=ME)
    saved.save("new", [ANSWER.to_dict()], reader=ME)
    assert [c.title for c in saved.recent(ME)] == ["Q?", "From before"]


def test_the_table_keeps_the_name_and_columns_older_indexes_have(store_file: Path) -> None:
    Conversations(store_file).close()
    with closing(sqlite3.connect(store_file)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(conversations)")]
    assert columns == ["id", "updated_at", "answers", "title", "reader", "share"]


def test_a_missing_index_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no index at .*newsqa ingest"):
        Conversations(tmp_path / "s.sqlite3")
    assert not (tmp_path / "s.sqlite3").exists()


def test_a_conversation_opens_by_id_for_its_reader_and_by_share_token_for_others(
    store_file: Path,
) -> None:
    saved = Conversations(store_file)
    saved.save("mine", [ANSWER.to_dict()], reader=ME)
    assert saved.owned("mine", ME) == [ANSWER.to_dict()]
    assert saved.owned("mine", OTHER) is None and saved.owned("nope", ME) is None
    with pytest.raises(StoreError, match="not this reader's to share"):
        saved.share("mine", reader=OTHER)
    token = saved.share("mine", reader=ME)
    assert len(token) == 32 and saved.share("mine", reader=ME) == token  # one link, kept
    assert saved.shared(token) == ("mine", [ANSWER.to_dict()])
    assert saved.shared("mine") is None and saved.shared("0" * 32) is None


def test_the_file_holds_no_reader_id_in_clear(store_file: Path) -> None:
    # A reader id is its browser's only credential: a copy of the index must not hand it out.
    with closing(sqlite3.connect(store_file)) as db:  # a table from before, ids in clear
        db.execute(
            "CREATE TABLE conversations (id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, "
            "answers TEXT NOT NULL, title TEXT, reader TEXT)"
        )
        db.execute("INSERT INTO conversations VALUES ('old', 'x', '[]', NULL, ?)", (ME,))
        db.commit()
    saved = Conversations(store_file)
    saved.save("new", [ANSWER.to_dict()], reader=OTHER)
    saved.close()
    raw = store_file.read_bytes() + b"".join(
        p.read_bytes() for p in store_file.parent.glob(store_file.name + "-*")
    )
    assert ME.encode() not in raw and OTHER.encode() not in raw
    again = Conversations(store_file)
    assert again.writable_by("old", ME) and not again.writable_by("old", OTHER)
    assert [c.id for c in again.recent(OTHER)] == ["new"]
