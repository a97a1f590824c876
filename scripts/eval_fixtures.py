"""Run a fixture file against an index and print per-case failures and the metrics.

python scripts/eval_fixtures.py tests/qa/sample_questions.yaml --index /tmp/sample-index
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from qa.assistant import Assistant
from qa.config import Settings
from qa.fixtures import load_cases, run_case, summarize


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("fixtures", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--today", default="2026-04-20", help="date relative words refer to")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    assistant = Assistant.from_settings(
        Settings(index_dir=args.index), today=date.fromisoformat(args.today)
    )
    started = time.perf_counter()
    results = [run_case(assistant, case) for case in load_cases(args.fixtures)]
    seconds = time.perf_counter() - started
    for result in results:
        if result.failures and not args.quiet:
            tags = ", ".join(result.case.tags)
            print(f"FAIL {result.case.id} [{tags}]: {'; '.join(result.failures)}")
            print(f"     Q: {result.case.turns[-1]}")
            print(f"     A: {result.answer.text[:300]}")
    for name, value in summarize(results).items():
        print(f"{name}: {value:.3f}" if isinstance(value, float) else f"{name}: {value}")
    print(f"{seconds / len(results) * 1000:.0f} ms per case")


if __name__ == "__main__":
    main()
