"""The index's SQLite file: one connection, its schema and meta table, and transactions.

Every statement of the SQLite store goes through one `Database`, which the store's parts
(`articles`, `writer`, `search`, `outbox`, `stats`) share. Its one `threading.RLock` is held
by every statement, and by a transaction from BEGIN to COMMIT or ROLLBACK, so threads sharing a
store (the page's visitors) never run a statement inside another thread's transaction or
interleave their transactions on the one connection. Rows stay `sqlite3.Row` in here and leave
the package as `Article`s, `Sentence`s or the records of `qa.store.rows`.

Other modules keep their own tables in the same file and create them themselves through
`connect` (the page's feedback in `qa.feedback`, saved conversations in `qa.conversations`):
the article store neither reads nor needs them.

    db = Database.open(Path("index/newsqa.sqlite3"))
    with db.transaction():
        db.run("UPDATE articles SET indexed = 1 WHERE id = ?", ("3f2a9c0d1e2b4a5c",))
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from qa.errors import StoreError
from qa.private import private_file, private_folder, temporary_folder
from qa.store.sqlite.errors import folder_error, missing_index, open_error, write_error
from qa.store.sqlite.schema import SCHEMA, SCHEMA_VERSION

Params = Sequence[Any]


class Database:
    """One connection to the index's SQLite file, in autocommit mode outside `transaction`."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path, lock: threading.RLock | None = None
    ) -> None:
        self._connection = connection
        self.path = path
        self.read_only = False  # opened read-only: the index's folder or file may not be written
        # Reentrant: a transaction's statements, and reads made of several statements, take it
        # again inside.
        self.lock = lock if lock is not None else threading.RLock()

    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, lock: threading.RLock | None = None
    ) -> Database:
        """The file at `path` with the article tables; with `create`, made when missing.
        `lock` is the one every statement holds (a new one when None)."""
        if not create and not path.is_file():
            raise missing_index(path)
        if not create and not writable(path):
            return cls._open_read_only(path, lock)
        _make_folder(path)
        made = not path.exists()
        connection: sqlite3.Connection | None = None
        try:
            # Usable from the thread that did not open it (Streamlit reruns a page in a new
            # thread); `lock` serialises its use.
            connection = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=False
            )
            if made:
                # Before the first write: SQLite makes its -wal and -shm files with the
                # database file's own permissions.
                private_file(path)
            _prepare(connection)
            db = cls(connection, path, lock)
            db._check_schema()
            if create:
                # A read-only file or folder opens fine and fails at the first write, deep in
                # an ingest: write once now, so the error names the cause before any work.
                db.set_meta("schema_version", SCHEMA_VERSION)
        except sqlite3.DatabaseError as exc:
            if connection is not None:
                connection.close()
            raise open_error(path, exc) from None
        return db

    @classmethod
    def _open_read_only(cls, path: Path, lock: threading.RLock | None) -> Database:
        """A read-only index (a read-only mount, or a copy nobody may write): read as it is.
        `immutable`, not `mode=ro`: a WAL database opened read-only must make its -shm file,
        which a read-only folder refuses. Every write then fails with a `WriteError`."""
        wal = path.with_name(path.name + "-wal")
        try:
            if wal.exists() and wal.stat().st_size > 0:
                # Writes not yet moved into the file (an index copied while open): `immutable`
                # would not see them, so a private copy of both is read instead.
                target = _private_copy(path, wal)
                connection = sqlite3.connect(
                    target, timeout=30, isolation_level=None, check_same_thread=False
                )
            else:
                connection = sqlite3.connect(
                    f"file:{quote(str(path.resolve()))}?immutable=1",
                    uri=True, timeout=30, isolation_level=None, check_same_thread=False,
                )  # fmt: skip
            connection.row_factory = sqlite3.Row
            db = cls(connection, path, lock)
            db.read_only = True
            version = db.get_meta("schema_version")
            if version != SCHEMA_VERSION:
                connection.close()
                raise StoreError(
                    f"the read-only index at {path.parent} has schema {version}, this newsqa "
                    f"needs {SCHEMA_VERSION}: serve an index this version wrote"
                )
        except sqlite3.DatabaseError as exc:
            raise open_error(path, exc) from None
        return db

    def close(self) -> None:
        with self.lock:
            self._connection.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is written together or not at all; no other thread's statement
        runs in between."""
        with self.lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._connection.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                # A full disk (or a file gone bad) mid-write: nothing of this transaction is
                # kept, everything committed before is, and the error says what to do.
                self._rollback()
                raise write_error(self.path, exc) from None
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._connection.in_transaction:
            self._connection.execute("ROLLBACK")

    def rows(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self._connection.execute(sql, params).fetchall()

    def row(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        with self.lock:
            row: sqlite3.Row | None = self._connection.execute(sql, params).fetchone()
        return row

    def value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, None when there is no row."""
        row = self.row(sql, params)
        return None if row is None else row[0]

    def run(self, sql: str, params: Params = ()) -> None:
        with self.lock:
            self._connection.execute(sql, params)

    def run_many(self, sql: str, params: Iterable[Params]) -> None:
        with self.lock:
            self._connection.executemany(sql, params)

    def get_meta(self, key: str) -> str | None:
        value = self.value("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self.run(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _check_schema(self) -> None:
        version = self.get_meta("schema_version")
        if version is None:
            self.set_meta("schema_version", SCHEMA_VERSION)
        elif version != SCHEMA_VERSION:
            raise StoreError(
                f"the index at {self.path.parent} has schema {version}, this newsqa needs "
                f"{SCHEMA_VERSION}: ingest into a new --index directory"
            )


# One private copy per read-only file and state of its log, for the life of the process: the
# page opens the store again for its counts every minute.
_COPIES: dict[tuple[str, int, int], Path] = {}


def _private_copy(path: Path, wal: Path) -> Path:
    """The SQLite file and its write-ahead log copied to a private folder removed at exit."""
    state = wal.stat()
    key = (str(path.resolve()), state.st_size, state.st_mtime_ns)
    if key in _COPIES:
        return _COPIES[key]
    folder = temporary_folder("newsqa-store-")
    target = folder / path.name
    shutil.copyfile(path, target)
    shutil.copyfile(wal, folder / wal.name)
    _COPIES[key] = target
    return target


def writable(path: Path) -> bool:
    """The index's SQLite file (and its folder, for the -wal and -shm files) may be written:
    false on a read-only mount or for files this user may only read."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _make_folder(path: Path) -> None:
    try:
        private_folder(path.parent)
    except OSError as exc:
        raise folder_error(path, exc) from None


def _prepare(connection: sqlite3.Connection) -> None:
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.executescript(SCHEMA)


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """The index's SQLite file for a module that keeps its own tables in it, with `schema`
    (its `CREATE TABLE IF NOT EXISTS` statements) run; an index that does not exist yet is an
    error, never created here.

        db = connect(settings.store_path, "CREATE TABLE IF NOT EXISTS notes (text TEXT);")
    """
    if not path.is_file():
        raise missing_index(path)
    db: sqlite3.Connection | None = None
    try:
        # Usable from another thread than the opener's, as the Store is: Streamlit reruns a
        # page in a new thread.
        db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        db.executescript(schema)
    except sqlite3.DatabaseError as exc:
        if db is not None:
            db.close()
        raise open_error(path, exc) from None
    return db


class SqlitePart:
    """One storage job done on a shared `Database`; `Store` is all of them over one file."""

    def __init__(self, db: Database) -> None:
        self._db = db
