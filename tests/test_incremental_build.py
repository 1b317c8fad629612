"""A rebuild from the caches writes exactly the files of a clean build, after every kind of change.

One project (configuration, editorial pages, templates, hooks and a corpus) is built once with a cache; each
test restores that state at the same path (the cache's keys hold absolute paths), makes one change, builds
again with the cache and once without any cache, and compares every file byte by byte. Each test also checks
that its change reached the site and how many pages came from the cache, so a cache that was never used or a
change that was never seen cannot pass.

Every test runs twice: as ``mkdocs build --clean`` (the site folder is emptied, unchanged pages come from the page
cache) and as ``mkdocs build --dirty`` (what ``make serve`` runs: unchanged outputs stay in the site folder as the
last build wrote them, what the change removed is deleted; ratsdok.site_record).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_support import SITE_CORPUS, BuildResult, files_of, run_mkdocs_build
from conftest import REPO
from ratsdok.search_index import STASH_DIR
from ratsdok.site_record import MARKER_FILE

pytestmark = pytest.mark.build

EPOCH = "1767225600"
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks")
_CACHE_REPORT = re.compile(r"Seiten-Zwischenspeicher: (\d+) Seite\(n\) unverändert übernommen, (\d+) neu erzeugt")


@dataclass(frozen=True)
class Project:
    root: Path  # always the same path: the state before each change is restored here

    @property
    def corpus(self) -> Path:
        return self.root / "drucksachen"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    def restore(self, saved: Path) -> None:
        """The state of the first build, at the same path."""
        shutil.rmtree(self.root)
        shutil.copytree(saved, self.root)

    def build(self, site: Path, *, cached: bool, dirty: bool = False) -> BuildResult:
        cache = self.cache if cached else None
        result = run_mkdocs_build(site, config=self.root / "mkdocs.yml", corpus=self.corpus, cwd=self.root, cache=cache, dirty=dirty)
        assert result.returncode == 0, result.log[-3000:]
        return result

    def edit(self, relative: str, old: str, new: str) -> None:
        file = self.root / relative
        text = file.read_text("utf-8")
        assert old in text, f"{relative}: {old!r} not found"
        file.write_text(text.replace(old, new, 1), "utf-8")


@dataclass(frozen=True)
class Rebuilt:
    incremental: BuildResult
    reused: int  # pages taken from the cache
    rendered: int  # pages rendered again

    def page(self, url: str) -> str:
        return self.incremental.page(url).read_text("utf-8")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, Path]]:
    """The project built once with its cache, and a copy of that state to restore before each change."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    base = tmp_path_factory.mktemp("inkrementell")
    project = Project(base / "projekt")
    project.root.mkdir()
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, project.root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project.root / part)
    shutil.copytree(SITE_CORPUS, project.corpus)
    first = project.build(base / "vorher", cached=True)
    assert _cache_report(first) == (0, 22)  # nothing to reuse yet; every generated page rendered
    # The state make serve leaves: a --dirty build into a folder of its own, recorded in the cache.
    assert _cache_report(project.build(base / "ausgabe", cached=True, dirty=True)) == (22, 0)
    assert (base / "ausgabe" / MARKER_FILE).is_file()
    shutil.copytree(base / "ausgabe", base / "ausgabe-vorher")
    shutil.copytree(project.root, base / "sicherung")
    yield project, base
    if previous is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = previous


@pytest.fixture(params=["clean", "dirty"])
def rebuild(pristine: tuple[Project, Path], tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[Callable[[Project], None]], Rebuilt]:
    """Restore the built state, apply ``change``, rebuild with the cache and without; the two sites must match."""
    project, base = pristine
    dirty = request.param == "dirty"

    def run(change: Callable[[Project], None]) -> Rebuilt:
        project.restore(base / "sicherung")
        change(project)
        # Into the site of the earlier build, as an editor's rebuild does: what the change removed must go.
        site = _restore_site(base, tmp_path, dirty=dirty)
        (site / ".bleibt").write_text("hidden files in the site folder stay, as MkDocs keeps them")
        incremental = project.build(site, cached=True, dirty=dirty)
        assert (site / ".bleibt").is_file()
        (site / ".bleibt").unlink()
        if dirty:
            (site / MARKER_FILE).unlink()  # written by --dirty builds only, for the next one
        assert not list(site.parent.glob(".*alt-*")), "the old contents of the site folder were not deleted"
        # Pagefind's files are those the cache keeps for the next run (hard links), so a later index can reuse them.
        stash, fragments = project.cache / STASH_DIR, site / "pagefind" / "fragment"
        # (As Pagefind wrote them, or, for an unchanged part of the index, as the last run finished them.)
        kept = (stash / "fragment", stash / "fertig" / "teil-1" / "fragment")
        assert all(any(os.path.exists(folder / file.name) and os.path.samefile(file, folder / file.name) for folder in kept) for file in fragments.iterdir())
        clean = project.build(tmp_path / "sauber", cached=False)
        first, second = files_of(incremental.site), files_of(clean.site)
        differing = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
        assert not differing, "incremental and clean build differ:\n" + "\n".join(differing[:50])
        reused, rendered = _cache_report(incremental)
        return Rebuilt(incremental, reused, rendered)

    return run


