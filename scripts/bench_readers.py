"""Many readers at once: N browser contexts open the page together and each asks one question.

    python scripts/bench_readers.py --index DIR [--readers 20] [--in-place] [--sign-in]

Starts `streamlit run app.py` against a copy of DIR (the page writes conversations into it),
then opens N contexts in Debian's chromium through Playwright's async API, all at once. Prints
time to a usable page (navigation to the chat input visible) and time to answer (Enter to the
answer visible), median and p95, how many readers got an answer, and the server's peak RSS
(VmHWM of the streamlit process), and the CPU seconds the server and the browsers used: on one
machine the N browsers share its cores with the server. Targets on 2 cores: all answered, answer
p95 <= 5 s, RSS <= 1 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.bench_page import QUESTIONS, start_server  # noqa: E402
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, free_port, stop_process  # noqa: E402

TIMEOUT_MS = 300_000


async def reader(
    browser: Any, url: str, question: str, user: str | None = None
) -> tuple[float, float | None, str]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    started = time.perf_counter()
    try:
        await page.goto(url, wait_until="commit")
        if user is not None:  # through the provider's form, back to the page
            await page.get_by_role("button", name="Sign in").click()
            await page.locator('input[name="sub"]').fill(user)
            await page.get_by_role("button", name="Authorize").click()
        box = page.locator('[data-testid="stChatInputTextArea"]')
        await box.wait_for(state="visible")
        await page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stChatInputTextArea\"]').disabled"
        )
        usable = time.perf_counter() - started
        await box.fill(question)
        asked = time.perf_counter()
        await box.press("Enter")
        await page.locator(".nq-answer").first.wait_for(state="visible")
        return usable, time.perf_counter() - asked, "answered"
    except Exception as exc:  # a reader that never got an answer is counted, not fatal
        return time.perf_counter() - started, None, f"failed: {str(exc).splitlines()[0][:120]}"
    finally:
        await context.close()


async def run(url: str, readers: int, sign_in: bool) -> list[tuple[float, float | None, str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        questions = (QUESTIONS * (readers // len(QUESTIONS) + 1))[:readers]
        results = await asyncio.gather(*(
            reader(browser, url, q, f"reader{n}@example.org" if sign_in else None)
            for n, q in enumerate(questions)
        ))  # fmt: skip
        await browser.close()
    return list(results)


def sign_in_options(folder: Path, stack: contextlib.ExitStack) -> tuple[int, tuple[str, ...]]:
    """An OpenID provider on loopback for the run, and the page's [auth] secrets for it."""
    import secrets

    import oidc_provider_mock

    server = stack.enter_context(oidc_provider_mock.run_server_in_thread())
    port = free_port()
    config = folder / "secrets.toml"
    config.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "newsqa-bench"\nclient_secret = "newsqa-bench-secret"\n'
        f'server_metadata_url = "http://localhost:{server.server_port}'
        '/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return port, ("--secrets.files", str(config))


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat. Chromium's
    renderers exit with their contexts and are reaped outside it, so the browsers' share is
    the machine's less the server's."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of the streamlit process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_times(index: Path) -> list[float]:
    """Seconds the server spent on each answer, from the conversations the page saved."""
    import json
    import sqlite3

    with sqlite3.connect(index / "newsqa.sqlite3") as db:
        rows = db.execute("SELECT answers FROM conversations").fetchall()
    return [
        a.get("timings_ms", {}).get("total", 0.0) / 1000
        for (text,) in rows
        for a in json.loads(text)
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--in-place", action="store_true")
    parser.add_argument("--sign-in", action="store_true",
                        help="readers sign in through OpenID Connect first")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        index = args.index
        if not args.in_place:
            index = Path(tmp) / "index"
            shutil.copytree(args.index, index)
        log = Path(tmp) / "streamlit.log"
        port, options = None, ()
        if args.sign_in:
            port, options = sign_in_options(Path(tmp), stack)
        proc, url, start = start_server(index, log, port=port, options=options)
        try:
            machine_before, server_before = machine_cpu_seconds(), cpu_seconds(proc.pid)
            results = asyncio.run(run(url, args.readers, args.sign_in))
            rss = peak_rss_mb(proc.pid)
            server_cpu = cpu_seconds(proc.pid) - server_before
            others_cpu = machine_cpu_seconds() - machine_before - server_cpu
        finally:
            stop_process(proc)
        server = server_times(index)
    usable = [u for u, _, _ in results]
    answered = [a for _, a, _ in results if a is not None]
    signed = ", each signed in through OpenID Connect" if args.sign_in else ""
    print(f"server start {start:.1f} s; {args.readers} readers at once{signed}")
    print(f"usable page     p50 {statistics.median(usable):6.2f} s   p95 "
          f"{percentile(usable, 0.95):6.2f} s")  # fmt: skip
    if answered:
        print(f"time to answer  p50 {statistics.median(answered):6.2f} s   p95 "
              f"{percentile(answered, 0.95):6.2f} s")  # fmt: skip
    if server:
        print(f"server's part   p50 {statistics.median(server):6.2f} s   p95 "
              f"{percentile(server, 0.95):6.2f} s   (the answers' own timings; the rest is the "
              "browsers on the same cores, and the websocket)")  # fmt: skip
    print(f"answered {len(answered)} of {len(results)}; server peak RSS {rss:.0f} MB")
    print(f"CPU while the readers ran: server {server_cpu:.1f} s, everything else (the browsers, "
          f"Playwright) {others_cpu:.1f} s")  # fmt: skip
    for _, answer, status in results:
        if answer is None:
            print(" ", status)


if __name__ == "__main__":
    main()
