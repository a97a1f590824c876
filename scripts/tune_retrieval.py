"""Tune and measure retrieval on questions with known answering sentences.

    python scripts/tune_retrieval.py --index DIR --corpus ROOT --questions Q.jsonl [--grid]

Q.jsonl: {"question", "file" (path under ROOT as ingested, or null), "gold" (substring of the
answering sentence, or null)}. Features are computed once per question; every weight setting is
then scored from them, so a grid search costs seconds. Prints hit@1/@3/@5/@20 and MRR of the gold
sentence, and the top score for answerable and unanswerable questions (for abstention).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.embed import query_embedder
from qa.index import VectorIndex
from qa.retrieve import DEFAULT_WEIGHTS, Candidate, Retriever, Weights, rank
from qa.store import Store


def gold_key(store: Store, origin: str, gold: str) -> tuple[str, int] | None:
    article_id = store.article_id_from(origin)
    if article_id is None:
        return None
    for sentence in store.sentences(article_id):
        if gold in sentence.text:
            return (article_id, sentence.index)
    return None


def evaluate(
    rows: list[tuple[dict[str, str], tuple[str, int] | None, list[Candidate]]], weights: Weights
) -> dict[str, float]:
    ranks, top_answerable, top_unanswerable = [], [], []
    for _question, gold, candidates in rows:
        ranked = rank(candidates, weights)
        top = ranked[0].score if ranked else 0.0
        if gold is None:
            top_unanswerable.append(top)
            continue
        top_answerable.append(top)
        keys = [(r.article_id, r.sentence_index) for r in ranked]
        ranks.append(keys.index(gold) if gold in keys else None)
    result = rank_metrics(ranks)
    result["top_answerable_p10"] = float(np.percentile(top_answerable, 10)) if top_answerable else 0
    result["top_unanswerable_p90"] = (
        float(np.percentile(top_unanswerable, 90)) if top_unanswerable else 0
    )
    return result


def evaluate_rrf(
    rows: list[tuple[dict[str, str], tuple[str, int] | None, list[Candidate]]], k: int = 60
) -> dict[str, float]:
    """The textbook fusion, for comparison: 1/(k + dense rank) + 1/(k + BM25 rank)."""
    ranks = []
    for _question, gold, candidates in rows:
        if gold is None:
            continue
        fused: dict[tuple[str, int], float] = {}
        by_dense = sorted(candidates, key=lambda c: -c.dense)
        by_lexical = sorted((c for c in candidates if c.lexical > 0), key=lambda c: -c.lexical)
        for ranking in (by_dense, by_lexical):
            for position, c in enumerate(ranking):
                key = (c.article_id, c.sentence_index)
                fused[key] = fused.get(key, 0.0) + 1 / (k + position)
        keys = sorted(fused, key=lambda key: -fused[key])
        ranks.append(keys.index(gold) if gold in keys else None)
    return rank_metrics(ranks)


def rank_metrics(ranks: list[int | None]) -> dict[str, float]:
    """hit@k and MRR from the gold sentence's 0-based rank per question (None: not found)."""
    result = {
        f"hit@{k}": float(np.mean([r is not None and r < k for r in ranks])) for k in (1, 3, 5, 20)
    }
    result["mrr"] = float(np.mean([1 / (r + 1) if r is not None else 0 for r in ranks]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    settings = Settings(index_dir=args.index)
    store = Store.open(settings.store_path, create=False)
    retriever = Retriever(store, VectorIndex.open(settings), query_embedder(settings))
    rows = []
    started = time.perf_counter()
    questions = [json.loads(line) for line in args.questions.read_text().splitlines() if line]
    for question in questions:
        gold = None
        if question.get("file"):
            gold = gold_key(store, str(args.corpus / question["file"]), question["gold"])
            if gold is None:
                print("gold not found:", question["id"])
                continue
        rows.append((question, gold, retriever.candidates(question["question"])))
    per_question = (time.perf_counter() - started) / len(questions) * 1000
    print(f"{len(rows)} questions, {per_question:.1f} ms each for candidates")
    print("default", DEFAULT_WEIGHTS, evaluate(rows, DEFAULT_WEIGHTS))
    plain = Weights(lexical=0, context=0, article=0, answer_type=0)
    print("dense only", evaluate(rows, plain))
    print("reciprocal rank fusion (k=60) of dense and BM25", evaluate_rrf(rows))
    if not args.grid:
        return
    results = []
    for lexical, context, article, answer_type in itertools.product(
        (0.0, 0.1, 0.25, 0.4), (0.0, 0.1, 0.2, 0.35), (0.0, 0.15, 0.35), (0.0, 0.05, 0.1)
    ):
        weights = replace(
            DEFAULT_WEIGHTS, lexical=lexical, context=context, article=article,
            answer_type=answer_type,
        )  # fmt: skip
        results.append((evaluate(rows, weights), weights))
    results.sort(key=lambda r: (-r[0]["hit@1"], -r[0]["mrr"]))
    for result, weights in results[:10]:
        print({k: round(v, 3) for k, v in result.items()}, weights)


if __name__ == "__main__":
    main()
