"""Serve a built site on localhost, optionally below a sub-path (like a GitHub Pages project site).

Used by the browser tests and the search measurement:

    with serve_site(Path("site"), prefix="/drucksachen-ruhr/") as base_url:
        ...  # base_url == "http://127.0.0.1:<port>/drucksachen-ruhr/"

With ``compress=True`` text responses are sent gzip-compressed to a client that accepts it, as GitHub Pages
serves them (HTML, CSS, JavaScript, JSON, XML, SVG); other files (Pagefind's index, which Pagefind compresses
itself, the wasm, images, PDFs) go out as they are.
"""

from __future__ import annotations

import functools
import gzip
import mimetypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

COMPRESSED_TYPES = re.compile(r"^(text/|application/(javascript|json|xml|[\w.+-]*\+(json|xml))$|image/svg\+xml$)")


class _SiteHandler(SimpleHTTPRequestHandler):
    prefix = "/"
    compress = False

    def do_GET(self) -> None:
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        file = Path(self.translate_path(url_path))
        if file.is_dir() and url_path.endswith("/"):
            file = file / "index.html"
        content_type = mimetypes.guess_type(file.name)[0] or ""
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and accepts_gzip and file.is_file() and COMPRESSED_TYPES.match(content_type)):
            super().do_GET()  # also the redirect of a folder URL without its slash, and every 404
            return
        body = gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8" if content_type.startswith("text/") else content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")  # answered with 404
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and measurements print what matters themselves


@contextmanager
def serve_site(site_dir: Path, prefix: str = "/", *, compress: bool = False) -> Iterator[str]:
    """Serve ``site_dir`` at ``http://127.0.0.1:<free port><prefix>`` while the block runs."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix must start and end with '/': {prefix!r}")
    handler = type("SiteHandler", (_SiteHandler,), {"prefix": prefix, "compress": compress})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