def _restore_site(base: Path, tmp_path: Path, *, dirty: bool) -> Path:
    """The site folder as the first build left it; a --dirty build's record holds its path, so that one is reused."""
    if not dirty:
        shutil.copytree(base / "vorher", tmp_path / "inkrementell")
        return tmp_path / "inkrementell"
    shutil.rmtree(base / "ausgabe")
    shutil.copytree(base / "ausgabe-vorher", base / "ausgabe")
    return base / "ausgabe"


def _cache_report(result: BuildResult) -> tuple[int, int]:
    found = _CACHE_REPORT.search(result.log)
    assert found, result.log[-2000:]
    return int(found[1]), int(found[2])


def test_nothing_changed_reuses_every_page(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    rebuilt = rebuild(lambda project: None)
    assert (rebuilt.reused, rebuilt.rendered) == (22, 0)


def test_edited_text_of_a_document(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    rebuilt = rebuild(lambda project: project.edit("drucksachen/99/99-10.md", "1. Wie viele Test-Radwege", "1. Wie viele neue Test-Radwege"))
    assert "Wie viele neue Test-Radwege" in rebuilt.page("drucksachen/99-10/")
    assert rebuilt.rendered == 1 and rebuilt.reused == 21  # only the page of the document shows its text


def test_renamed_committee_in_a_register(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    rebuilt = rebuild(lambda project: project.edit("drucksachen/register/gremien.yml", "Testausschuss für Prüfungen & Qualität", "Testausschuss für Prüfungen und Güte"))
    assert "Testausschuss für Prüfungen und Güte" in rebuilt.page("drucksachen/99-10/")
    assert rebuilt.reused > 0 and rebuilt.rendered > 1


def test_new_title_of_the_inquiry_reaches_its_answer(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    rebuilt = rebuild(lambda project: project.edit("drucksachen/99/99-10.md", "titel: Testanfrage zu Radwegen", "titel: Geänderte Testanfrage zu Radwegen"))
    assert "Geänderte Testanfrage zu Radwegen" in rebuilt.page("drucksachen/99-10-1/")  # the referencing document
    assert rebuilt.reused > 0


def test_a_new_mention_reaches_the_mentioned_document(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    before = (REPO / "tests" / "fixtures" / "site_corpus" / "98" / "98-5.md").read_text("utf-8")
    assert "99/12-1" not in before

    def mention(project: Project) -> None:
        file = project.corpus / "98" / "98-5.md"
        file.write_text(file.read_text("utf-8") + "\nSiehe auch Drucksache 99/12-1.\n", "utf-8")

    rebuilt = rebuild(mention)
    assert 'href="../98-5/"' in rebuilt.page("drucksachen/99-12-1/")  # the mentioned document links back
    assert rebuilt.reused > 0


def test_changed_template(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    crumbs = '{% include "partials/brotkrumen.html" %}'
    rebuilt = rebuild(lambda project: project.edit("overrides/drucksache.html", crumbs, "<p>Vorlagenprobe</p>" + crumbs))
    assert "Vorlagenprobe" in rebuilt.page("drucksachen/99-10/")
    assert rebuilt.reused == 0  # a template is part of every page's fingerprint


def test_changed_configuration(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    rebuilt = rebuild(lambda project: project.edit("mkdocs.yml", "site_name: Drucksachen des Ruhrparlaments", "site_name: Drucksachen des Testparlaments"))
    assert "Drucksachen des Testparlaments" in rebuilt.page("gremien/")
    assert rebuilt.reused == 0


def test_changed_code_of_the_hooks(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    rebuilt = rebuild(lambda project: project.edit("hooks/ratsdok/document_pages.py", '"""', '"""Changed. '))
    assert rebuilt.reused == 0


def test_added_document(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    def add(project: Project) -> None:
        text = (project.corpus / "98" / "98-5.md").read_text("utf-8")
        (project.corpus / "98" / "98-6.md").write_text(text.replace('nummer: "98/5"', 'nummer: "98/6"'), "utf-8")

    rebuilt = rebuild(add)
    assert rebuilt.incremental.page("drucksachen/98-6/").is_file()
    assert rebuilt.reused > 0


def test_removed_answer_leaves_its_inquiry_open(rebuild: Callable[[Callable[[Project], None]], Rebuilt]) -> None:
    def remove(project: Project) -> None:
        (project.corpus / "99" / "99-10-1.md").unlink()
        (project.corpus / "99" / "99-10-1.pdf").unlink()

    rebuilt = rebuild(remove)
    assert not rebuilt.incremental.page("drucksachen/99-10-1/").exists()
    assert "Noch keine Antwort veröffentlicht" in rebuilt.page("drucksachen/99-10/")
    assert rebuilt.reused > 0


def test_a_broken_link_in_a_template_stops_the_build_on_every_page(pristine: tuple[Project, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The links of each page are read from its text as it is rendered (by either process) or taken from the
    cache; a link that leads nowhere is still reported for every page and stops the strict build."""
    project, base = pristine
    project.restore(base / "sicherung")
    crumbs = '{% include "partials/brotkrumen.html" %}'
    project.edit("overrides/drucksache.html", crumbs, '<a href="fehlt-hier/">Probe</a>' + crumbs)
    monkeypatch.setenv("RATSDOK_PROZESSE", "2")
    result = run_mkdocs_build(tmp_path / "site", config=project.root / "mkdocs.yml", corpus=project.corpus, cwd=project.root, cache=project.cache)
    assert result.returncode != 0
    reported = re.findall(r"(drucksachen/[\w-]+/index\.html): Verweis auf 'fehlt-hier/' führt ins Leere", result.log)
    assert sorted(reported) == sorted(f"drucksachen/{path.stem}/index.html" for path in SITE_CORPUS.rglob("*.md"))
    assert "in einem zweiten Prozess erzeugt" in result.log


def _page_times(site: Path) -> dict[str, int]:
    return {path.parent.name: path.stat().st_mtime_ns for path in (site / "drucksachen").glob("*/index.html")}


def _data_times(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in (site / "api").rglob("*") if path.is_file()}


def test_dirty_rebuild_writes_only_what_changed(pristine: tuple[Project, Path], tmp_path: Path) -> None:
    """make serve after one saved Drucksache: MkDocs does not touch the other pages and data files at all."""
    project, base = pristine
    project.restore(base / "sicherung")
    project.edit("drucksachen/99/99-10.md", "1. Wie viele Test-Radwege", "1. Wie viele neue Test-Radwege")
    site = _restore_site(base, tmp_path, dirty=True)
    pages, data = _page_times(site), _data_times(site)
    assert len(pages) == 5 and data
    rebuilt = project.build(site, cached=True, dirty=True)
    assert "Wie viele neue Test-Radwege" in rebuilt.page("drucksachen/99-10/").read_text("utf-8")
    now_pages, now_data = _page_times(site), _data_times(site)
    assert sorted(name for name in pages if now_pages[name] != pages[name]) == ["99-10"]
    rewritten = sorted(name for name in data if now_data[name] != data[name])
    assert rewritten and all("99-10" in name or "drucksachen." in name for name in rewritten), rewritten


def test_dirty_rebuild_of_a_folder_changed_since_renders_everything(pristine: tuple[Project, Path], tmp_path: Path) -> None:
    """Without the marker of the recorded build (another build wrote the folder since), nothing is trusted."""
    project, base = pristine
    project.restore(base / "sicherung")
    site = _restore_site(base, tmp_path, dirty=True)
    (site / MARKER_FILE).unlink()
    pages = _page_times(site)
    project.build(site, cached=True, dirty=True)
    now = _page_times(site)
    assert all(now[name] != pages[name] for name in pages)
    assert (site / MARKER_FILE).is_file()


def test_a_clean_build_invalidates_the_record(pristine: tuple[Project, Path], tmp_path: Path) -> None:
    project, base = pristine
    project.restore(base / "sicherung")
    site = _restore_site(base, tmp_path, dirty=True)
    project.build(site, cached=True)
    assert not (site / MARKER_FILE).exists()
