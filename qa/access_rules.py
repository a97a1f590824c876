"""Roles and collection access an admin sets on the page, kept beside what the settings say.

The settings (`NEWSQA_EDITORS`, `NEWSQA_ADMINS`, `[collections.NAME]`) are the deployment's
fixed part; an admin adds to them on the page: editors and admins by e-mail or subject id, and
who reads and edits a collection. What the settings grant cannot be taken away on the page
(it says so); what the page adds is kept in the index's SQLite file (`access_roles`,
`access_collections`), read on every page run, so a change holds at once for every reader.

    rules = AccessRules(settings.store_path)
    rules.set_role("ben@example.org", Role.EDITOR)
    rules.set_collection("investigations", readers=["ana@example.org"], editors=[])
    admins, editors, collections = merged(settings, rules)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from qa.access import EVERYONE, CollectionAccess, collection_name
from qa.errors import CollectionError, StoreError
from qa.serving import Role
from qa.store import connect

if TYPE_CHECKING:
    from qa.config import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS access_roles (name TEXT PRIMARY KEY, role TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS access_collections (
    collection TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reader', 'editor')),
    name TEXT NOT NULL,
    PRIMARY KEY (collection, kind, name)
);
"""
MAX_NAME = 254  # an e-mail address's longest


def _names(names: Iterable[str]) -> list[str]:
    out = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if len(name) > MAX_NAME or any(c.isspace() or ord(c) < 32 for c in name):
            raise CollectionError(
                f"{name[:40]!r} is not an e-mail address or subject id (no spaces, at most "
                f"{MAX_NAME} characters)"
            )
        out.append(name.casefold())
    return list(dict.fromkeys(out))


class AccessRules:
    """The roles and collection access set on the page, in the SQLite file at `path`."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = connect(path, _SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"access rules in {path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def roles(self) -> dict[str, Role]:
        rows = self._db.execute("SELECT name, role FROM access_roles ORDER BY name").fetchall()
        return {str(n): Role[str(r)] for n, r in rows}

    def set_role(self, name: str, role: Role | None) -> None:
        """Make `name` an editor or admin; None takes the page's grant away (a reader)."""
        (folded,) = _names([name]) or [""]
        if not folded:
            raise CollectionError("give an e-mail address or subject id")
        with self._db:
            if role is None or role is Role.READER:
                self._db.execute("DELETE FROM access_roles WHERE name = ?", (folded,))
            else:
                self._db.execute(
                    "INSERT OR REPLACE INTO access_roles(name, role) VALUES (?, ?)",
                    (folded, role.name),
                )

    def collections(self) -> dict[str, CollectionAccess]:
        rows = self._db.execute(
            "SELECT collection, kind, name FROM access_collections ORDER BY 1, 2, 3"
        ).fetchall()
        found: dict[str, dict[str, list[str]]] = {}
        for collection, kind, name in rows:
            found.setdefault(str(collection), {"reader": [], "editor": []})[str(kind)].append(
                str(name)
            )
        return {
            c: CollectionAccess(readers=tuple(k["reader"]), editors=tuple(k["editor"]))
            for c, k in found.items()
        }

    def set_collection(
        self, collection: str, *, readers: Iterable[str], editors: Iterable[str]
    ) -> None:
        """Who reads and edits the collection, as given: "*" reads for everyone, no reader
        means its editors (and admins) alone; with everyone reading and no editor named, the
        page's rule for it goes (the page's editors edit it, as one nobody restricts)."""
        name = collection_name(collection)
        readers, editors = _names(readers), _names(editors)
        if set(readers) <= {EVERYONE} and not editors:
            readers = []
        with self._db:
            self._db.execute("DELETE FROM access_collections WHERE collection = ?", (name,))
            for kind, names in (("reader", readers), ("editor", editors)):
                for who in names:
                    self._db.execute(
                        "INSERT INTO access_collections(collection, kind, name) VALUES (?, ?, ?)",
                        (name, kind, who),
                    )


# The admins, the editors, and who reads and edits each collection.
Access = tuple[tuple[str, ...], tuple[str, ...], dict[str, CollectionAccess]]


def merged(settings: Settings, rules: AccessRules | None) -> Access:
    """The admins, editors and collection access in force: the settings' and the page's."""
    if rules is None:
        return settings.admins, settings.editors, dict(settings.collections)
    roles = rules.roles()
    admins = (*settings.admins, *(n for n, r in roles.items() if r is Role.ADMIN))
    editors = (*settings.editors, *(n for n, r in roles.items() if r is Role.EDITOR))
    return admins, editors, _union(settings.collections, rules.collections())


def _union(
    fixed: Mapping[str, CollectionAccess], added: Mapping[str, CollectionAccess]
) -> dict[str, CollectionAccess]:
    out = dict(fixed)
    for name, rule in added.items():
        if name not in out:
            out[name] = rule
            continue
        base = out[name]
        readers = (EVERYONE,) if EVERYONE in base.readers else (*base.readers, *rule.readers)
        out[name] = CollectionAccess(
            readers=tuple(dict.fromkeys(readers)),
            editors=tuple(dict.fromkeys((*base.editors, *rule.editors))),
        )
    return out


__all__ = ["Access", "AccessRules", "merged"]
