"""Helpers for tests/test_render.py and tests/test_build.py: run MkDocs, parse HTML, compare texts.

No third-party dependencies: HTML is parsed with ``html.parser`` into a small element tree.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SITE_CORPUS = FIXTURES / "site_corpus"
SOURCE_14_2048_1 = FIXTURES / "quellen" / "drucksache-14-2048-1.txt"
REAL_DOCUMENT_14_2048_1 = REPO / "drucksachen" / "14" / "14-2048-1.md"


# --- running MkDocs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    site: Path
    returncode: int
    log: str  # stdout and stderr together

    def page(self, url: str) -> Path:
        """``drucksachen/99-10/`` -> the built ``index.html``."""
        return self.site / url / "index.html"


def run_mkdocs_build(
    site_dir: Path,
    *,
    config: Path = REPO / "mkdocs.yml",
    corpus: Path | None = None,
    strict: bool = True,
    cwd: Path = REPO,
    cache: Path | None = None,
    dirty: bool = False,
) -> BuildResult:
    """``mkdocs build [--strict] -f CONFIG -d SITE_DIR`` in a subprocess; ``corpus`` sets DRUCKSACHEN_DIR.
    Without ``cache`` the build uses no cache at all (a clean build), with it the caches in that folder.
    ``dirty`` builds with ``--dirty`` (into what the site folder holds) instead of ``--clean``."""
    env = {key: value for key, value in os.environ.items() if key != "DRUCKSACHEN_DIR"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["RATSDOK_CACHE_DIR"] = str(cache) if cache is not None else ""
    if corpus is not None:
        env["DRUCKSACHEN_DIR"] = str(corpus)
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty" if dirty else "--clean", "-f", str(config), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    return BuildResult(site_dir, completed.returncode, completed.stdout + completed.stderr)


def files_of(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` by its relative path, with its bytes."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


# --- a tiny HTML element tree -----------------------------------------------------------------------

VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    attr_list: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None
    line: int = 0

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def iter(self) -> Iterator[Element]:
        """This element and all elements below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, *, cls: str | None = None, id: str | None = None) -> list[Element]:
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag) and (cls is None or cls in element.classes) and (id is None or element.attrs.get("id") == id)
        ]

    def find(self, tag: str | None = None, *, cls: str | None = None, id: str | None = None) -> Element:
        found = self.find_all(tag, cls=cls, id=id)
        assert found, f"no element <{tag or '*'}> class={cls!r} id={id!r}"
        return found[0]

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self) -> str:
        """Text content (entities decoded), whitespace collapsed."""
        return " ".join("".join(self._raw_text()).split())

    def _raw_text(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._raw_text()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, list(attrs), parent=self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, list(attrs), parent=self.stack[-1], line=self.getpos()[0])
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def parse_file(path: Path) -> Element:
    return parse_html(path.read_text(encoding="utf-8"))


# --- visible words, for comparing a rendered text with its source ------------------------------------


