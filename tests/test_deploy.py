"""The deployment files (deploy/compose.yaml, deploy/Dockerfile) keep their promises: the page
and a Chroma server, the index and the vectors on volumes, nothing published beyond this
machine, sign-in read-only from the host, the CPU build of PyTorch, not root. (No Docker daemon
runs where these tests run: they read the files, they do not start them.)"""

from __future__ import annotations

from pathlib import Path

import chromadb
import yaml

from qa.config import Settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def compose() -> dict:  # type: ignore[type-arg]
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8")))


def test_the_page_talks_to_its_chroma_server_and_keeps_the_index_on_a_volume() -> None:
    services = compose()["services"]
    page, chroma = services["newsqa"], services["chroma"]
    env = page["environment"]
    assert env["NEWSQA_CHROMA_URL"] == "http://chroma:8000" and env["NEWSQA_INDEX_DIR"] == "/index"
    assert "index:/index" in page["volumes"] and "chroma-data:/data" in chroma["volumes"]
    assert set(compose()["volumes"]) == {"index", "chroma-data"}
    # The server release matches the client newsqa installs (major.minor).
    tag = chroma["image"].rsplit(":", 1)[1]
    assert tag.split(".")[:2] == chromadb.__version__.split(".")[:2]


def test_nothing_is_published_beyond_this_machine_and_secrets_are_read_only() -> None:
    services = compose()["services"]
    assert "ports" not in services["chroma"]
    assert all(p.startswith("127.0.0.1:") for p in services["newsqa"]["ports"])
    secrets = [v for v in services["newsqa"]["volumes"] if "secrets.toml" in v]
    assert secrets and all(v.endswith(":ro") for v in secrets)


def test_the_image_takes_the_cpu_torch_first_and_runs_as_a_user() -> None:
    lines = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()
    torch = next(n for n, line in enumerate(lines) if "torch==" in line)
    project = next(n for n, line in enumerate(lines) if line.startswith("RUN pip install ."))
    assert torch < project and "whl/cpu" in lines[torch]
    assert any(line.startswith("USER ") and "root" not in line for line in lines)


def test_an_empty_header_variable_names_no_proxy() -> None:
    # compose passes ${NEWSQA_TRUSTED_USER_HEADER:-}: empty when the deployer sets none.
    assert Settings(trusted_user_header="").trusted_user_header is None
    assert Settings(editors="a@x.org, b@y.org").editors == ("a@x.org", "b@y.org")  # type: ignore[arg-type]
