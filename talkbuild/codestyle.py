"""The stylesheet for build-time highlighted code, importable without the Markdown stack.

A build served entirely from the cache needs pygments.css but no markdown-it, latex2mathml or lexers.
"""

from __future__ import annotations

from pygments.formatters import HtmlFormatter

STYLE = "default"
"""Pygments style the default colours come from (themes override them; see code.css)."""


def pygments_css() -> str:
    """Stylesheet for highlighted code."""
    return str(HtmlFormatter(style=STYLE).get_style_defs(".highlight"))
