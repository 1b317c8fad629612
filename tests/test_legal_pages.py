"""The legal pages (Erklärung zur Barrierefreiheit, Leichte Sprache, Gebärdensprache, Impressum, Datenschutz) take
every body-specific value from ``extra:`` in mkdocs.yml, so another council reuses them by configuration only.

A build with a configuration that inherits mkdocs.yml and replaces every value of ``extra.koerperschaft`` and
``extra.rechtliches`` shows each new value and none of the old ones. Sign-language videos, once configured, are
embedded from the site itself with captions; until then the page shows no video and the statement says so.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from build_support import REPO, BuildResult, Element, parse_file, run_mkdocs_build
from site_config import read_site_config

pytestmark = pytest.mark.build

CORPUS = REPO / "tests" / "fixtures" / "index_corpus"
LEGAL_PAGES = ("barrierefreiheit", "leichte-sprache", "gebaerdensprache", "impressum", "datenschutz")
UNUSED_ON_LEGAL_PAGES = {"koerperschaft.gremium", "rechtliches.gebaerdensprache.videos"}
VIDEO = {
    "titel": "Was sind Drucksachen? In Deutscher Gebärdensprache",
    "datei": "assets/videos/dgs-drucksachen.mp4",
    "untertitel": "assets/videos/dgs-drucksachen.vtt",
    "transkript": "assets/videos/dgs-drucksachen.txt",
}


def repo_extra() -> dict[str, Any]:
    extra: dict[str, Any] = read_site_config()["extra"]
    return extra


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """``{"koerperschaft.anschrift.ort": "Essen", ...}``"""
    if isinstance(value, dict):
        return {key: leaf for name, child in value.items() for key, leaf in leaves(child, f"{path}.{name}".lstrip(".")).items()}
    return {path: value}


def replaced(value: Any, path: str = "") -> Any:
    """The same structure with a new, recognisable value in every leaf (another body's settings)."""
    if isinstance(value, dict):
        return {name: replaced(child, f"{path}.{name}".lstrip(".")) for name, child in value.items()}
    if isinstance(value, dt.date):
        return dt.date(2031, 2, 3)
    if isinstance(value, list):
        return [VIDEO]
    name = path.rsplit(".", 1)[-1]
    if "email" in name:
        return f"{name.replace('_', '-')}@beispielverband.example"
    if "url" in name or name == "website":
        return f"https://beispielverband.example/{name}"
    if "telefon" in name:
        return "+49 30 123456-" + str(len(path))
    return f"Beispielwert {path}"


def build_with_extra(root: Path, extra: dict[str, Any]) -> BuildResult:
    """Build a copy of docs/ (plus dummy video files) with a configuration that inherits mkdocs.yml."""
    docs = root / "docs"
    shutil.copytree(REPO / "docs", docs)
    for file in ("datei", "untertitel", "transkript"):
        (docs / VIDEO[file]).parent.mkdir(parents=True, exist_ok=True)
        (docs / VIDEO[file]).write_bytes(b"WEBVTT\n" if file == "untertitel" else b"test file\n")
    config = {
        "INHERIT": str(REPO / "mkdocs.yml"),
        "docs_dir": str(docs),
        "theme": {"custom_dir": str(REPO / "overrides")},
        "hooks": [str(REPO / "hooks" / "site_hooks.py")],
        "extra": extra,
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = run_mkdocs_build(root / "site", config=config_file, corpus=CORPUS)
    assert result.returncode == 0, result.log
    return result


def legal_texts(site: Path) -> dict[str, str]:
    return {name: (site / name / "index.html").read_text(encoding="utf-8") for name in LEGAL_PAGES}


def shown(text: str, value: Any) -> bool:
    if isinstance(value, dt.date):
        months = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember")
        return f'<time datetime="{value.isoformat()}">{value.day}. {months[value.month - 1]} {value.year}</time>' in text
    return str(value) in text


@pytest.fixture(scope="module")
def other_body(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, dict[str, Any]]:
    extra = repo_extra()
    other = {key: replaced(value, key) for key, value in extra.items() if key in ("koerperschaft", "rechtliches")}
    return build_with_extra(tmp_path_factory.mktemp("andere-koerperschaft"), other), other


def test_every_configured_value_of_another_body_is_shown_and_none_of_the_rvr(other_body: tuple[BuildResult, dict[str, Any]]) -> None:
    result, other = other_body
    texts = legal_texts(result.site)
    everything = "\n".join(texts.values())
    new_values = {key: value for key, value in leaves(other).items() if key not in UNUSED_ON_LEGAL_PAGES}
    assert len(new_values) > 20
    missing = [key for key, value in new_values.items() if not shown(everything, value)]
    assert not missing, f"not shown on any legal page: {missing}"
    old_values = {key: value for key, value in leaves(repo_extra()).items() if key.split(".")[0] in ("koerperschaft", "rechtliches")}
    left = [f"{key} ({page})" for key, value in old_values.items() if isinstance(value, str) for page, text in texts.items() if value in text]
    assert not left, f"values of the RVR still on the legal pages: {left}"


def test_configured_sign_language_videos_are_embedded_from_the_site_with_captions(other_body: tuple[BuildResult, dict[str, Any]]) -> None:
    result, _ = other_body
    page = parse_file(result.site / "gebaerdensprache" / "index.html")
    [video] = page.find_all("video")
    assert video.attrs["src"] == "../" + VIDEO["datei"] and "controls" in video.attrs
    [track] = video.find_all("track")
    assert (track.attrs["kind"], track.attrs["srclang"], track.attrs["src"]) == ("captions", "de", "../" + VIDEO["untertitel"])
    assert VIDEO["titel"] in page.find("figcaption").text()
    assert not page.find_all("iframe"), "no video platform: its player would contact a third party"
    statement = (result.site / "barrierefreiheit" / "index.html").read_text(encoding="utf-8")
    assert "Videos in Deutscher Gebärdensprache liegen noch nicht vor" not in statement


@pytest.fixture(scope="module")
def repo_config_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = run_mkdocs_build(tmp_path_factory.mktemp("rechtliches") / "site", corpus=CORPUS)
    assert result.returncode == 0, result.log
    return result


def test_without_videos_the_sign_language_page_says_so_and_shows_nothing_like_a_video(repo_config_build: BuildResult) -> None:
    page = parse_file(repo_config_build.site / "gebaerdensprache" / "index.html")
    for tag in ("video", "iframe", "object", "embed", "img"):
        assert not page.find_all(tag), f"a <{tag}> on the sign-language page without videos"
    assert "Die Videos liegen noch nicht vor" in page.text()
    statement = (repo_config_build.site / "barrierefreiheit" / "index.html").read_text(encoding="utf-8")
    assert "Videos in Deutscher Gebärdensprache liegen noch nicht vor" in statement


def test_the_statement_has_the_parts_the_law_requires(repo_config_build: BuildResult) -> None:
    """§ 10b BGG NRW / BITV NRW: status, content that is not accessible with reasons, date and method of the review,
    a feedback contact, the enforcement (Ombudsstelle)."""
    page = parse_file(repo_config_build.site / "barrierefreiheit" / "index.html")
    headings = [heading.text() for heading in page.find_all("h2")]
    assert headings == [
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Barrieren melden: Kontakt",
        "Schlichtungsverfahren: Ombudsstelle",
    ]
    text = page.text()
    assert "Letzte Überprüfung 26. November 2026" in " ".join(text.split())
    assert "Methode Selbstbewertung" in " ".join(text.split())
    heading = page.find("h2", id="nicht-barrierefrei")
    assert heading.parent is not None
    siblings = [child for child in heading.parent.children if isinstance(child, Element)]
    limitations = next(child for child in siblings[siblings.index(heading) :] if child.tag == "ul")
    reasons = [item.text() for item in limitations.find_all("li")]
    assert reasons and all("Grund:" in reason or "deshalb" in reason or "nicht in Leichter Sprache" in reason for reason in reasons), reasons
    links = [link.attrs["href"] for link in page.find_all("a")]
    assert "mailto:barrierefreiheit@rvr.ruhr?subject=Barriere%20auf%20Drucksachen%20des%20Ruhrparlaments" in links
    assert "https://www.lbbp.nrw.de/ombudsstelle" in links and "mailto:ombudsstelle-barrierefreie-it@mags.nrw.de" in links
