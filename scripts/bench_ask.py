"""Question-answering speed: warm latency in one process (p50/p95) and cold `newsqa ask` runs.

    python scripts/bench_ask.py --index DIR [--questions FILE] [--cold 5]

FILE: one question per line, or JSON lines with a "question" field; default: a small built-in
set of news questions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from qa.assistant import Assistant
from qa.config import Settings

DEFAULT_QUESTIONS = [
    "How much did the company's profits rise?",
    "Who was suspended after missing a drugs test?",
    "What did the prime minister say about the budget?",
    "How many people were killed in the attack?",
    "When will the new console go on sale?",
    "Why did the shares fall?",
    "What did the minister say about tsunami aid?",
    "Which film won the top award?",
]


def load(path: Path | None) -> list[str]:
    if path is None:
        return DEFAULT_QUESTIONS
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line)["question"] if line.startswith("{") else line for line in lines]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--cold", type=int, default=5, help="cold process runs")
    args = parser.parse_args()
    questions = load(args.questions)

    started = time.perf_counter()
    assistant = Assistant.from_settings(Settings(index_dir=args.index))
    assistant.ask(questions[0])
    print(
        f"warm-up (open index, load models, first question): {time.perf_counter() - started:.2f} s"
    )
    latencies = []
    for question in questions * max(1, 200 // len(questions)):
        started = time.perf_counter()
        assistant.ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
    p50, p95 = np.percentile(latencies, [50, 95])
    print(f"warm ask over {len(latencies)} questions: p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    colds = []
    for question in questions[: args.cold]:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "qa", "ask", question, "--index", str(args.index)],
            check=True, capture_output=True,
        )  # fmt: skip
        colds.append(time.perf_counter() - started)
    if colds:
        print(f"cold `newsqa ask` process: median {statistics.median(colds):.2f} s, "
              f"max {max(colds):.2f} s over {len(colds)} runs")  # fmt: skip


if __name__ == "__main__":
    main()
