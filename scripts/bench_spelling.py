"""What correcting question typos costs: the vocabulary's size, the memory and load time of the
speller's candidates, and the time to correct one question, on an index and on synthetic
vocabularies of up to a million words.

    python scripts/bench_spelling.py --index DIR [--synthetic 50000 1000000]

The index is read, never written (its vocabulary is recounted in a copy in memory).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from qa.spelling import MAX_CANDIDATES, Speller, english_words
from qa.store import Store
from qa.store.sqlite.database import Database

QUESTIONS = [
    "How many resdents were evacuted?",
    "How many residents were evacuated in Port Elara?",
    "Who is the mayr of Port Elara?",
    "What did the goverment say about the flod?",
    "What did Zorblax say about the judge?",
    "Why did the Aerolis talks collapse?",
]
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["str", "ght", "ing", "ion"]


def memory_mb(build: Callable[[], object]) -> tuple[float, float]:
    """Memory `build`'s result keeps, and the peak while building it (MB)."""
    tracemalloc.start()
    kept = build()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return current / 1e6, peak / 1e6


def correction_ms(speller: Speller, questions: list[str], rounds: int = 50) -> list[float]:
    times = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            speller.correct(question)
            times.append((time.perf_counter() - started) * 1000)
    return times


def report(name: str, store: Store, questions: list[str], limit: int = MAX_CANDIDATES) -> None:
    words = len(store.frequent_words(limit=10**9))
    speller = Speller(store, limit=limit)
    started = time.perf_counter()
    held = speller.candidates
    load_ms = (time.perf_counter() - started) * 1000
    kept_mb, peak_mb = memory_mb(lambda: Speller(store, limit=limit).candidates)
    times = sorted(correction_ms(speller, questions))
    p95 = times[int(len(times) * 0.95)]
    print(
        f"{name}: {words:,} words, {len(held):,} held "
        f"(limit {limit:,}); load {load_ms:.0f} ms, {kept_mb:.1f} MB kept ({peak_mb:.1f} MB "
        f"peak); correct one question p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
        f"max {times[-1]:.2f} ms"
    )
    for question in questions[:4]:
        print(f"    {question!r} -> {speller.correct(question).text!r}")


def synthetic(size: int, folder: Path) -> tuple[Store, list[str]]:
    """A store whose vocabulary is `size` made-up words of 4-14 letters, Zipf-counted; and
    questions with one letter dropped from some of its frequent words."""
    rng = random.Random(size)
    words: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 6)))
        if 4 <= len(word) <= 14:
            words.add(word)
    ranked = sorted(words)
    rng.shuffle(ranked)
    path = folder / f"synthetic-{size}.sqlite3"
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany(
            "INSERT INTO vocabulary(word, n) VALUES (?, ?)",
            ((w, max(1, 1_000_000 // rank)) for rank, w in enumerate(ranked, start=1)),
        )
    typos = [w[:3] + w[4:] for w in ranked[100:110]]
    return Store.open(path), [f"What did the {t} say?" for t in typos] + QUESTIONS


def fill_time(index: Path) -> tuple[float, int]:
    """Seconds to count the vocabulary from the stored sentences, in a copy in memory."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    with closing(sqlite3.connect(index / "newsqa.sqlite3")) as source:
        source.backup(memory)
    memory.row_factory = sqlite3.Row
    store = Store(Database(memory, index / "in-memory copy"))
    store.set_meta("vocabulary_version", "")  # as an index made before the vocabulary
    started = time.perf_counter()
    sentences = store.fill_vocabulary()
    return time.perf_counter() - started, sentences


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--synthetic", type=int, nargs="*", default=[50_000, 1_000_000])
    args = parser.parse_args()

    kept, _ = memory_mb(english_words.__wrapped__)
    print(f"English words never corrected: {len(english_words()):,}, {kept:.1f} MB, once a process")
    seconds, sentences = fill_time(args.index)
    print(f"fill the vocabulary of {args.index} from {sentences:,} sentences: {seconds:.3f} s")
    report(
        f"index {args.index}", Store.open(args.index / "newsqa.sqlite3", create=False), QUESTIONS
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.synthetic:
            store, questions = synthetic(size, Path(folder))
            report(f"synthetic {size:,}", store, questions)
            if size > MAX_CANDIDATES:
                report(f"synthetic {size:,}, all held", store, questions, limit=size)
            store.close()


if __name__ == "__main__":
    main()
