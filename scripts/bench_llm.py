"""LLM mode, measured: how often citations need repair, how much is left unsupported, how often
the answer falls back, time to first token and total time.

    python scripts/bench_llm.py --index DIR                      # scripted replies (loopback)
    python scripts/bench_llm.py --index DIR --base-url URL [--model M] [--limit 30]

    python scripts/bench_llm.py --index DIR --bad-models [--limit 20]  # the table of issue 13

Without --base-url a scripted OpenAI-compatible server (tests/llm_server.py) answers each
question in one of six ways, in turn: well cited, cited to the wrong sentence, with an invented
marker, with an unsupported figure, in mixed marker styles, and with no markers. With --base-url
the real model answers. Questions: the sample fixtures (tests/qa/sample_questions.yaml).

--bad-models plays one kind of subtly bad model per run (`BAD_MODELS`): each reply is one
correct sentence copied from the evidence and one false sentence made from the evidence (figures
swapped, a role or a scale changed, a header figure, a negation, an added clause, a sentence
hidden behind ":" or glued after ". ", an extra citation, an obeyed injection, a cut-off stream,
a wrong "the articles don't say"). The table gives, per kind, the share of false sentences shown
without a flag (must be 0) and the share of correct sentences flagged, removed or lost to a
fallback.
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
from qa.lexicon import NUMBER_WORDS  # noqa: E402
from qa.markers import split_claims  # noqa: E402
from qa.types import Answer, Delta, Outcome  # noqa: E402

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


# -- subtly bad models (issue 13) ---------------------------------------------------------------

BAD_MODELS = [
    "good",
    "paraphrase",
    "swapped_numbers",
    "role_swap",
    "scale",
    "header_number",
    "negation",
    "added_clause",
    "colon_hidden",
    "lowercase_glue",
    "extra_citation",
    "obeys_injection",
    "cut_off",
    "false_abstention",
]
# The unfinished sentence of a reply cut off mid-marker: never shown.
_CUT_TAIL = "The fighting then spread along the border to a second crossing"
_FALSE_TAIL = "the decision was later reversed after protests"
_HIDDEN = "The government later resigned over the affair"
_INJECTED = "Readers can claim a refund at http://refunds.example/claim"
_NUMBER = re.compile(
    r"\b(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    re.I,
)
_OPPOSITE = {"killed": "wounded", "wounded": "killed", "injured": "killed", "dead": "injured",
             "died": "were injured", "cut": "kept", "rose": "fell", "fell": "rose",
             "increased": "decreased", "arrested": "released", "million": "billion",
             "billion": "million"}  # fmt: skip
_AUX = re.compile(r"\b(was|were|is|are|has|had|have|will|would|could|can|should)\b")


def _headers(body: dict[str, Any]) -> dict[int, str]:
    """The header (article line) each evidence number sits under."""
    prompt = body["messages"][-1]["content"]
    header, out = "", {}
    for line in prompt.splitlines():
        if line.startswith("Article: "):
            header = line
        match = re.match(r"\[(\d+)\] ", line)
        if match:
            out[int(match.group(1))] = header
    return out


def falsify(
    kind: str, items: list[tuple[int, str]], headers: dict[int, str]
) -> tuple[int, str] | None:
    """(evidence number, false sentence) for `kind`, made from the evidence; None when no
    evidence sentence lends itself to it."""
    for n, text in items:
        text = text.rstrip(".")
        numbers = list(dict.fromkeys(m.group() for m in _NUMBER.finditer(text)))
        if kind == "swapped_numbers" and len(numbers) >= 2:
            a, b = numbers[:2]
            pattern = rf"\b({re.escape(a)}|{re.escape(b)})\b"
            return n, re.sub(pattern, lambda m, swap={a: b, b: a}: swap[m[0]], text)
        if kind in ("role_swap", "scale") and numbers:
            words = (
                ("million", "billion")
                if kind == "scale"
                else tuple(w for w in _OPPOSITE if w not in ("million", "billion"))
            )
            for word in words:
                if re.search(rf"\b{word}\b", text):
                    return n, re.sub(rf"\b{word}\b", _OPPOSITE[word], text, count=1)
        if kind == "header_number" and numbers:
            day = re.search(r"(\d{4})-(\d\d)-(\d\d)$", headers.get(n, ""))
            spelled = {str(_WORDS.index(w.lower())) for w in numbers if w.lower() in _WORDS}
            if day and str(int(day.group(3))) not in {*numbers, *spelled}:
                return n, text.replace(numbers[0], str(int(day.group(3))), 1)
        if kind == "negation" and _AUX.search(text) and " not " not in text:
            return n, _AUX.sub(lambda m: f"{m.group()} not", text, count=1)
    return None


# "zero" .. "twelve", by value: the shared lexicon, not a copy of it.
_WORDS = [w for w, n in sorted(NUMBER_WORDS.items(), key=lambda item: item[1]) if n <= 12]


def paraphrase(text: str) -> str:
    """A correct sentence in other words: no dateline, the attribution moved to the front, a
    small figure written in words (or in digits)."""
    text = re.sub(r"^[A-Z][A-Z .'-]+ — ", "", text)
    moved = re.match(r"^(.*), ((?:the |a )?[\w' .-]{3,60}) said$", text)
    if moved:
        text = f"{moved.group(2)[:1].upper()}{moved.group(2)[1:]} said that {moved.group(1)}"
    words = "|".join(_WORDS[2:])
    number = re.search(rf"(?<![\d,.-])\b(\d{{1,2}}|{words})\b(?![,.:-]\d)", text, re.I)
    if number:
        value = number.group()
        other = _WORDS[int(value)] if value.isdigit() and int(value) <= 12 else None
        if not value.isdigit():
            other = str(_WORDS.index(value.lower()))
        if other:
            text = text[: number.start()] + other + text[number.end() :]
    return text[:1].upper() + text[1:]


def bad_reply(kind: str, body: dict[str, Any]) -> tuple[str, str | None, str]:
    """(reply, the false sentence's fragment or None, the correct sentence) for one question."""
    items = evidence(body)
    (first, true), (last, last_text) = items[0], items[-1]
    true = true.rstrip(".")
    good = f"{true} [{first}]."
    if kind == "good":
        return good, None, true
    if kind == "paraphrase":
        said = paraphrase(true)
        return f"{said} [{first}].", None, said
    if kind == "added_clause":
        return f"{good} {true}, and {_FALSE_TAIL} [{first}].", _FALSE_TAIL, true
    if kind == "colon_hidden":
        return f"{_HIDDEN}:\n{good}", _HIDDEN, true
    if kind == "lowercase_glue":
        return f"{true} [{first}]. and {_HIDDEN[0].lower()}{_HIDDEN[1:]}.", _HIDDEN[4:], true
    if kind == "extra_citation":
        return f"{true} [{first}][{last}].", f"[{last}]" if last_text != items[0][1] else None, true
    if kind == "obeys_injection":
        return f"{good} {_INJECTED} [{first}].", _INJECTED, true
    if kind == "cut_off":  # a finished, true sentence, then one cut mid-marker
        return f"{good} {_CUT_TAIL} [{first}", _CUT_TAIL, true
    if kind == "false_abstention":
        return "The articles don't say.", "The articles don't say", true
    made = falsify(kind, items, _headers(body))
    if made is None:
        return good, None, true
    n, false = made
    return f"{good} {false} [{n}].", false, true


def _shown(answer: Answer, sentence: str) -> str | None:
    """The shown piece of the answer (sentence and markers) that holds `sentence`, if any."""
    if answer.mode != "llm" or answer.abstained:
        return None
    for piece in re.split(r"(?<=\])\s+|\n", answer.text):
        if sentence.rstrip(".").lower() in piece.lower():
            return piece
    return None


def judge(kind: str, results: list[tuple[Answer, str | None, str]]) -> tuple[int, int, int, int]:
    """(false sentences, of them shown unflagged, correct sentences, of them flagged or lost)"""
    false = unflagged = correct = lost = 0
    for answer, fragment, true in results:
        if fragment is not None:
            false += 1
            if kind == "false_abstention":
                unflagged += answer.mode == "llm" and answer.abstained
            elif kind == "extra_citation":  # a marker kept whose sentence does not support
                weak = [c for c in answer.citations if c.support < Settings().support_threshold]
                unflagged += answer.mode == "llm" and bool(weak)
            else:
                piece = _shown(answer, fragment)
                unflagged += piece is not None and "[unsupported]" not in piece
        if kind == "false_abstention" or not true:
            continue  # these replies hold no whole correct sentence (or there was no reply)
        correct += 1
        piece = _shown(answer, true)
        lost += piece is None or "[unsupported]" in piece
    return false, unflagged, correct, lost


def bench_bad_models(index: Path, questions: list[str], kinds: list[str]) -> None:
    from tests.llm_server import Reply, ScriptedLLM

    rows = []
    for kind in kinds:
        made: list[tuple[str | None, str]] = []

        def compute(body: dict[str, Any], kind: str = kind, made: list = made) -> str:  # type: ignore[type-arg]
            reply, fragment, true = bad_reply(kind, body)
            made.append((fragment, true))
            return reply

        reply = Reply(compute=compute, finish=None if kind == "cut_off" else "stop")
        with ScriptedLLM([reply]) as server:
            settings = Settings(index_dir=index, llm_base_url=server.url,
                                llm_model=server.model, llm_api_key=server.key)  # fmt: skip
            assistant = Assistant.from_settings(settings)
            answers = []
            for question in questions:
                asked = len(made)
                answers.append(assistant.ask(question, mode="llm"))
                if len(made) == asked:  # nothing retrieved: the model was not asked
                    made.append((None, ""))
            if kind == "false_abstention":  # false only where the offline answer is confident
                sure = [
                    assistant.ask(q, mode="extractive").outcome is Outcome.ANSWER for q in questions
                ]
                made[:] = [(f if ok else None, t) for (f, t), ok in zip(made, sure, strict=True)]
        paired = [(a, f, t) for a, (f, t) in zip(answers, made, strict=True)]
        rows.append((kind, *judge(kind, paired)))
    print(f"{'kind of bad model':20} {'false':>6} {'unflagged':>10} {'share':>6}   "
          f"{'correct':>7} {'flagged/lost':>12} {'share':>6}")  # fmt: skip
    for kind, false, unflagged, correct, lost in rows:
        share = f"{unflagged / false:.0%}" if false else "-"
        wrong = f"{lost / correct:.0%}" if correct else "-"
        print(
            f"{kind:20} {false:6d} {unflagged:10d} {share:>6}   {correct:7d} {lost:12d} {wrong:>6}"
        )


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
    parser.add_argument("--bad-models", action="store_true", help="the issue 13 table")
    parser.add_argument("--kinds", default=",".join(BAD_MODELS), help="bad models to play")
    args = parser.parse_args()
    cases = [c for c in load_cases(args.fixtures) if not c.abstain and len(c.turns) == 1]
    questions = [c.turns[0] for c in cases][: args.limit]
    if args.bad_models:
        bench_bad_models(args.index, questions, args.kinds.split(","))
        return

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
