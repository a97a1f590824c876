"""Readers' feedback and saved fixtures, kept in the index's SQLite file beside the articles."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from qa.errors import StoreError
from qa.feedback import FeedbackLog
from qa.types import Answer
from tests.helpers import ANSWER

# The table as the article store created it before feedback had its own module.
OLD_TABLE = """
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    rating INTEGER,
    comment TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    fixture TEXT
);
"""


def test_feedback_round_trip(store_file: Path) -> None:
    log = FeedbackLog(store_file)
    answer = ANSWER
    log.save(answer.to_dict(), kind="feedback", rating=-1, comment="  wrong date ")
    (record,) = log.records()
    assert record["rating"] == -1 and record["comment"] == "wrong date"
    assert Answer.from_dict(record["answer"]).citations == answer.citations


def test_records_are_read_by_kind_oldest_first_with_their_fixture(store_file: Path) -> None:
    log = FeedbackLog(store_file)
    first = log.save(ANSWER.to_dict(), kind="feedback", rating=1, comment="")
    case = {"id": "page-1", "question": "Q?"}
    second = log.save(ANSWER.to_dict(), kind="fixture", rating=None, comment=None, fixture=case)
    assert second > first
    assert [r["id"] for r in log.records()] == [first, second]
    (fixture,) = log.records("fixture")
    assert fixture["fixture"] == case and fixture["question"] == "Q?" and fixture["rating"] is None
    (verdict,) = log.records("feedback")
    assert verdict["fixture"] is None and verdict["comment"] is None
    log.close()
    assert [r["id"] for r in FeedbackLog(store_file).records()] == [first, second]  # committed


def test_feedback_written_by_an_older_newsqa_still_reads(store_file: Path) -> None:
    with closing(sqlite3.connect(store_file)) as db, db:
        db.executescript(OLD_TABLE)
        db.execute(
            "INSERT INTO feedback(created_at, kind, rating, comment, question, answer, fixture) "
            "VALUES ('2020-01-01T00:00:00+00:00', 'feedback', -1, 'old', 'Q?', ?, NULL)",
            (json.dumps(ANSWER.to_dict()),),
        )
    log = FeedbackLog(store_file)
    log.save(ANSWER.to_dict(), kind="feedback", rating=1, comment="new")
    assert [(r["comment"], r["rating"]) for r in log.records("feedback")] == [
        ("old", -1), ("new", 1)
    ]  # fmt: skip
    assert Answer.from_dict(log.records()[0]["answer"]).citations == ANSWER.citations


def test_the_table_keeps_the_name_and_columns_older_indexes_have(store_file: Path) -> None:
    FeedbackLog(store_file).close()
    with closing(sqlite3.connect(store_file)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(feedback)")]
    assert columns == [
        "id", "created_at", "kind", "rating", "comment", "question", "answer", "fixture"
    ]  # fmt: skip


def test_a_missing_index_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no index at .*newsqa ingest"):
        FeedbackLog(tmp_path / "none" / "s.sqlite3")
    assert not (tmp_path / "none").exists()
