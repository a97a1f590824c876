"""Claims kept in SQLite beside the sentences, keyed by sentence text (`qa.claims`).

claims = SqliteClaims(Database.open(path))
for text in claims.unannotated_texts(ANNOTATOR_VERSION, limit=1000): ...
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from qa.claims import Claims
from qa.store.protocols import ClaimStore
from qa.store.sqlite.database import SqlitePart


class SqliteClaims(SqlitePart, ClaimStore):
    def unannotated_texts(self, version: str, *, limit: int) -> list[str]:
        rows = self._db.rows(
            "SELECT DISTINCT s.text FROM sentences AS s LEFT JOIN claims AS c "
            "ON c.text = s.text AND c.version = ? WHERE c.text IS NULL LIMIT ?",
            (version, limit),
        )
        return [str(r[0]) for r in rows]

    def save_claims(self, version: str, claims: Sequence[tuple[str, Claims]]) -> None:
        with self._db.transaction():
            self._db.run_many(
                "INSERT INTO claims(text, version, data) VALUES (?, ?, ?) ON CONFLICT(text) "
                "DO UPDATE SET version = excluded.version, data = excluded.data",
                [(text, version, json.dumps(c.to_dict())) for text, c in claims],
            )

    def claims_of(self, texts: Iterable[str]) -> dict[str, Claims]:
        """Claims of sentence texts by text, of any annotator version (the newest stored)."""
        wanted = list(dict.fromkeys(texts))
        if not wanted:
            return {}
        rows = self._db.rows(
            f"SELECT text, data FROM claims WHERE text IN ({', '.join('?' * len(wanted))})",
            wanted,
        )
        return {str(r[0]): Claims.from_dict(json.loads(r[1])) for r in rows}
