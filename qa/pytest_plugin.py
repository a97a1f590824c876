"""Q&A fixture files as pytest items: one test per case, named by its id, failing with the reason.

Enabled by configuration (installed with newsqa as the `newsqa` pytest plugin):

    [tool.pytest.ini_options]
    newsqa_fixtures = ["tests/qa/*.yaml"]     # globs, relative to the rootdir
    newsqa_index = "samples"                  # an index folder, or "samples": the bundled
                                              # sample articles, ingested once per session
    newsqa_known_failures = "tests/qa/known_failures.txt"   # ids expected to fail (xfail)
    newsqa_today = "2026-04-20"               # what "this week" means in the questions

`pytest -p no:newsqa` turns it off.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qa.fixtures import Case, load_cases

_LIBRARY = pytest.StashKey[Any]()
_SAMPLES = pytest.StashKey[Any]()
_RESULTS = pytest.StashKey[dict[tuple[str, str], Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("newsqa_fixtures", "globs of newsqa Q&A fixture files to run", type="linelist")
    parser.addini("newsqa_index", "index folder for the fixtures, or 'samples'", default="samples")
    parser.addini("newsqa_known_failures", "file listing case ids expected to fail", default="")
    parser.addini("newsqa_today", "the date 'this week' in a question refers to", default="")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    config = parent.config
    globs = config.getini("newsqa_fixtures")
    if not globs or file_path.suffix.lower() not in (".yaml", ".yml", ".jsonl"):
        return None
    root = config.rootpath
    for pattern in globs:
        if file_path in {p.resolve() for p in root.glob(pattern)}:
            collector: pytest.Collector = FixtureFile.from_parent(parent, path=file_path)
            return collector
    return None


class FixtureFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        known = _known_failures(self.config)
        for case in load_cases(self.path):
            item = CaseItem.from_parent(self, name=case.id, case=case)
            if case.id in known:
                item.add_marker(
                    # strict: a known failure that starts passing fails until it leaves the list
                    pytest.mark.xfail(reason="listed in newsqa_known_failures", strict=True)
                )
            yield item


class CaseFailed(Exception):
    pass


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        for tag in case.tags:
            self.user_properties.append(("tag", tag))

    def runtest(self) -> None:
        result = case_result(self.config, self.case)
        if result.failures:
            raise CaseFailed("; ".join(result.failures))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return (
                f"{self.case.source}: case {self.case.id!r} ({self.case.question}): {excinfo.value}"
            )
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        line = int(self.case.source.rpartition(":")[2] or 1)
        return self.path, line - 1, f"newsqa case {self.case.id}"


def case_result(config: pytest.Config, case: Case) -> Any:
    """The `CaseResult` of a case in this session, run once: by its item, or by a test that
    scores the whole file (a regression floor) without asking every question again."""
    results = config.stash.setdefault(_RESULTS, {})
    key = (case.id, case.question)
    if key not in results:
        from qa.evaluate import run_case

        results[key] = run_case(_library(config), case)
    return results[key]


def _known_failures(config: pytest.Config) -> set[str]:
    name = config.getini("newsqa_known_failures")
    if not name:
        return set()
    path = config.rootpath / name
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()}


def sample_index(config: pytest.Config, embedder: Any = None) -> Any:
    """Settings of an index of the bundled samples, built once per test session and shared by
    the fixture cases and the project's own tests (which copy it before writing to it)."""
    if _SAMPLES not in config.stash:
        from qa.config import Settings
        from qa.ingest.pipeline import Ingestor
        from qa.ingest.sources import sample_dir

        factory = config._tmp_path_factory  # type: ignore[attr-defined]
        settings = Settings(index_dir=factory.mktemp("newsqa-samples") / "index")
        report = Ingestor(settings, embedder=embedder).ingest([str(sample_dir())])
        if report.failed:
            raise pytest.UsageError(f"the sample articles did not ingest: {report.failed[0]}")
        config.stash[_SAMPLES] = settings
    return config.stash[_SAMPLES]


def _library(config: pytest.Config) -> Any:
    if _LIBRARY not in config.stash:
        from qa.config import Settings
        from qa.library import open_library

        where = config.getini("newsqa_index")
        if where == "samples":
            settings = sample_index(config)
        else:
            settings = Settings(index_dir=config.rootpath / where)
        today = config.getini("newsqa_today")
        config.stash[_LIBRARY] = open_library(
            settings, today=date.fromisoformat(today) if today else None
        )
    return config.stash[_LIBRARY]
