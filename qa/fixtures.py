"""Scripted Q&A fixtures: the file format, its check, and turning an answer into a case.

A fixture file is YAML (an object with `cases`) or JSON Lines (one case per line); the format is
the JSON Schema in `qa/schemas/fixtures.schema.json`:

    cases:
      - id: flood-evacuated
        question: How many residents were evacuated?
        tags: [factoid, number]
        expect:
          answer_contains: [["4,200", "4200"]]
          must_cite:
            - title: "Storm Ione floods Port Elara's Lower Quay"
              sentence: "4,200 residents had been evacuated"

    cases = load_cases(Path("tests/qa/sample_questions.yaml"))   # FixtureError if invalid
    problems = check_file(Path("mine.yaml"))                    # every problem, with its line
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import NewsqaError
from qa.types import Answer, Mode, Outcome

if TYPE_CHECKING:
    from qa.store import ArticleReader

Key = tuple[str, int]


class FixtureError(NewsqaError):
    """A fixture file that cannot be used; the message names the file and the first problem."""


@dataclass(frozen=True)
class SentenceRef:
    """A sentence by its article (id, URL, path or title) and a piece of its text; without
    `sentence`, any sentence of the article."""

    article_id: str | None = None
    url: str | None = None
    path: str | None = None
    title: str | None = None
    sentence: str | None = None

    def describe(self) -> str:
        where = self.title or self.article_id or self.url or self.path or "?"
        return f"{where!r}" + (f" / {self.sentence!r}" if self.sentence else "")


@dataclass(frozen=True)
class Case:
    id: str
    turns: tuple[str, ...]  # earlier turns first; the last one is asked
    tags: tuple[str, ...] = ()
    filters: dict[str, Any] = field(default_factory=dict)
    answer_contains: tuple[str | tuple[str, ...], ...] = ()
    short_answer: tuple[str | tuple[str, ...], ...] = ()  # what the short answer must state
    must_cite: tuple[SentenceRef, ...] = ()
    must_cite_all: bool = False
    must_not_cite: tuple[SentenceRef, ...] = ()
    abstain: bool = False
    outcomes: tuple[Outcome, ...] = ()  # allowed (`expect: confidence` in the file); empty: any
    mode: Mode | None = None
    llm_reply: str | None = None
    source: str = ""  # "file:line", for reports

    @property
    def question(self) -> str:
        return self.turns[-1]


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@functools.cache
def schema() -> dict[str, Any]:
    text = resources.files("qa").joinpath("schemas/fixtures.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_cases(path: Path) -> list[Case]:
    """The cases of a fixture file; FixtureError (with the line) when the file is not valid."""
    problems = check_file(path)
    if problems:
        more = f" (and {len(problems) - 1} more: newsqa eval --check)" if len(problems) > 1 else ""
        raise FixtureError(f"{problems[0]}{more}")
    document, lines = _parse(path)
    return [
        _case(raw, f"{path}:{lines.get(('cases', n), 1)}")
        for n, raw in enumerate(document["cases"])
    ]


def check_file(path: Path) -> list[Problem]:
    """Every problem of a fixture file, each with its line: syntax, schema, duplicate ids."""
    import jsonschema

    try:
        document, lines = _parse(path)
    except FixtureError as exc:
        return [Problem(path, getattr(exc, "line", 1), str(exc))]
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        where = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the unexpected key itself, not at the mapping holding it.
            allowed = error.schema.get("properties", {})
            extra = [k for k in error.instance if k not in allowed]
            line = _line_of(lines, (*where, extra[0])) if extra else _line_of(lines, where)
        else:
            line = _line_of(lines, where)
        problems.append(Problem(path, line, _explain(error, where)))
    seen: dict[str, int] = {}
    for n, raw in enumerate(document.get("cases") or []):
        case_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(case_id, str):
            line = _line_of(lines, ("cases", n))
            if case_id in seen:
                problems.append(
                    Problem(path, line, f"duplicate id {case_id!r} (first on line {seen[case_id]})")
                )
            seen.setdefault(case_id, line)
    return sorted(problems, key=lambda p: p.line)


def _parse(path: Path) -> tuple[dict[str, Any], dict[tuple[Any, ...], int]]:
    """The document and the line of every node (keyed by its path in the document)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FixtureError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise FixtureError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read ({exc.strerror})") from None
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _parse_jsonl(path, text)
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        error = FixtureError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
        error.line = (mark.line + 1) if mark is not None else 1  # type: ignore[attr-defined]
        raise error from None
    if not isinstance(document, dict):
        error = FixtureError("the file must hold a mapping with a 'cases' list")
        error.line = 1  # type: ignore[attr-defined]
        raise error
    lines: dict[tuple[Any, ...], int] = {}
    _node_lines(root, (), lines)
    return document, lines


