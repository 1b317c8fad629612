"""compact_html: indentation goes, meaning stays."""

from __future__ import annotations

import pytest
from ratsdok.compact import compact_html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<ul>\n    <li>a</li>\n\n    <li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("<p>Ein\n   Satz</p>", "<p>Ein\nSatz</p>"),  # the line break still separates the words
        ("<pre><code>x\n    eingerückt\n\n  y</code></pre>", "<pre><code>x\n    eingerückt\n\n  y</code></pre>"),
        ("<div>\n  <PRE>a\n  b</PRE>\n  </div>", "<div>\n<PRE>a\n  b</PRE>\n</div>"),
        ("<textarea>\n  a\n</textarea>", "<textarea>\n  a\n</textarea>"),
        ("kein Zeilenumbruch   bleibt", "kein Zeilenumbruch   bleibt"),
    ],
)
def test_compact_html(html: str, expected: str) -> None:
    assert compact_html(html) == expected
