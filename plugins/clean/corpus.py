"""Line-labelled training and evaluation sets for the clean stage, assembled from the shared data.

- trafilatura-eval-en: each page's full visible text, one line per block element, labelled with trafilatura's
  own extraction of the same HTML (silver), corrected by the page's must/must-not snippets (train side only)
  and by figure captions in the markup.
- allsides-article-bias: ``content_original`` lines; lines recurring in 3+ articles are leftover boilerplate.
- seeds/gold.json: hand labels (evaluation only; never trained on).

Splits are deterministic: a page or article is held out when sha256 of its key falls in bucket 0-2 of 10
(test), bucket 3 is dev (tuning), buckets 4-9 are train.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .features import _CREDIT, normalise

# Silver-labelling rules for AllSides lines (newspaper3k leftovers): photo captions and credits, and reader
# prompts. Generic web conventions, written from the AllSides data; never applied at prediction time.
_SILVER_CAPTION = re.compile(
    r"^(image copyright|(enlarge this image )?toggle caption|media playback|facebook twitter pinterest|"
    r"image caption|photo:|photograph:)|"
    r"(\((\w+ )?photo\b[^)]*\)|\bphoto(graph)?: [^.]{0,60}|\bAP Photo/[^.]{0,40}|getty images|"
    r"© ?[A-Z][\w ]{1,30}|/(AFP|AP|Reuters|EPA)( via getty images)?)\s*$",
    re.IGNORECASE,
)
_SILVER_PROMPT = re.compile(
    r"^(subscribe\b|sign up\b|join (us|our|the conversation)\b|follow (us|@)|click here\b|read more\b|"
    r"share (this|on)\b|watch( the)?( full)?( video)?\b.{0,60}:?$|comments?$|related\b|you (might|may) also like|"
    r"advertisement|recommended\b|more from\b|download\b|get the .{0,30} app|newsletter)",
    re.IGNORECASE,
)

# Author bios ("David Axelrod is CNN's senior political commentator…", "Evan Halper writes about…"): the
# trafilatura-eval pages label them boilerplate (trafilatura drops them), so AllSides bios may be given the same
# label (``allsides_docs(bios="boilerplate")``) instead of content: one thing for the model to learn.
_BIO_JOBS = (r"writer|columnist|reporter|editor|correspondent|commentator|contributor|professor|author|fellow|"
             r"analyst|host|anchor|journalist|economist|producer|co-?founder|founder|historian|cartoonist|activist|"
             r"scholar|researcher")
_SILVER_BIO = re.compile(
    r"^(?i:editor['’]s note: ?)?\(?((Dr|Mr|Ms|Mrs)\. )?"
    r"(?!(The|This|That|It|There|President|Former|Chief|Judge|Sen|Rep|Gov|Gen|But|And|Although|While|When|After|If|As)"
    r"\b)[A-Z][\w.'’-]+( [A-Z][\w.'’-]*){1,3}"
    r"( is (a|an|the|[A-Z][\w.]*['’]s)\b(?=[^.]{0,80}\b(?i:" + _BIO_JOBS + r")s?\b)| writes (about|for)\b"
    r"| covers\b[^.]{0,60}\bfor [A-Z])"
)
_SILVER_OWN_VIEWS = re.compile(r"\b(opinions|views) expressed (in this (commentary|article|column|piece)|here) are",
                               re.IGNORECASE)

CLASSES = ("boilerplate", "caption", "content", "credit", "title")
KEEP = frozenset({"content", "credit", "title"})
TRAF_DIR = "trafilatura-eval-en"
ALLSIDES_FILE = "allsides-article-bias/articles_subset.jsonl.gz"


@dataclass
class LabelledDoc:
    """A document as lines, with a class per line (None for blank lines)."""

    key: str
    lines: list[str]
    labels: list[str | None]
    source: str
    meta: dict = field(default_factory=dict)


def split_of(key: str) -> str:
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "test" if bucket < 3 else "dev" if bucket == 3 else "train"


def read_pages(root: Path) -> Iterator[dict]:
    """trafilatura-eval-en pages: url, file, html, with/without snippets, split."""
    folder = Path(root) / TRAF_DIR
    index = json.loads((folder / "evaldata_en_subset.json").read_text(encoding="utf-8"))
    for url, item in sorted(index.items()):
        path = folder / "html" / f"{item['file']}.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        yield {"url": url, "html": html, "split": split_of(item["file"]), **item}


def page_doc(page: dict, use_snippets: bool) -> LabelledDoc:
    """A page's visible lines with silver labels from trafilatura's extraction of the same HTML."""
    from .html import extract_main, visible_lines

    extracted, meta = extract_main(page["html"], page["url"])
    kept_lines = {normalise(x) for x in extracted.splitlines()}
    kept_text = normalise(extracted)
    title = normalise(meta.get("title") or page.get("title") or "")
    musts = [normalise(s) for s in page.get("with", [])] if use_snippets else []
    must_nots = [normalise(s) for s in page.get("without", []) + page.get("comments", [])] if use_snippets else []
    lines, labels = [], []
    title_seen = False
    for text, in_caption in visible_lines(page["html"]):
        norm = normalise(text)
        label = "content" if norm and (norm in kept_lines or (len(norm) >= 40 and norm in kept_text)) else "boilerplate"
        if title and norm == title and not title_seen:
            label, title_seen = "title", True
        elif in_caption and label != "title":
            label = "caption"
        if any(s and s in norm for s in must_nots):
            label = "boilerplate"
        if any(s and s in norm for s in musts):
            label = "content"
        if label == "content" and _CREDIT.search(text):
            label = "credit"
        lines.append(text)
        labels.append(label)
    return LabelledDoc(page["file"], lines, labels, "trafilatura-eval", meta)


def trafilatura_docs(root: Path, splits: tuple[str, ...]) -> list[LabelledDoc]:
    return [page_doc(p, use_snippets=p["split"] != "test") for p in read_pages(root) if p["split"] in splits]


def read_allsides(root: Path) -> list[dict]:
    path = Path(root) / ALLSIDES_FILE
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def is_bio(line: str) -> bool:
    """Whether a line reads as an author bio or an opinion disclaimer (a silver-labelling rule for AllSides)."""
    stripped = line.strip()
    return len(stripped) < 400 and bool(_SILVER_BIO.search(stripped) or _SILVER_OWN_VIEWS.search(stripped))


def allsides_docs(
    root: Path, splits: tuple[str, ...], limit: int | None = None, bios: str = "content"
) -> list[LabelledDoc]:
    """AllSides articles; a line recurring in 3+ articles (of all splits' train side) is boilerplate.

    ``bios``: the label of author-bio lines (:func:`is_bio`) otherwise labelled content: "content" (as they
    come), "boilerplate" (as the trafilatura-eval pages label them) or "drop" (left out of the article)."""
    rows = [r for r in read_allsides(root) if split_of(r["ID"]) in splits and r.get("content_original")]
    df = Counter()
    for row in rows:
        df.update({normalise(x) for x in row["content_original"].splitlines() if x.strip()})
    docs = []
    for row in rows[:limit] if limit else rows:
        lines = row["content_original"].splitlines()
        labels: list[str | None] = []
        for text in lines:
            if not text.strip():
                labels.append(None)
                continue
            norm = normalise(text)
            label = "boilerplate" if df[norm] >= 3 or not norm else "content"
            stripped = text.strip()
            if len(stripped) < 300 and _SILVER_CAPTION.search(stripped):
                label = "caption"
            elif len(stripped) < 200 and _SILVER_PROMPT.search(stripped):
                label = "boilerplate"
            if _CREDIT.search(stripped) and len(stripped) < 200:
                label = "credit"
            if bios != "content" and label == "content" and is_bio(stripped):
                label = "boilerplate" if bios == "boilerplate" else "drop"
            labels.append(label)
        if bios == "drop":
            kept = [i for i, label in enumerate(labels) if label != "drop"]
            lines, labels = [lines[i] for i in kept], [labels[i] for i in kept]
        meta = {"source": row.get("source"), "title": row.get("title"), "topic": row.get("topic")}
        docs.append(LabelledDoc(row["ID"], lines, labels, "allsides", meta))
    return docs


def seed_docs(seeds_dir: Path) -> list[LabelledDoc]:
    """The five seeds with their hand labels (``seeds/gold.json``)."""
    return seed_docs_from(Path(seeds_dir) / "gold.json")


def seed_docs_from(gold_path: Path) -> list[LabelledDoc]:
    """Documents of a gold.json like the seeds' (texts beside it); unlisted non-blank lines are content."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))["documents"]
    docs = []
    for name, entry in sorted(gold.items()):
        lines = (Path(gold_path).parent / name).read_text(encoding="utf-8").splitlines()
        docs.append(LabelledDoc(name, lines, labels_from_gold(lines, entry["lines"]), "gold"))
    return docs


def labels_from_body(lines: list[str], body: str) -> list[str | None]:
    """Line labels from a clean gold body: a line is content when the body holds it, else boilerplate."""
    body_lines = {normalise(x) for x in body.splitlines()}
    body_text = normalise(body)
    labels: list[str | None] = []
    for line in lines:
        if not line.strip():
            labels.append(None)
            continue
        norm = normalise(line)
        inside = norm in body_lines or (len(norm) >= 40 and norm in body_text)
        labels.append("content" if norm and inside else "boilerplate")
    return labels


def labels_from_gold(lines: list[str], by_class: dict[str, list[int]]) -> list[str | None]:
    """Per-line classes from ``{"title": [1], "boilerplate": [3, 4], ...}`` (1-based line numbers)."""
    labels: list[str | None] = [("content" if line.strip() else None) for line in lines]
    for cls, numbers in by_class.items():
        for number in numbers:
            if 1 <= number <= len(lines):
                labels[number - 1] = cls
    return labels


def crop(doc: LabelledDoc, rng, margin: int = 6) -> LabelledDoc:
    """The article region of a page plus a few lines of chrome each side: what a scraper that found the
    article container returns (the shape of the seed articles), as opposed to the whole page."""
    kept = [i for i, label in enumerate(doc.labels) if label in KEEP]
    if not kept:
        return doc
    lo = max(0, kept[0] - int(rng.integers(0, margin + 1)))
    hi = min(len(doc.lines), kept[-1] + 1 + int(rng.integers(0, margin + 1)))
    return LabelledDoc(f"{doc.key}#crop", doc.lines[lo:hi], doc.labels[lo:hi], doc.source, doc.meta)


def with_title(doc: LabelledDoc, title: str | None, rng=None) -> LabelledDoc:
    """The article with its headline as first line, as scraped text usually starts.

    With ``rng``, some headlines come as a page title does ("Headline | Site"), and some articles get a
    site-name or section line above the headline (boilerplate), as scrapers that keep the page head leave them.
    """
    if not title or not title.strip():
        return doc
    lines, labels = [title.strip(), *doc.lines], ["title", *doc.labels]
    site = re.sub(r"\s*\(.*\)$", "", doc.meta.get("source") or "").strip()
    if rng is not None and site:
        if rng.random() < 0.3:
            lines[0] = f"{lines[0]}{' | ' if rng.random() < 0.7 else ' - '}{site}"
        if rng.random() < 0.3:
            section = str(doc.meta.get("topic") or "news").replace("_", " ").title()
            head = [site, f"{section} | {site}", f"Home {section} {site}", section][int(rng.integers(0, 4))]
            lines, labels = [head, *lines], ["boilerplate", *labels]
    return LabelledDoc(doc.key, lines, labels, doc.source, doc.meta)


def excerpt(doc: LabelledDoc, rng, most: int = 4) -> LabelledDoc | None:
    """1 to ``most`` consecutive content lines of an article, as a document of its own."""
    content = [i for i, label in enumerate(doc.labels) if label == "content"]
    if not content:
        return None
    start = content[int(rng.integers(0, len(content)))]
    chosen = [i for i in content if i >= start][: int(rng.integers(1, most + 1))]
    return LabelledDoc(f"{doc.key}#excerpt", [doc.lines[i] for i in chosen], ["content"] * len(chosen), doc.source)


#: Photo-credit conventions of news sites ("… © Reuters", "… / AFP", "(AP Photo/Name)"), for synthetic captions.
CAPTION_CREDITS = ("© Reuters", "© AFP", "© Getty Images", "© AP", "/ AFP", "/AFP", "(AP Photo/{name})",
                   "Photo: {name}/Getty Images", "REUTERS/{name}", "(Image credit: {name})", "| Getty Images",
                   "EPA/{name}", "Photograph: {name}/AP", "{name}/AFP via Getty Images", "(Photo by {name})")
_NAME_WORD = re.compile(r"\b[A-Z][a-z]{2,}\b")
_FIRST_SENTENCE = re.compile(r"^(.{40,220}?)[.!?](\s|$)")


def chrome_blocks(docs: list[LabelledDoc], most: int = 3, tail: bool = True) -> list[list[tuple[str, str]]]:
    """Runs of consecutive boilerplate or caption lines of whole pages (up to ``most`` lines each); with
    ``tail`` False, not the page's last run (its footer)."""
    blocks: list[list[tuple[str, str]]] = []
    for doc in docs:
        run: list[tuple[str, str]] = []
        for line, label in [*zip(doc.lines, doc.labels, strict=True), ("", "end" if tail else None)]:
            if label in ("boilerplate", "caption"):
                run.append((line, label))
                continue
            if label is None and not line.strip() and run:
                continue
            for start in range(0, len(run), most):
                blocks.append(run[start:start + most])
            run = []
    return blocks


_READER = re.compile(r"\b(you|your|yours|we|us|our)\b", re.IGNORECASE)


def appeal_runs(docs: list[LabelledDoc], most: int = 4) -> list[list[tuple[str, str]]]:
    """Runs of consecutive boilerplate lines written as prose to the reader (8+ words, a sentence's end, you/your/
    we/us/our: "Your support makes all the difference.", "Sign up to get…", "We may earn a commission…"), up to
    ``most`` lines each: the site speaking inside the article, which the model otherwise rarely sees there."""
    runs: list[list[tuple[str, str]]] = []
    for doc in docs:
        run: list[tuple[str, str]] = []
        for line, label in [*zip(doc.lines, doc.labels, strict=True), ("", "end")]:
            stripped = line.strip()
            if label is None and not stripped:
                continue
            if (label == "boilerplate" and len(stripped.split()) >= 8 and stripped[-1:] in ".!?"
                    and _READER.search(stripped)):
                run.append((line, label))
                continue
            runs += [run[start:start + most] for start in range(0, len(run), most)]
            run = []
    return runs


def synthetic_caption(source: LabelledDoc, rng) -> str | None:
    """A descriptive sentence of another article with a photo credit instead of its full stop."""
    content = [line.strip() for line, label in zip(source.lines, source.labels, strict=True) if label == "content"]
    if not content:
        return None
    for _ in range(3):
        match = _FIRST_SENTENCE.match(content[int(rng.integers(0, len(content)))])
        if match and not match.group(1).startswith(("\"", "“")):  # captions describe, they do not quote
            break
    else:
        return None
    names = _NAME_WORD.findall(" ".join(content))
    name = " ".join(rng.choice(names, 2)) if len(names) >= 2 else "Staff"
    credit = CAPTION_CREDITS[int(rng.integers(0, len(CAPTION_CREDITS)))].format(name=name)
    glue = "" if credit.startswith("/") and rng.random() < 0.5 else " "
    return f"{match.group(1).strip()}{glue}{credit}"


def with_chrome(doc: LabelledDoc, blocks: list, caption: str | None, rng) -> LabelledDoc:
    """An article with site chrome and a photo caption inserted where scrapers leave them: under the headline
    or standfirst, between paragraphs, at the end. Teaches the model that chrome also sits inside the body."""
    lines, labels = list(doc.lines), list(doc.labels)
    inserts: list[list[tuple[str, str]]] = [blocks[int(rng.integers(0, len(blocks)))]
                                           for _ in range(int(rng.integers(1, 3)))] if blocks else []
    if caption:
        inserts.append([(caption, "caption")])
    for block in inserts:
        where = rng.random()
        pos = (min(len(lines), int(rng.integers(1, 3))) if where < 0.4 else
               len(lines) if where < 0.7 else int(rng.integers(0, len(lines) + 1)))
        for offset, (line, label) in enumerate(block):
            lines.insert(pos + offset, line)
            labels.insert(pos + offset, label)
    return LabelledDoc(f"{doc.key}#chrome", lines, labels, doc.source, doc.meta)
