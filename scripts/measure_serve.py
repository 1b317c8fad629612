#!/usr/bin/env python3
"""How long an editor waits under ``mkdocs serve`` (what ``make serve`` runs) until a saved Drucksache shows.

    python scripts/measure_serve.py --count 1000 --edits 6

Generates ``--count`` documents (seed 2048) into a temporary folder, starts ``mkdocs serve --dirty`` on a free port with
its own cache, waits for the first build, then ``--edits`` times appends a line to one document and polls its page
until the line appears; prints each wait and the server's resident memory, and the first build's time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import generate_corpus

REPO = Path(__file__).resolve().parent.parent
SEED = 2048
TIMEOUT = 900.0


def serve_command(port: int) -> list[str]:
    """What ``make serve`` runs (``--dirty``: only what a save changed is written again; ratsdok.site_record)."""
    return [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def page_text(url: str) -> str:
    """The text served at ``url``, or "" while it is not there yet: no server, or a file read while it is rewritten
    (the server announces its old length and sends fewer bytes, e.g. the search index made after a build)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, timeout: float = TIMEOUT) -> float:
    started = time.monotonic()
    while text not in page_text(url):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


def resident_megabytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def measure(corpus: Path, cache: Path, edits: int, pause: float) -> list[tuple[str, float, int]]:
    document = sorted(path for path in corpus.rglob("*.md") if "register" not in path.parts)[0]
    url_path = f"drucksachen/{document.stem}/"
    port = free_port()
    env = {**os.environ, "DRUCKSACHEN_DIR": str(corpus), "RATSDOK_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(serve_command(port), cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{url_path}"
    rows = []
    try:
        rows.append(("first build", wait_for(url, "<html"), resident_megabytes(server.pid)))
        for number in range(1, edits + 1):
            time.sleep(pause)
            marker = f"Bearbeitungsprobe{number}x{time.time_ns()}"
            with document.open("a", encoding="utf-8") as file:
                file.write(f"\n{marker}\n")
            rows.append((f"save {number}", wait_for(url, marker), resident_megabytes(server.pid)))
    finally:
        server.terminate()
        server.wait(timeout=60)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="documents to generate (default 1000)")
    parser.add_argument("--edits", type=int, default=6, help="saves to time (default 6)")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between a shown page and the next save")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="measure-serve-") as work:
        corpus = Path(work) / "corpus"
        generate_corpus(corpus, args.count, SEED)
        for what, seconds, megabytes in measure(corpus, Path(work) / "cache", args.edits, args.pause):
            print(f"{what:12} {seconds:6.1f} s   server {megabytes:,} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
