"""Wire copies benchmark: one story carried N times in a JSON Lines file, ingested into an
empty index; prints the time, the SQLite size and the link rows for each N, and the ratios.

    python scripts/bench_wire.py                 # 200 and 2,000 copies
    python scripts/bench_wire.py --copies 200 2000 20000

Each copy has its own outlet, title, link and opening line (as a wire story runs), and shares
the rest word for word. Linear storage is 10x for 10x the copies; linking every pair was 89x.
The model's time is counted (every copy's opening line is new text to embed).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from qa.config import Settings
from qa.ingest.pipeline import Ingestor

STORY = [
    "The Halcyon-3 rocket lifted off from the Tarven coast at dawn on Tuesday, officials said.",
    "It carried a weather satellite built by a consortium of six universities and two firms.",
    "The launch had been delayed twice by high winds and a faulty fuel valve last month.",
    "Engineers said the second stage separated cleanly about nine minutes after lift-off.",
    "The satellite will map rainfall over the southern ocean for at least seven years.",
    "Tarven's space agency said it planned four more launches from the site next year.",
]


def write_copies(path: Path, copies: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            body = "\n\n".join([f"Outlet {n} reports the story in its own words today."] + STORY)
            item = {"title": f"Halcyon-3 reaches orbit ({n})", "url": f"https://wire.example/{n}",
                    "source": f"Outlet {n}", "date": "2026-03-03", "text": body}  # fmt: skip
            out.write(json.dumps(item) + "\n")


def run(copies: int, ingestor_for: type[Ingestor]) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="newsqa-wire-"))
    write_copies(folder / "wire.jsonl", copies)
    settings = Settings(index_dir=folder / "index")
    ingestor = ingestor_for(settings)
    ingestor.embedder.embed(["load the model before the clock starts"])
    started = time.perf_counter()
    ingestor.ingest([str(folder / "wire.jsonl")])
    seconds = time.perf_counter() - started
    db = settings.store_path
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    with sqlite3.connect(db) as connection:
        links = connection.execute("SELECT COUNT(*) FROM article_links").fetchone()[0]
        articles = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return {"copies": copies, "articles": articles, "seconds": round(seconds, 1),
            "sqlite_mb": round(size / 1e6, 2), "links": links}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[200, 2000])
    args = parser.parse_args()
    results = [run(n, Ingestor) for n in args.copies]
    for result in results:
        print(json.dumps(result))
    first = results[0]
    for result in results[1:]:
        print(f"{result['copies']} vs {first['copies']} copies: "
              f"time {result['seconds'] / max(first['seconds'], 0.1):.1f}x, "
              f"SQLite {result['sqlite_mb'] / max(first['sqlite_mb'], 0.01):.1f}x, "
              f"links {result['links']} vs {first['links']}")  # fmt: skip


if __name__ == "__main__":
    main()
