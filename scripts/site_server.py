"""Serve a built site on localhost, optionally below a sub-path (like a GitHub Pages project site).

Used by the browser tests and the search measurement:

    with serve_site(Path("site"), prefix="/drucksachen-ruhr/") as base_url:
        ...  # base_url == "http://127.0.0.1:<port>/drucksachen-ruhr/"
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _SiteHandler(SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")  # answered with 404
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and measurements print what matters themselves


@contextmanager
def serve_site(site_dir: Path, prefix: str = "/") -> Iterator[str]:
    """Serve ``site_dir`` at ``http://127.0.0.1:<free port><prefix>`` while the block runs."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix must start and end with '/': {prefix!r}")
    handler = type("SiteHandler", (_SiteHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
