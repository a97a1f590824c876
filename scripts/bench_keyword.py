"""Keyword search candidates on a large index: the FTS5 query newsqa runs, FTS5 with the most
common question words left out, and the `tantivy` package (block-max WAND top-k). Prints, per
engine, p50/p95 latency over the questions and how many of the reference top 60 it returns.

    python scripts/bench_keyword.py --index index/bench-scale/1000000/index [--tantivy DIR]

The reference is today's query (an OR of every question word, BM25 over every match). The
tantivy index is built once from the index's sentences into DIR (its build time is printed).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path

import numpy as np
from bench_ask import DEFAULT_QUESTIONS

from qa.store.sqlite.search import fts_terms

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 60


def questions() -> list[str]:
    from qa.fixtures import load_cases

    cases = load_cases(ROOT / "tests" / "qa" / "sample_questions.yaml")
    # The sample fixtures, and the real-news questions bench_ask.py asks by default.
    return [case.question for case in cases] + DEFAULT_QUESTIONS


def fts(db: sqlite3.Connection, terms: list[str]) -> list[int]:
    if not terms:
        return []
    rows = db.execute(
        "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? ORDER BY rank LIMIT ?",
        (" OR ".join(terms), LIMIT),
    ).fetchall()
    return [int(r[0]) for r in rows]


def common_left_out(
    db: sqlite3.Connection, terms: list[str], share: float, total: int
) -> list[str]:
    """The terms used by at most `share` of the sentences (all of them when none is)."""
    counts = {}
    for term in terms:
        word = term.strip('"').lower()
        row = db.execute("SELECT n FROM vocabulary WHERE word = ?", (word,)).fetchone()
        counts[term] = int(row[0]) if row else 0
    kept = [t for t in terms if counts[t] <= share * total]
    return kept or terms


def within_budget(db: sqlite3.Connection, terms: list[str], budget: int) -> list[str]:
    """The terms left once the most common are dropped until the rows they match (the sum of
    their sentence counts) are at most `budget`; the rarest one always stays."""
    counts = {}
    for term in terms:
        row = db.execute("SELECT n FROM vocabulary WHERE word = ?", (term.strip('"').lower(),))
        found = row.fetchone()
        counts[term] = int(found[0]) if found else 0
    kept = sorted(terms, key=lambda t: counts[t])
    while len(kept) > 1 and sum(counts[t] for t in kept) > budget:
        kept.pop()
    return [t for t in terms if t in kept]


def build_tantivy(db: sqlite3.Connection, folder: Path) -> object:
    import tantivy

    schema_builder = tantivy.SchemaBuilder()
    schema_builder.add_text_field("text", stored=False, tokenizer_name="en_stem")
    schema_builder.add_integer_field("rowid", stored=True, indexed=False, fast=True)
    schema = schema_builder.build()
    if (folder / "meta.json").is_file():
        return tantivy.Index(schema, path=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(heap_size=500_000_000, num_threads=2)
    started = time.perf_counter()
    for rowid, text in db.execute("SELECT rowid, text FROM sentences"):
        writer.add_document(tantivy.Document(text=text, rowid=rowid))
    writer.commit()
    writer.wait_merging_threads()
    print(
        f"tantivy index built in {time.perf_counter() - started:.0f} s, "
        f"{sum(p.stat().st_size for p in folder.rglob('*')) / 1e6:.0f} MB"
    )
    return index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--tantivy", type=Path)
    args = parser.parse_args()
    db = sqlite3.connect(args.index / "newsqa.sqlite3")
    total = int(db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0])
    asked = questions()
    engines: dict[str, object] = {"fts5": lambda terms: fts(db, terms)}
    for share in (0.05, 0.01, 0.002):
        engines[f"fts5 without words in >{share:.1%}"] = lambda terms, share=share: fts(
            db, common_left_out(db, terms, share, total)
        )
    for budget in (50_000, 20_000, 5_000):
        engines[f"fts5 matching at most {budget:,}"] = lambda terms, budget=budget: fts(
            db, within_budget(db, terms, budget)
        )
    if args.tantivy:
        import tantivy

        index = build_tantivy(db, args.tantivy)
        index.reload()
        searcher = index.searcher()

        def search_tantivy(terms: list[str]) -> list[int]:
            if not terms:
                return []
            query = index.parse_query(" OR ".join(terms), ["text"])
            hits = searcher.search(query, LIMIT).hits
            return [int(searcher.doc(address)["rowid"][0]) for _, address in hits]

        engines["tantivy"] = search_tantivy
        del tantivy
    reference: dict[str, list[int]] = {}
    for name, engine in engines.items():
        latencies, overlap = [], []
        for question in asked * 2:  # the first round warms the page cache
            terms = fts_terms(question)
            started = time.perf_counter()
            found = engine(terms)  # type: ignore[operator]
            latencies.append((time.perf_counter() - started) * 1000)
            if name == "fts5":
                reference[question] = found
            wanted = set(reference[question])
            overlap.append(len(wanted & set(found)) / len(wanted) if wanted else 1.0)
        latencies = latencies[len(asked) :]
        p50, p95 = np.percentile(latencies, [50, 95])
        print(
            json.dumps(
                {
                    "engine": name,
                    "sentences": total,
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "max_ms": round(max(latencies), 1),
                    "top60_of_reference": round(float(np.mean(overlap)), 3),
                }
            )
        )


if __name__ == "__main__":
    main()