def _parse_jsonl(path: Path, text: str) -> tuple[dict[str, Any], dict[tuple[Any, ...], int]]:
    cases: list[Any] = []
    lines: dict[tuple[Any, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            error = FixtureError(f"not valid JSON: {exc.msg} (column {exc.colno})")
            error.line = number  # type: ignore[attr-defined]
            raise error from None
        lines[("cases", len(cases))] = number
        cases.append(case)
    return {"cases": cases}, lines


def _node_lines(node: Any, where: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    import yaml

    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*where, key.value)] = key.start_mark.line + 1
            _node_lines(value, (*where, key.value), lines)
            lines[(*where, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, (*where, index), lines)


def _line_of(lines: dict[tuple[Any, ...], int], where: tuple[Any, ...]) -> int:
    while where and where not in lines:
        where = where[:-1]
    return lines.get(where, 1)


def _explain(error: Any, where: tuple[Any, ...]) -> str:
    place = "/".join(str(p) for p in where) or "(top)"
    if error.validator == "oneOf" and "question" in str(error.schema):
        return f"{place}: give either 'question' or 'turns'"
    if error.validator == "anyOf" and "article_id" in str(error.schema):
        return f"{place}: name the article by article_id, url, path or title"
    if error.validator == "additionalProperties":
        return f"{place}: {error.message} (allowed: see qa/schemas/fixtures.schema.json)"
    return f"{place}: {error.message}"


def _case(raw: dict[str, Any], source: str) -> Case:
    expect = raw.get("expect", {})
    turns = tuple(raw["turns"]) if "turns" in raw else (raw["question"],)

    def refs(key: str) -> tuple[SentenceRef, ...]:
        return tuple(SentenceRef(**r) for r in expect.get(key, []))

    return Case(
        id=raw["id"],
        turns=turns,
        tags=tuple(raw.get("tags", [])),
        filters=dict(raw.get("filters", {})),
        answer_contains=tuple(
            tuple(a) if isinstance(a, list) else a for a in expect.get("answer_contains", [])
        ),
        short_answer=tuple(
            tuple(a) if isinstance(a, list) else a for a in expect.get("short_answer", [])
        ),
        must_cite=refs("must_cite"),
        must_cite_all=bool(expect.get("all", False)),
        must_not_cite=refs("must_not_cite"),
        abstain=bool(expect.get("abstain", False)),
        outcomes=_outcomes(expect.get("confidence")),
        mode=raw.get("mode"),
        llm_reply=raw.get("llm_reply"),
        source=source,
    )


# -- resolving references ----------------------------------------------------------------------


def resolve(store: ArticleReader, ref: SentenceRef) -> set[Key]:
    """The sentence addresses a reference names (every sentence of the article when it gives
    no sentence text); empty when the index does not hold it."""
    articles: list[str] = []
    if ref.article_id:
        articles += store.find_article_ids(ref.article_id)
    if ref.url:
        articles += store.article_ids_with_url(ref.url)
    if ref.path:
        articles += store.article_ids_from_path(ref.path)
    if ref.title:
        articles += store.article_ids_titled(ref.title)
    keys: set[Key] = set()
    for article_id in dict.fromkeys(articles):
        for sentence in store.sentences(article_id):
            if ref.sentence is None or ref.sentence in sentence.text:
                keys.add((sentence.article_id, sentence.index))
    return keys


# -- recording -----------------------------------------------------------------------------------


def record_case(
    answer: Answer,
    *,
    case_id: str | None = None,
    tags: tuple[str, ...] = (),
    keep: tuple[int, ...] | None = None,
) -> dict[str, Any]:
    """A fixture case from an answer the user confirmed: its question, the citations they kept
    (by number; all by default) as `must_cite`, or `abstain: true` for an abstention."""
    expect: dict[str, Any] = {}
    if answer.abstained:
        expect["abstain"] = True
    else:
        kept = [c for c in answer.citations if keep is None or c.n in keep]
        expect["must_cite"] = [
            {"article_id": c.article_id, "title": c.title, "sentence": c.sentence}
            if c.title
            else {"article_id": c.article_id, "sentence": c.sentence}
            for c in kept
        ]
        if len(kept) > 1:
            expect["all"] = True
    case: dict[str, Any] = {"id": case_id or slug(answer.question), "question": answer.question}
    if tags:
        case["tags"] = list(tags)
    if answer.mode == "llm":
        case["mode"] = "llm"
    case["expect"] = expect
    return case


def slug(question: str) -> str:
    words = re.findall(r"[a-z0-9]+", question.lower())[:8]
    return "-".join(words) or "case"


def append_case(path: Path, case: dict[str, Any]) -> None:
    """Add a case to a YAML or JSON Lines fixture file (created when missing); the file is
    checked afterwards, so a broken result is reported, not left silently."""
    import yaml

    if path.suffix.lower() in (".jsonl", ".ndjson"):
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
        return
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    text = before if before.strip() else "version: 1\ncases:\n"
    if not text.endswith("\n"):
        text += "\n"
    block = yaml.safe_dump([case], sort_keys=False, allow_unicode=True, width=100)
    text += "".join(f"  {line}" if line.strip() else line for line in block.splitlines(True))
    path.write_text(text, encoding="utf-8")
    problems = check_file(path)
    if problems:
        path.write_text(before, encoding="utf-8")  # leave the file as it was
        raise FixtureError(f"cannot append to {path}: {problems[0].message}")


def _outcomes(value: str | list[str] | None) -> tuple[Outcome, ...]:
    if value is None:
        return ()
    return tuple(Outcome(v) for v in ([value] if isinstance(value, str) else value))
