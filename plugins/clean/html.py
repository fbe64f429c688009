"""HTML: main-text extraction with trafilatura, and a page's full visible text (for training and baselines)."""

from __future__ import annotations

import re
from typing import Any

_SPACE = re.compile(r"\s+")
_INVISIBLE = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas", "select"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul", "option", "button",
    "label", "title", "caption",
}
META_FIELDS = ("title", "sitename", "date", "author", "url", "hostname", "description")


def extract_main(html: str, url: str | None = None) -> tuple[str, dict[str, Any]]:
    """trafilatura's main text (one paragraph per line) and its metadata (title, sitename, date, author, url)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=True, with_metadata=True, as_dict=False
    )
    if document is None:
        return "", {}
    text = document.text or ""
    meta = {key: getattr(document, key, None) for key in META_FIELDS}
    return text, {key: value for key, value in meta.items() if value}


def visible_lines(html: str, caption_marks: bool = False) -> list[tuple[str, bool]]:
    """The page's visible text, one line per block element, with whether it sits inside a caption.

    This is what a naive scraper keeps: the plain-text cleaner is trained and evaluated on it.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html)
    except (etree.ParserError, ValueError):
        return []
    lines: list[tuple[str, bool]] = []
    parts: list[str] = []
    caption_depth = 0

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(parts)).strip()
        parts.clear()
        if text:
            lines.append((text, caption_depth > 0))

    def walk(node: Any) -> None:
        nonlocal caption_depth
        tag = node.tag if isinstance(node.tag, str) else ""
        hidden = tag in _INVISIBLE or not isinstance(node.tag, str) or _is_hidden(node)
        if not hidden:
            block = tag in _BLOCK
            captionish = tag == "figcaption" or _is_caption(node)
            if block:
                flush()
            caption_depth += captionish
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
            if block:
                flush()
            caption_depth -= captionish
        if node.tail:
            parts.append(node.tail)

    walk(root)
    flush()
    return lines


def _is_hidden(node: Any) -> bool:
    style = (node.get("style") or "").replace(" ", "").lower()
    return node.get("hidden") is not None or "display:none" in style or node.get("aria-hidden") == "true"


def _is_caption(node: Any) -> bool:
    marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    return "caption" in marks or "credit" in marks
