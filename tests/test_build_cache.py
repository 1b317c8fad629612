"""The caches of a build (ratsdok.build_cache): keys that depend on values only, texts rendered once, bounded size.

That a rebuild from these caches writes exactly a clean build's files is shown in tests/test_incremental_build.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from conftest import REPO
from ratsdok.build_cache import BODIES_FILE, LINKS_FILE, WRITING_SUFFIX, CacheWrite, PageCache, build_fingerprint, cached_renders, canonical, pickled
from ratsdok.document_pages import Link
from ratsdok.linkcheck import page_links
from ratsdok.model import PaperType, RegisterKind
from ratsdok.render import render_bodies
from ratsdok.site_pages import Crumb
from ratsdok.template_cache import TemplateCache


def test_equal_values_pickle_alike_whichever_parts_are_the_same_object() -> None:
    shared = "Testausschuss für Prüfungen"
    copy = "".join(["Testausschuss", " für Prüfungen"])  # equal, another object
    assert shared is not copy
    assert pickled((shared, shared)) == pickled((shared, copy))


def test_dataclasses_pickle_by_their_field_values() -> None:
    link = Link("Testausschuss", "gremien/testausschuss/")
    assert pickled((link, Crumb("Start", None))) == pickled((Link("Testausschuss", "gremien/testausschuss/"), Crumb("Start", None)))
    assert pickled(link) != pickled(Link("Testausschuss", "gremien/anderer/"))
    assert pickled(link) != pickled(Crumb("Testausschuss", "gremien/testausschuss/"))  # the class counts too


def test_dates_enums_and_classes_pickle_by_value_too() -> None:
    assert pickled(dt.date(2025, 6, 4)) == pickled(dt.date(2025, 6, 4)) != pickled(dt.date(2025, 6, 5))
    assert pickled(PaperType.INQUIRY) != pickled(PaperType.ANSWER)
    assert pickled(PaperType) != pickled(RegisterKind)  # classes of a metaclass (Enum) by their names
    assert pickled((Link, Crumb)) != pickled((Crumb, Link))


def test_canonical_settings_do_not_depend_on_the_order_of_sets() -> None:
    assert canonical({"b": {"x", "y"}, "a": [1, None]}) == canonical({"a": [1, None], "b": {"y", "x"}})
    assert canonical({"a": {"x"}}) != canonical({"a": {"y"}})


FINGERPRINT_SCRIPT = """
import sys
sys.path.insert(0, "hooks")
from mkdocs.config import load_config
import site_hooks
print(site_hooks._fingerprint(load_config("mkdocs.yml"), b"code", "2026-01-01"))
"""


def test_the_fingerprint_of_the_configuration_is_the_same_in_every_process() -> None:
    """The resolved configuration holds sets (the theme's static templates) whose order changes with each
    process's string hashing: a fingerprint by repr missed the whole cache on every other build."""
    fingerprints = set()
    for seed in map(str, range(1, 9)):  # the order of a two-element set differs between some of these seeds
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", FINGERPRINT_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True)
        fingerprints.add(result.stdout.strip())
    assert len(fingerprints) == 1


def test_the_fingerprint_changes_with_code_settings_and_date() -> None:
    base = {"settings": {"site_name": "A"}, "code": b"1", "build_date": "2026-01-01"}
    first = build_fingerprint(**base)  # type: ignore[arg-type]
    assert first == build_fingerprint(**base)  # type: ignore[arg-type]
    for change in ({"settings": {"site_name": "B"}}, {"code": b"2"}, {"build_date": "2026-01-02"}):
        assert build_fingerprint(**{**base, **change}) != first  # type: ignore[arg-type]


class CountingRenderer:
    def __init__(self) -> None:
        self.rendered: list[str] = []

    def __call__(self, texts: Sequence[str]) -> list[object]:
        self.rendered.extend(texts)
        return render_bodies(texts)


def test_texts_are_rendered_once_and_the_cache_holds_the_last_build_only(tmp_path: Path) -> None:
    texts = ["## Anfrage\n\n1. Wie viele?", "## Antwort\n\nZwölf."]
    first = CountingRenderer()
    assert cached_renders(texts, first, tmp_path, b"code") == render_bodies(texts)
    assert first.rendered == texts
    again = CountingRenderer()
    assert cached_renders([*texts, "Neu."], again, tmp_path, b"code") == render_bodies([*texts, "Neu."])
    assert again.rendered == ["Neu."]
    size_with_three = (tmp_path / BODIES_FILE).stat().st_size
    cached_renders(["Neu."], CountingRenderer(), tmp_path, b"code")
    assert (tmp_path / BODIES_FILE).stat().st_size < size_with_three  # the two texts no longer built are gone


def test_a_cache_written_in_the_background_is_waited_for(tmp_path: Path) -> None:
    """The build goes on while a detached process writes the cache; the next build reads it when it is written."""
    texts = [f"## Antwort {number}\n\n" + "Text. " * 2_000 for number in range(200)]
    cached_renders(texts, CountingRenderer(), tmp_path, b"code", save_in_background=True)
    again = CountingRenderer()
    assert cached_renders(texts, again, tmp_path, b"code") == render_bodies(texts)
    assert again.rendered == []
    assert not (tmp_path / (BODIES_FILE + WRITING_SUFFIX)).exists()


def test_kept_in_memory_the_texts_come_back_without_the_file_and_are_written_when_asked(tmp_path: Path) -> None:
    """make serve: the rendered texts of the last build come from memory, the file is written after the preview."""
    texts = ["## Anfrage\n\n1. Wie viele?", "## Antwort\n\nZwölf."]
    later: list[CacheWrite] = []
    cached_renders(texts, CountingRenderer(), tmp_path, b"code", keep_in_memory=True, later=later)
    assert [write.new_entries for write in later] == [2] and not (tmp_path / BODIES_FILE).exists()  # not yet written
    later.pop().write()
    assert (tmp_path / BODIES_FILE).exists()
    (tmp_path / BODIES_FILE).write_bytes(b"not a pickle")  # not read again
    again = CountingRenderer()
    assert cached_renders([*texts, "Neu."], again, tmp_path, b"code", keep_in_memory=True, later=later) == render_bodies([*texts, "Neu."])
    assert again.rendered == ["Neu."] and [write.new_entries for write in later] == [1]
    other_code = CountingRenderer()
    cached_renders(texts, other_code, tmp_path, b"other code", keep_in_memory=True, later=later)
    assert other_code.rendered == texts  # what memory holds is for its code only


def test_other_code_or_a_damaged_cache_renders_again(tmp_path: Path) -> None:
    texts = ["## Antwort\n\nZwölf."]
    cached_renders(texts, CountingRenderer(), tmp_path, b"code")
    other_code = CountingRenderer()
    cached_renders(texts, other_code, tmp_path, b"other code")
    assert other_code.rendered == texts
    (tmp_path / BODIES_FILE).write_bytes(b"not a pickle")
    damaged = CountingRenderer()
    assert cached_renders(texts, damaged, tmp_path, b"other code") == render_bodies(texts)
    assert damaged.rendered == texts


def test_pages_are_kept_for_the_current_build_only(tmp_path: Path) -> None:
    old = PageCache.open(tmp_path, "alt")
    old.put(old.key("seite"), "<p>alt</p>")
    cache = PageCache.open(tmp_path, "neu")
    kept, dropped = cache.key("a", 1), cache.key("b", 2)
    cache.put(kept, "<p>Ä</p>")
    cache.put(dropped, "<p>B</p>")
    again = PageCache.open(tmp_path, "neu")
    assert again.get(kept) == "<p>Ä</p>" and again.get(again.key("c", 3)) is None
    assert (again.hits, again.misses) == (1, 1)
    again.prune()
    assert sorted(path.name for path in (tmp_path / "seiten").iterdir()) == ["neu"]
    assert [path.name for path in (tmp_path / "seiten" / "neu").iterdir()] == [kept]


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "datei"
    blocked.write_text("kein Ordner")
    cache = PageCache.open(blocked, "neu")
    cache.put(cache.key("a"), "<p>A</p>")  # no exception
    assert cache.get(cache.key("a")) is None
    assert cached_renders(["Text."], render_bodies, blocked, b"code") == render_bodies(["Text."])


def cache_with_links(folder: Path) -> tuple[PageCache, str, str]:
    """A page cache with two pages and their links (each links the folder named by its key's start)."""
    cache = PageCache.open(folder, "neu")
    kept, dropped = cache.key("a"), cache.key("b")
    for key in (kept, dropped):
        cache.put(key, "<p></p>")
        cache.put_links(key, page_links("a/index.html", f'<a href="../{key[:4]}/">x</a>'))
    return cache, kept, dropped


def test_the_links_of_a_page_are_kept_with_it(tmp_path: Path) -> None:
    cache, kept, dropped = cache_with_links(tmp_path)
    cache.prune()
    again = PageCache.open(tmp_path, "neu")
    assert again.links(kept) == page_links("a/index.html", f'<a href="../{kept[:4]}/">x</a>')
    again.get(kept)  # only this page is part of the next build
    again.prune()
    last = PageCache.open(tmp_path, "neu")
    assert last.links(kept) is not None and last.links(dropped) is None


def test_the_links_of_the_last_build_are_taken_from_memory_and_the_next_prune_keeps_only_the_used(tmp_path: Path) -> None:
    """make serve: the next build's cache takes the links from the last one, not from the file; another
    fingerprint's cache does not."""
    first, kept, dropped = cache_with_links(tmp_path)
    first.prune()
    (first.folder / LINKS_FILE).write_bytes(b"kein Pickle")  # not read again
    second = PageCache.open(tmp_path, "neu", earlier=first)
    assert second.links(kept) == page_links("a/index.html", f'<a href="../{kept[:4]}/">x</a>')
    assert PageCache.open(tmp_path, "anders", earlier=first).links(kept) is None
    second.keep(kept)
    second.prune()
    last = PageCache.open(tmp_path, "neu")
    assert last.links(kept) is not None and last.links(dropped) is None


def test_the_links_file_can_be_left_to_be_written_later(tmp_path: Path) -> None:
    """make serve: the upkeep hands the writing of the links file over (it is written with the other caches)."""
    now, later = cache_with_links(tmp_path / "jetzt")[0], cache_with_links(tmp_path / "spaeter")[0]
    writes: list[CacheWrite] = []
    now.prune()
    later.prune(writes)
    assert not (later.folder / LINKS_FILE).exists()
    assert [write.new_entries for write in writes] == [2]
    writes[0].write()
    assert (later.folder / LINKS_FILE).read_bytes() == (now.folder / LINKS_FILE).read_bytes()


def test_a_write_left_undone_counts_toward_the_one_in_its_place(tmp_path: Path) -> None:
    """make serve: a cache whose writing waited for a quiet moment (hooks/site_hooks.py) lacks the entries of both
    builds; the newer content replaces the older, and the file is written once enough entries are missing."""
    done: list[str] = []
    earlier = CacheWrite(tmp_path / "c.pickle", lambda: done.append("earlier"), 120)
    newer = CacheWrite(tmp_path / "c.pickle", lambda: done.append("newer"), 1)
    assert newer.after(None) is newer
    replacing = newer.after(earlier)
    assert replacing.new_entries == 121 and replacing.file == newer.file
    replacing.write()
    assert done == ["newer"]


def test_digested_classes_are_keyed_by_their_value(tmp_path: Path) -> None:
    """A value that many pages hold (a Drucksache) is written as the digest of its value: equal values key alike
    whichever object holds them, and a different value is another key."""
    cache = PageCache.open(tmp_path, "fingerprint", digested=(Link,))
    link = Link("Testausschuss", "gremien/testausschuss/")
    equal = Link("Testausschuss", "gremien/testausschuss/")
    other = Link("Testausschuss", "gremien/anderer/")
    assert cache.key(link, Crumb("Start", None)) == cache.key(equal, Crumb("Start", None))
    assert cache.key(link, link) == cache.key(equal, link)
    assert cache.key(link) != cache.key(other)
    assert cache.key((link,)) != cache.key((Crumb("Testausschuss", "gremien/testausschuss/"),))  # the class counts


class CompilingEnvironment(jinja2.Environment):
    """Counts the templates it compiles (a template from the bytecode cache is not compiled)."""

    compiled = 0

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        self.compiled += 1
        return super().compile(*args, **kwargs)


def test_compiled_templates_are_kept_and_a_template_cache_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    templates = jinja2.DictLoader({"seite.html": "{{ titel | upper }}"})
    folder = tmp_path / "vorlagen"
    first = CompilingEnvironment(loader=templates, bytecode_cache=TemplateCache.open(folder))
    assert first.get_template("seite.html").render(titel="Drucksache") == "DRUCKSACHE"
    assert first.compiled == 1 and len(list(folder.iterdir())) == 1  # compiled and kept
    second = CompilingEnvironment(loader=templates, bytecode_cache=TemplateCache.open(folder))
    assert second.get_template("seite.html").render(titel="Antwort") == "ANTWORT"
    assert second.compiled == 0  # the next build reads it instead of compiling
    cache = TemplateCache.open(folder)
    shutil.rmtree(folder)  # the cache's folder is gone: nothing can be written, the template still renders
    third = CompilingEnvironment(loader=templates, bytecode_cache=cache)
    assert third.get_template("seite.html").render(titel="Anfrage") == "ANFRAGE"
    (tmp_path / "datei").write_text("kein Ordner", "utf-8")
    assert TemplateCache.open(tmp_path / "datei" / "vorlagen") is None  # no folder: no cache, no error