def visible_words(element: Element) -> list[str]:
    """The words a reader sees, in order: block elements separate words, ``<ol>`` items show their number."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        number = _ol_start(node)
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
                continue
            if child.tag in ("script", "style", "template"):
                continue
            block = child.tag in BLOCK_ELEMENTS
            if block:
                parts.append(" ")
            if child.tag == "li" and number is not None:
                parts.append(f"{number}. ")
                number += 1
            walk(child)
            if block:
                parts.append(" ")

    walk(element)
    return "".join(parts).split()


def _ol_start(node: Element) -> int | None:
    if node.tag != "ol":
        return None
    start = node.attrs.get("start", "1")
    return int(start) if start.isdigit() else 1


def source_words(text: str, first: str, last: str) -> list[str]:
    """Words of a published source text from ``first`` to ``last`` (inclusive), Markdown emphasis marks removed.

    ``*Bildungsberichts Ruhr 2024*`` marks italics in the source; a star inside a word (``Akteur*innen``) is text.
    """
    start = text.index(first)
    end = text.index(last, start) + len(last)
    words = (_EMPHASIS_MARK.sub("", word) for word in text[start:end].split())
    return [word for word in words if word]


_EMPHASIS_MARK = re.compile(r"(?<!\w)\*+|\*+(?!\w)")


_LABEL_WORDS = frozenset({"Anfrage", "Antwort"})


def compare_words(source: list[str], rendered: list[str]) -> str | None:
    """None if ``rendered`` shows exactly the words of ``source`` in order, else a description of the first difference.

    Allowed differences only: a printed question number ("1.") shown as the label "Frage 1" (read as "Frage 1:"); the line "Antwort:"
    shown as the heading "Antwort"; extra label words "Anfrage", "Antwort" and "Frage N" in the rendered text.
    """
    i = j = 0
    while i < len(source) and j < len(rendered):
        word, shown = source[i], rendered[j]
        if word == shown:
            i, j = i + 1, j + 1
            continue
        number = re.fullmatch(r"(\d{1,3}(?:\.\d{1,3})*)\.", word)
        if number and shown == "Frage" and rendered[j + 1 : j + 2] in ([number.group(1)], [number.group(1) + ":"]):
            i, j = i + 1, j + 2
            continue
        if word == "Antwort:" and shown == "Antwort":
            i, j = i + 1, j + 1
            continue
        skip = _label_length(rendered, j)
        if skip:
            j += skip
            continue
        return f"word {i + 1} of the source differs: source …{' '.join(source[max(0, i - 6) : i + 6])}… but rendered …{' '.join(rendered[max(0, j - 6) : j + 6])}…"
    if i < len(source):
        return f"rendered text ends early; missing from the source: {' '.join(source[i : i + 12])}…"
    while j < len(rendered):
        skip = _label_length(rendered, j)
        if not skip:
            return f"rendered text has extra words at the end: {' '.join(rendered[j : j + 12])}"
        j += skip
    return None


def _label_length(rendered: list[str], j: int) -> int:
    """How many words of a label start at ``rendered[j]`` (0: no label)."""
    if rendered[j] in _LABEL_WORDS:
        return 1
    if rendered[j] == "Frage" and j + 1 < len(rendered) and re.fullmatch(r"\d{1,3}(?:\.\d{1,3})*:?", rendered[j + 1]):
        return 2
    return 0


FIRST_WORDS_14_2048_1 = "Vor dem Hintergrund"
LAST_WORDS_14_2048_1 = "angestrebt werden."


def source_words_14_2048_1() -> list[str]:
    return source_words(SOURCE_14_2048_1.read_text(encoding="utf-8"), FIRST_WORDS_14_2048_1, LAST_WORDS_14_2048_1)


# --- links in a built site --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    page: Path  # the HTML file
    tag: str
    attribute: str
    value: str


def site_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def references(site: Path, page: Path, root: Element | None = None) -> list[Reference]:
    """Every URL in href/src/srcset/poster/data/action attributes of one page."""
    root = root or parse_file(page)
    found = []
    for element in root.iter():
        for name, value in element.attrs.items():
            if name in ("href", "src", "poster", "data", "action", "xlink:href"):
                found.append(Reference(page, element.tag, name, value))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.strip():
                        found.append(Reference(page, element.tag, name, candidate.split()[0]))
    return found


def is_external(url: str) -> bool:
    """True for a URL naming a host or a scheme (``https://…``, ``//host/…``, ``mailto:``)."""
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc)


def resolve_internal(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """The file an internal URL of ``page`` points to, and its fragment ("" if none)."""
    parts = urlsplit(url)
    page_dir = PurePosixPath("/" + page.parent.relative_to(site).as_posix())
    path = unquote(parts.path)
    if not path:
        target = page
    else:
        joined = PurePosixPath(path) if path.startswith("/") else page_dir / path
        normalised = _normalise(joined)
        target = site / normalised.lstrip("/")
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
    return target, unquote(parts.fragment)


def _normalise(path: PurePosixPath) -> str:
    stack: list[str] = []
    for part in path.parts[1:]:
        if part == "..":
            if stack:
                stack.pop()
        elif part != ".":
            stack.append(part)
    return "/" + "/".join(stack)


def ids_of(root: Element) -> list[str]:
    return [element.attrs["id"] for element in root.iter() if "id" in element.attrs]


def first_problem(items: list[str], limit: int = 20) -> str:
    return "\n".join(items[:limit]) + (f"\n… and {len(items) - limit} more" if len(items) > limit else "")


def select(root: Element, predicate: Callable[[Element], bool]) -> list[Element]:
    return [element for element in root.iter() if predicate(element)]


def search_bundle_texts(site: Path) -> dict[str, str]:
    """The decompressed Pagefind files (fragments, filters, index chunks) by their site path."""
    texts = {}
    for path in sorted((site / "pagefind").rglob("*.pf_*")):
        data = gzip.decompress(path.read_bytes())
        texts[path.relative_to(site).as_posix()] = data.removeprefix(b"pagefind_dcd").decode("utf-8", errors="replace")
    return texts


def search_fragments(site: Path) -> list[dict[str, object]]:
    """Pagefind's stored record of every indexed page: url, content, meta, filters."""
    return [json.loads(text) for name, text in search_bundle_texts(site).items() if name.endswith(".pf_fragment")]
