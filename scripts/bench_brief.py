"""Briefing speed: warm (in one process) and cold (`newsqa brief` as a new process), with the
number of articles each briefing covered.

    python scripts/bench_brief.py --index DIR [--topic T]... [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from qa.brief import Briefer
from qa.config import Settings
from qa.library import open_library

DEFAULT_TOPICS = ["Iraq election", "Microsoft software", "tsunami aid", "rugby Six Nations"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--topic", action="append", dest="topics")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    topics = args.topics or DEFAULT_TOPICS
    started = time.perf_counter()
    briefer = Briefer(open_library(Settings(index_dir=args.index)))
    print(f"open index and models: {time.perf_counter() - started:.2f} s")
    for topic in topics:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            briefing = briefer.brief(topic, new_since="2000-01-01")
            times.append(time.perf_counter() - started)
        print(f"warm  {statistics.median(times):6.2f} s  {briefing.articles:3d} articles  "
              f"{len(briefing.citations):3d} citations  {topic!r}")  # fmt: skip
    newsqa = Path(sys.executable).with_name("newsqa")
    for topic in topics[:2]:
        started = time.perf_counter()
        subprocess.run([str(newsqa), "brief", topic, "--index", str(args.index)],
                       check=True, capture_output=True)  # fmt: skip
        print(f"cold  {time.perf_counter() - started:6.2f} s  (newsqa brief process)  {topic!r}")


if __name__ == "__main__":
    main()
