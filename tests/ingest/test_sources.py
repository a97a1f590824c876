from pathlib import Path

from qa.errors import InputError
from qa.ingest.sources import Input, expand_inputs, sample_dir
from tests.helpers import write


def origins(specs: list[str]) -> list[str]:
    return [i.origin if isinstance(i, Input) else f"ERR {i}" for i in expand_inputs(specs)]


def test_folders_are_walked_in_order_skipping_hidden_docs_and_unknown_types(tmp_path: Path) -> None:
    for name in (
        "b.txt",
        "a/c.md",
        "a/d.html",
        ".git/x.txt",
        "e.png",
        "README.md",
        "a/LICENSE.txt",
    ):
        write(tmp_path / "news" / name, "x")
    assert origins([str(tmp_path / "news")]) == [
        str(tmp_path / "news" / "a" / "c.md"),
        str(tmp_path / "news" / "a" / "d.html"),
        str(tmp_path / "news" / "b.txt"),
    ]


def test_a_named_readme_is_read_like_any_file(tmp_path: Path) -> None:
    readme = write(tmp_path / "README.md", "x")
    assert origins([str(readme)]) == [str(readme)]


def test_globs_urls_missing_paths_and_repeats(tmp_path: Path) -> None:
    write(tmp_path / "one.txt", "x")
    write(tmp_path / "two.txt", "x")
    found = origins(
        [str(tmp_path / "*.txt"), "https://news.example/a", str(tmp_path / "one.txt"),
         str(tmp_path / "nothing-*.json"), str(tmp_path / "gone.txt")]
    )  # fmt: skip
    assert found == [
        str(tmp_path / "one.txt"),
        str(tmp_path / "two.txt"),
        "https://news.example/a",
        f"ERR {tmp_path / 'nothing-*.json'}: no file matches this pattern",
        f"ERR {tmp_path / 'gone.txt'}: no such file or directory",
    ]


def test_sample_collection_has_every_format() -> None:
    suffixes = {
        Path(i.origin).suffix for i in expand_inputs([str(sample_dir())]) if isinstance(i, Input)
    }
    assert {".txt", ".md", ".html", ".jsonl", ".xml", ".atom"} <= suffixes
    assert all(not isinstance(i, InputError) for i in expand_inputs([str(sample_dir())]))
