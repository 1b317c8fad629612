"""Draw the link-preview image (Open Graph ``og:image``, 1200 × 630 PNG) from the site's name and description.

Run it again after changing ``site_name`` or ``site_description`` in mkdocs.yml (another body, another name):

    .venv/bin/python scripts/preview_image.py

It renders a small HTML page in Debian's chromium (``RATSDOK_CHROMIUM`` names another executable) with the
system fonts, so the picture needs no font files from anywhere else.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from pathlib import Path

from site_config import read_site_config

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "assets" / "images" / "vorschau.png"
WIDTH, HEIGHT = 1200, 630


def preview_html(title: str, description: str) -> str:
    return f"""<!doctype html><html lang="de"><meta charset="utf-8"><style>
body {{ margin: 0; width: {WIDTH}px; height: {HEIGHT}px; background: #303f9f; color: #fff;
       font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; display: flex; flex-direction: column;
       justify-content: center; padding: 0 90px; box-sizing: border-box; }}
h1 {{ font-size: 72px; line-height: 1.1; margin: 0 0 36px; }}
p {{ font-size: 34px; line-height: 1.35; margin: 0; opacity: .95; }}
</style><h1>{html.escape(title)}</h1><p>{html.escape(description)}</p></html>"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zeichnet das Vorschaubild für geteilte Links (docs/assets/images/vorschau.png).")
    parser.add_argument("--ausgabe", type=Path, default=OUTPUT, help="Zieldatei (PNG)")
    args = parser.parse_args(argv)
    config = read_site_config()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("RATSDOK_CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.set_content(preview_html(config["site_name"], " ".join(str(config.get("site_description", "")).split())))
        args.ausgabe.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.ausgabe))
        browser.close()
    print(f"Vorschaubild geschrieben: {args.ausgabe}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
