"""Ingestion benchmark: prints articles/s, sentences/s, phase times, peak RSS and index size.

    python scripts/bench_ingest.py ../shared/corpus/articles ../shared/corpus/bbc
    python scripts/bench_ingest.py --index /tmp/bench-index qa/samples

Always starts from an empty index (a temporary folder unless --index is given, which is wiped).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from qa.config import Settings
from qa.ingest.pipeline import Ingestor
from qa.store import Store


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--index", type=Path, default=None)
    args = parser.parse_args()
    index = args.index or Path(tempfile.mkdtemp(prefix="newsqa-bench-"))
    shutil.rmtree(index, ignore_errors=True)
    settings = Settings(index_dir=index)

    started = time.perf_counter()
    ingestor = Ingestor(settings)
    ingestor.embedder.embed(["load the model before the clock starts"])
    load_seconds = time.perf_counter() - started

    report = ingestor.ingest(args.inputs)
    stats = Store.open(settings.store_path).stats()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"inputs: {' '.join(args.inputs)}")
    print(f"model load (not counted): {load_seconds:.1f} s")
    print(
        f"articles: {stats.articles} ({report.added} added, {report.duplicates} duplicates, "
        f"{len(report.failed)} failed); sentences: {stats.sentences}"
    )
    print(
        f"total: {report.seconds:.1f} s -> {stats.articles / report.seconds:.1f} articles/s, "
        f"{stats.sentences / report.seconds:.0f} sentences/s"
    )
    for phase, seconds in report.timings.items():
        print(f"  {phase}: {seconds:.1f} s")
    # The model alone, timed on a sample of the same sentences with nothing else running: the
    # "embed" phase above also holds the slowdown from Chroma writing on the other thread.
    with sqlite3.connect(settings.store_path) as db:
        sample = [row[0] for row in db.execute("SELECT text FROM sentences LIMIT 4000")]
    started = time.perf_counter()
    ingestor.embedder.embed(sample)
    model_rate = len(sample) / (time.perf_counter() - started)
    model_alone = report.texts_embedded / model_rate
    print(
        f"model alone: {model_rate:.0f} texts/s -> {model_alone:.1f} s for the "
        f"{report.texts_embedded} distinct texts embedded; pipeline overhead: "
        f"{(report.seconds - model_alone) / model_alone:.1%} of the model's time"
    )
    print(f"peak RSS: {peak_mb:.0f} MB")
    print(
        f"index size: {folder_size(index) / 1e6:.1f} MB "
        f"(store {stats.size_bytes / 1e6:.1f} MB, "
        f"chroma {folder_size(settings.chroma_path) / 1e6:.1f} MB)"
    )
    if args.index is None:
        shutil.rmtree(index, ignore_errors=True)


if __name__ == "__main__":
    main()
