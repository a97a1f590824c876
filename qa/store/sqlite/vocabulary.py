"""The collection's own words, as written (lower-cased), with how many stored sentences use each:
what `qa.spelling` corrects a misspelt question word to.

The FTS5 index holds porter stems ("evacu"), which cannot spell a word back, so the `vocabulary`
table is kept beside it: the writer adds an article's words in the transaction that saves its
sentences and takes them away in the one that deletes them. An index made before the table has
it empty; `fill_vocabulary`, run at the start of every ingest, counts the stored sentences once.

    vocabulary = SqliteVocabulary(Database.open(path))
    vocabulary.frequent_words(limit=3)   # [("said", 61), ("the", ...), ...]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from qa.lexicon import WORD
from qa.store.protocols import VocabularyStore
from qa.store.sqlite.database import Database, SqlitePart

# Bumped when what counts as a word changes: the next ingest then counts every sentence again.
VOCABULARY_VERSION = "1"
MIN_WORD_LENGTH = 3
FILL_BATCH = 10_000  # sentences read and counted together when filling
_COMPLETE = "vocabulary_version"  # meta key: the table counts every stored sentence


class SqliteVocabulary(SqlitePart, VocabularyStore):
    def fill_vocabulary(self) -> int:
        """Count the words of every stored sentence when the table does not count them all yet
        (an index made before it); the number of sentences read, 0 when it was complete. It
        writes this table and its meta key only, in one transaction."""
        if self._db.get_meta(_COMPLETE) == VOCABULARY_VERSION:
            return 0
        read, last = 0, 0
        with self._db.transaction():
            self._db.run("DELETE FROM vocabulary")
            while rows := self._db.rows(
                "SELECT rowid, text FROM sentences WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, FILL_BATCH),
            ):
                add_words(self._db, sentence_words(str(r["text"]) for r in rows))
                read, last = read + len(rows), int(rows[-1]["rowid"])
            self._db.set_meta(_COMPLETE, VOCABULARY_VERSION)
        return read

    def frequent_words(self, *, limit: int, min_length: int = 1) -> list[tuple[str, int]]:
        rows = self._db.rows(
            "SELECT word, n FROM vocabulary WHERE length(word) >= ? ORDER BY n DESC, word LIMIT ?",
            (min_length, limit),
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def known_words(self, words: Iterable[str]) -> set[str]:
        """The words some stored sentence uses as written, or inflected: "chairing" when one
        says "chaired" (one porter stem), which the lexical search finds as it is."""
        wanted = list(dict.fromkeys(words))
        if not wanted:
            return set()
        rows = self._db.rows(
            f"SELECT word FROM vocabulary WHERE word IN ({', '.join('?' * len(wanted))})", wanted
        )
        known = {str(r[0]) for r in rows}
        for word in wanted:
            # Quoted: a word is a phrase of one token to FTS5, whatever its letters.
            phrase = '"' + word.replace('"', '""') + '"'
            if word not in known and self._db.row(
                "SELECT 1 FROM sentences_fts WHERE sentences_fts MATCH ? LIMIT 1", (phrase,)
            ):
                known.add(word)
        return known


def sentence_words(texts: Iterable[str]) -> Counter[str]:
    """How many of `texts` use each word (a run of 3+ letters, lower-cased)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w for w in WORD.findall(text.lower()) if len(w) >= MIN_WORD_LENGTH})
    return counts


def add_words(db: Database, counts: Counter[str]) -> None:
    db.run_many(
        "INSERT INTO vocabulary(word, n) VALUES (?, ?) "
        "ON CONFLICT(word) DO UPDATE SET n = n + excluded.n",
        counts.items(),
    )


def remove_words(db: Database, counts: Counter[str]) -> None:
    """Take away the words of deleted sentences; a word no sentence uses any more goes."""
    db.run_many(
        "UPDATE vocabulary SET n = n - ? WHERE word = ?", [(n, w) for w, n in counts.items()]
    )
    db.run_many("DELETE FROM vocabulary WHERE word = ? AND n <= 0", [(w,) for w in counts])
