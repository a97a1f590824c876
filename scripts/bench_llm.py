"""LLM mode, measured: how often citations need repair, how much is left unsupported, how often
the answer falls back, time to first token and total time.

    python scripts/bench_llm.py --index DIR                      # scripted replies (loopback)
    python scripts/bench_llm.py --index DIR --base-url URL [--model M] [--limit 30]

Without --base-url a scripted OpenAI-compatible server (tests/llm_server.py) answers each
question in one of six ways, in turn: well cited, cited to the wrong sentence, with an invented
marker, with an unsupported figure, in mixed marker styles, and with no markers. With --base-url
the real model answers. Questions: the sample fixtures (tests/qa/sample_questions.yaml).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.assistant import Assistant  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.fixtures import load_cases  # noqa: E402
from qa.markers import split_claims  # noqa: E402
from qa.types import Answer, Delta  # noqa: E402

BEHAVIOURS = ["good", "wrong_sentence", "invented_marker", "unsupported_figure", "mixed", "none"]


def evidence(body: dict[str, Any]) -> list[tuple[int, str]]:
    prompt = body["messages"][-1]["content"]
    return [(int(m.group(1)), m.group(2)) for m in re.finditer(r"^\[(\d+)\] (.*)$", prompt, re.M)]


def scripted_reply(behaviour: str, body: dict[str, Any]) -> str:
    items = evidence(body)
    (first, text), (last, _) = items[0], items[-1]
    text = text.rstrip(".")
    return {
        "good": f"{text} [{first}].",
        "wrong_sentence": f"{text} [{last}].",
        "invented_marker": f"{text} [{first}][{len(items) + 7}].",
        "unsupported_figure": (
            f"{text} [{first}]. Officials said 9,999 people were affected [{first}]."
        ),
        "mixed": f"According to source {first}, {text[:1].lower()}{text[1:]}. {text} 【{first}】.",
        "none": f"{text}.",
    }[behaviour]


def run(assistant: Assistant, questions: list[str]) -> list[tuple[Answer, float | None, float]]:
    results = []
    for question in questions:
        started = time.perf_counter()
        first_token = None
        answer = None
        for event in assistant.ask_stream(question, mode="llm"):
            if isinstance(event, Delta) and first_token is None:
                first_token = (time.perf_counter() - started) * 1000
            elif isinstance(event, Answer):
                answer = event
        assert answer is not None
        results.append((answer, first_token, (time.perf_counter() - started) * 1000))
    return results


def report(label: str, results: list[tuple[Answer, float | None, float]]) -> None:
    answers = [a for a, _, _ in results]
    llm = [a for a in answers if a.mode == "llm" and not a.abstained]
    repaired = [a for a in llm if a.repairs]
    sentences = sum(len(split_claims(a.text)) for a in llm) + sum(
        1 for a in llm for r in a.repairs if r.action == "removed"
    )
    unsupported = sum(1 for a in llm for r in a.repairs if r.action in ("unsupported", "removed"))
    fallbacks = Counter(
        (a.fallback_reason or "").split(";")[0][:60] for a in answers if a.fallback_reason
    )
    first = sorted(t for _, t, _ in results if t is not None)
    total = sorted(t for _, _, t in results)

    def pct(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    print(f"== {label}: {len(answers)} questions")
    print(f"LLM answers used            {len(llm)}  (abstained: "
          f"{sum(a.abstained and a.mode == 'llm' for a in answers)})")  # fmt: skip
    print(f"answers needing repair      {len(repaired) / max(1, len(llm)):.0%}")
    print(f"sentences left unsupported  {unsupported / max(1, sentences):.0%} "
          f"({unsupported} of {sentences})")  # fmt: skip
    print(f"fell back to extractive     {sum(fallbacks.values()) / len(answers):.0%}")
    for reason, count in fallbacks.most_common():
        print(f"    {count:3d}  {reason}")
    repairs = Counter(r.action for a in llm for r in a.repairs)
    print(f"repairs by kind             {dict(repairs)}")
    print(f"time to first token ms      p50 {pct(first, 0.5):.0f}  p95 {pct(first, 0.95):.0f}")
    print(f"total time ms               p50 {pct(total, 0.5):.0f}  p95 {pct(total, 0.95):.0f}")
    if total:
        print(f"mean total ms               {statistics.mean(total):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--fixtures", type=Path, default=ROOT / "tests/qa/sample_questions.yaml")
    args = parser.parse_args()
    cases = [c for c in load_cases(args.fixtures) if not c.abstain and len(c.turns) == 1]
    questions = [c.turns[0] for c in cases][: args.limit]

    if args.base_url:
        settings = Settings(
            index_dir=args.index,
            llm_base_url=args.base_url,
            llm_model=args.model,
            llm_api_key=args.api_key,
            llm_timeout=args.timeout,
        )
        report(f"model at {args.base_url}", run(Assistant.from_settings(settings), questions))
        return

    from tests.llm_server import Reply, ScriptedLLM

    def reply_for(behaviour: str) -> Reply:
        return Reply(compute=lambda body: scripted_reply(behaviour, body))

    for behaviour in BEHAVIOURS:
        with ScriptedLLM([reply_for(behaviour)]) as server:
            settings = Settings(
                index_dir=args.index,
                llm_base_url=server.url,
                llm_model=server.model,
                llm_api_key=server.key,
            )
            report(f"scripted: {behaviour}", run(Assistant.from_settings(settings), questions))


if __name__ == "__main__":
    main()
