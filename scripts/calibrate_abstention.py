"""Where should the extractive answerer abstain? Prints the best candidate's score for questions
the articles answer, questions they don't, and off-topic questions; the threshold
(`qa.extractive.Policy.abstain_below`) is read off these percentiles.

    python scripts/calibrate_abstention.py --index DIR --fixtures tests/qa/sample_questions.yaml
    python scripts/calibrate_abstention.py --index DIR --questions Q.jsonl   # {"question","file"}
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import numpy as np

from qa.assistant import Assistant
from qa.config import Settings
from qa.fixtures import load_cases

OFF_TOPIC = [
    "What is the capital of France?",
    "How do I bake sourdough bread?",
    "Who won the 1998 World Cup?",
    "What is the boiling point of water in Kelvin?",
    "Recommend a good laptop for programming",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--fixtures", type=Path)
    parser.add_argument("--questions", type=Path)
    args = parser.parse_args()
    items: list[tuple[str, bool]] = []
    if args.fixtures:
        cases = load_cases(args.fixtures)
        items += [
            (c.turns[-1], not c.abstain) for c in cases if len(c.turns) == 1 and not c.filters
        ]
    if args.questions:
        for line in args.questions.read_text().splitlines():
            question = json.loads(line)
            items.append((question["question"], question.get("file") is not None))
    assistant = Assistant.from_settings(Settings(index_dir=args.index), today=date(2026, 4, 20))

    def top(question: str) -> float:
        ranked = assistant.retriever.retrieve(question)
        return ranked[0].score if ranked else 0.0

    answerable = [top(q) for q, ok in items if ok]
    unanswerable = [top(q) for q, ok in items if not ok]
    off_topic = [top(q) for q in OFF_TOPIC]
    for name, scores in (("answerable", answerable), ("unanswerable", unanswerable),
                         ("off-topic", off_topic)):  # fmt: skip
        if scores:
            p = np.percentile(scores, [1, 5, 10, 50, 90]).round(3)
            spread = f"p1={p[0]} p5={p[1]} p10={p[2]} p50={p[3]} p90={p[4]}"
            print(f"{name:12} n={len(scores):3d}  {spread}")
    threshold = assistant.policy.abstain_below
    print(f"abstain_below={threshold}: false abstention "
          f"{np.mean([s < threshold for s in answerable]):.2f}, unanswerable abstained "
          f"{np.mean([s < threshold for s in unanswerable]) if unanswerable else 0:.2f}, "
          f"off-topic abstained {np.mean([s < threshold for s in off_topic]):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
