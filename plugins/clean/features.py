"""Line features for the boilerplate classifier, computed for all lines of a batch at once.

Features follow jusText (length, stopword density, link-like text, neighbours) and
C4's line filters (terminal punctuation, curly braces, "javascript", copyright),
plus CCNet-style cross-document evidence: how many documents a normalised line
recurs in, in the training corpus and in the batch being processed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# English function words: their density separates prose from navigation and labels (jusText).
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves said says also has had been who its it's
    would could may might must shall""".split()
)

_NORM_DROP = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d")
# Words of site chrome: prompts, promotions, sharing, navigation (counted per line from the token hashes).
BOILER_WORDS = frozenset(
    """subscribe subscribed subscriber subscribers subscription subscriptions newsletter newsletters signup login
    cookie cookies advertisement advertisements advertising advertise ads comment comments commenting share shares
    tweet email follow copyright rights reserved privacy terms click download app apps related recommended
    sponsored premium donate donation donations support menu home page bookmark print video videos photo photos
    image images gallery slideshow podcast podcasts trending popular sections skip search""".split()
)
_CAPTION_END = re.compile(
    r"(©|\(c\)|/|—|–|-|\||photo:?|credit:?|image:?)\s*(getty|reuters|afp|ap|epa|associated press|anadolu|"
    r"[A-Z][\w.]*(\s[A-Z][\w.]*){0,3})\s*(images?|photo|/\s*\w+)?\s*\)?\s*$",
)
_CREDIT = re.compile(
    r"^(\(?(additional )?(reporting|writing|editing) by\b|.*contributed to (this|the) report|source:|via\b|"
    r"with (afp|ap|reuters|post wires)|\(?(afp|ap|reuters|bloomberg)\)?$|copyright .{0,40}(press|reuters))",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)\w*\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d|"
    r"\d{1,2}[:/.]\d{2}|\b(19|20)\d\d\b|\bago\b",
    re.IGNORECASE,
)


def normalise(line: str) -> str:
    """Canonical form for fingerprints: lower case, digits as 0, punctuation and spacing dropped."""
    return _DIGITS.sub("0", _NORM_DROP.sub(" ", line.lower())).strip()


def fingerprint(line: str) -> int:
    """Stable 64-bit fingerprint of one line (CCNet-style: its words, lower-cased, digits as 0)."""
    return int(line_fingerprints([line])[0])


def line_fingerprints(lines: list[str]) -> np.ndarray:
    """Fingerprints of many lines at once (int64)."""
    if not lines:
        return np.zeros(0, dtype=np.int64)
    clean = [line.replace("\n", " ") for line in lines]
    return _fingerprints(tokenize(clean), len(clean))


@dataclass
class BatchLines:
    """The non-blank lines of a batch: text, owning document, 0-based line number in ``doc.lines``."""

    text: list[str]
    doc: np.ndarray
    number: np.ndarray
    fingerprints: np.ndarray
    tokens: Tokens | None = None


def collect_lines(docs_lines: Sequence[Sequence[str]]) -> BatchLines:
    text: list[str] = []
    owner: list[int] = []
    number: list[int] = []
    for d, lines in enumerate(docs_lines):
        for i, line in enumerate(lines):
            stripped = line.strip()
            if stripped:
                # Lines from str.splitlines() hold no newline; other callers' lines might.
                text.append(stripped.replace("\n", " ") if "\n" in stripped else stripped)
                owner.append(d)
                number.append(i)
    tokens = tokenize(text)
    fps = _fingerprints(tokens, len(text))
    return BatchLines(text, np.asarray(owner, dtype=np.int64), np.asarray(number, dtype=np.int64), fps, tokens)


# -- vectorised tokens: every word of every line of the batch, hashed with numpy ------------------------------
_B = np.uint64(0x100000001B3)
_B_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_SYMBOL_TABLE = np.zeros(0x10000, dtype=bool)
_SYMBOL_TABLE[[ord(c) for c in "©|/—:@{"]] = True


@dataclass
class Tokens:
    """Words of a batch: owning line, hash (position-independent, lower-cased), length, casing."""

    line: np.ndarray
    hash: np.ndarray
    length: np.ndarray
    capital: np.ndarray
    all_caps: np.ndarray
    symbol_line: np.ndarray
    symbol_code: np.ndarray
    digits_per_line: np.ndarray


def _word_chars(codes: np.ndarray) -> np.ndarray:
    ascii_word = ((codes >= 48) & (codes <= 57)) | ((codes >= 65) & (codes <= 90)) | ((codes >= 97) & (codes <= 122))
    # Beyond ASCII: letters, except punctuation, symbols and spaces blocks (an approximation of \w).
    other = (codes >= 0xC0) & ~((codes >= 0x2000) & (codes <= 0x2BFF)) & ~((codes >= 0x3000) & (codes <= 0x303F))
    return ascii_word | other | (codes == 95)


def tokenize(text: list[str]) -> Tokens:
    """Tokens of all lines at once: the lines joined by newlines, scanned as one numpy array of code points."""
    joined = "\n".join(text)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(codes)
    line_of_char = np.cumsum(codes == 10, dtype=np.int64)
    word = _word_chars(codes)
    prev = np.concatenate([[False], word[:-1]])
    nxt = np.concatenate([word[1:], [False]])
    starts = np.flatnonzero(word & ~prev)
    ends = np.flatnonzero(word & ~nxt) + 1
    upper = (codes >= 65) & (codes <= 90)
    # Lower case, and every digit as 0: numbers are not lexical cues, and "Page 3" recurs as "Page 7".
    lower_codes = np.where(upper, codes + 32, codes)
    lower_codes = np.where((codes >= 49) & (codes <= 57), 48, lower_codes).astype(np.uint64)
    with np.errstate(over="ignore"):
        pows = np.cumprod(np.full(n, _B, dtype=np.uint64)) if n else np.zeros(0, np.uint64)
        inv = np.cumprod(np.full(n, _B_INV, dtype=np.uint64)) if n else np.zeros(0, np.uint64)
        prefix = np.concatenate([[np.uint64(0)], np.cumsum(lower_codes * pows, dtype=np.uint64)])
        hashes = (prefix[ends] - prefix[starts]) * inv[starts] if len(starts) else np.zeros(0, np.uint64)
    is_lower = (codes >= 97) & (codes <= 122)
    lower_count = np.concatenate([[0], np.cumsum(is_lower)])
    length = ends - starts
    capital = upper[starts] if len(starts) else np.zeros(0, bool)
    all_caps = capital & (length > 1) & ((lower_count[ends] - lower_count[starts]) == 0)
    symbols = np.flatnonzero(_SYMBOL_TABLE[np.minimum(codes, 0xFFFF)] & (codes <= 0xFFFF))
    digits = (codes >= 48) & (codes <= 57)
    return Tokens(
        line=line_of_char[starts], hash=hashes, length=length, capital=capital, all_caps=all_caps,
        symbol_line=line_of_char[symbols], symbol_code=codes[symbols].astype(np.uint64),
        digits_per_line=np.bincount(line_of_char[digits], minlength=len(text)).astype(np.float64),
    )


_R = np.uint64(0x9E3779B97F4A7C15)


def _fingerprints(tokens: Tokens, n_lines: int) -> np.ndarray:
    """Per line, an order-sensitive combination of its word hashes and word count (no words: 0)."""
    out = np.zeros(n_lines, dtype=np.uint64)
    if len(tokens.line):
        per_line = np.bincount(tokens.line, minlength=n_lines)
        first = (np.cumsum(per_line) - per_line)[tokens.line]
        k = np.arange(len(tokens.line)) - first
        with np.errstate(over="ignore"):
            pows = np.cumprod(np.full(int(k.max()) + 1, _R, dtype=np.uint64))
            terms = tokens.hash * pows[k]
            lines, starts = np.unique(tokens.line, return_index=True)
            out[lines] = np.add.reduceat(terms, starts)
        out[lines] ^= np.diff(np.append(starts, len(tokens.line))).astype(np.uint64) << np.uint64(48)
    return out.view(np.int64)


class HashSet:
    """Membership of uint64 hashes in a small fixed set, in O(n): a bitmap on the low bits, then an exact check."""

    BITS = 18

    def __init__(self, members: np.ndarray) -> None:
        self.members = np.unique(members.astype(np.uint64))
        self.table = np.zeros(1 << self.BITS, dtype=bool)
        self.table[(self.members & np.uint64((1 << self.BITS) - 1)).astype(np.int64)] = True

    def __call__(self, values: np.ndarray) -> np.ndarray:
        found = self.table[(values & np.uint64((1 << self.BITS) - 1)).astype(np.int64)]
        candidates = np.flatnonzero(found)
        if len(candidates):
            found[candidates] = np.isin(values[candidates], self.members)
        return found


def word_hash(word: str) -> int:
    """The hash :func:`tokenize` gives a lower-case ASCII word."""
    return int(tokenize([word]).hash[0])


IS_STOPWORD = HashSet(np.array([word_hash(w) for w in STOPWORDS if w.isalnum()], dtype=np.uint64))
IS_BOILER_WORD = HashSet(np.array([word_hash(w) for w in BOILER_WORDS], dtype=np.uint64))
JS_HASH = np.uint64(word_hash("javascript"))
COPYRIGHT_HASH = np.uint64(word_hash("copyright"))
# Reader appeals ("Your support helps us", "Join our forum") address the reader and speak for the site.
IS_SECOND_PERSON = HashSet(np.array([word_hash(w) for w in ("you", "your", "yours", "yourself")], dtype=np.uint64))
IS_FIRST_PLURAL = HashSet(np.array([word_hash(w) for w in ("we", "us", "our", "ours")], dtype=np.uint64))
# Imperatives that open site prompts (C4 and jusText see these as chrome): checked on a line's first word only.
PROMPT_VERBS = frozenset(
    """subscribe join sign log register follow click tap read watch listen share download get start select
    view see continue explore discover learn like comment comments save bookmark print email tweet support donate
    advertisement sponsored related recommended trending more next previous back skip""".split()
)
IS_PROMPT_VERB = HashSet(np.array([word_hash(w) for w in PROMPT_VERBS], dtype=np.uint64))
IS_MARK = HashSet(np.array([word_hash(w) for w in ("copyright", "http", "https", "www", "javascript")],
                           dtype=np.uint64))


def hashed_words(tokens: Tokens, n_lines: int, n_features: int = 2**16):
    """Binary, L2-normalised hashed unigrams, bigrams (within a line) and symbols: a sparse (lines x n_features)."""
    import scipy.sparse as sp

    mod = np.uint64(n_features)
    same = tokens.line[1:] == tokens.line[:-1]
    with np.errstate(over="ignore"):
        bigrams = tokens.hash[:-1][same] * np.uint64(31337) + tokens.hash[1:][same] + np.uint64(7)
        symbols = tokens.symbol_code * np.uint64(0x9E3779B97F4A7C15)
    rows = np.concatenate([tokens.line, tokens.line[1:][same], tokens.symbol_line])
    cols = np.concatenate([tokens.hash % mod, bigrams % mod, symbols % mod]).astype(np.int64)
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_lines, n_features))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    norms = np.sqrt(np.diff(matrix.indptr)).astype(np.float32)
    matrix.data /= np.repeat(np.maximum(norms, 1.0), np.diff(matrix.indptr))
    return matrix


BASE_NAMES = [
    "log_chars", "log_words", "stop_density", "title_case", "all_caps", "digit_ratio", "alpha_ratio",
    "ends_terminal", "ends_colon", "has_copyright", "pipes", "boiler_words", "caption_end", "credit_like",
    "date_like", "has_url", "brace_js", "quote_start", "mean_word_len", "slash_ratio", "second_person",
    "first_plural", "prompt_start",
]
DOC_NAMES = [
    "rel_pos", "log_pos", "log_from_end", "is_first", "is_last", "dup_count", "later_repeat", "contained_elsewhere",
    "contains_other", "doc_log_lines", "doc_share_chars", "train_df", "batch_df", "coherence",
]
NEIGHBOUR_NAMES = [f"{side}_{n}" for side in ("prev", "next") for n in ("log_chars", "stop_density", "ends_terminal")]
FEATURE_NAMES = BASE_NAMES + DOC_NAMES + NEIGHBOUR_NAMES
_TERMINAL = frozenset(".!?\"”’'…)")


def _base_features(text: list[str], tokens: Tokens) -> np.ndarray:
    n = len(text)
    chars = np.fromiter((len(t) for t in text), dtype=np.float64, count=n)
    words = np.bincount(tokens.line, minlength=n).astype(np.float64)
    safe_words = np.maximum(words, 1.0)
    stops = np.bincount(tokens.line, weights=IS_STOPWORD(tokens.hash), minlength=n)
    caps = np.bincount(tokens.line, weights=tokens.capital, minlength=n)
    all_caps = np.bincount(tokens.line, weights=tokens.all_caps, minlength=n)
    alpha = np.bincount(tokens.line, weights=tokens.length, minlength=n)
    slashes = np.bincount(tokens.symbol_line, weights=tokens.symbol_code == ord("/"), minlength=n)
    pipes = np.bincount(tokens.symbol_line, weights=tokens.symbol_code == ord("|"), minlength=n)
    out = np.zeros((n, len(BASE_NAMES)), dtype=np.float64)
    out[:, 0] = np.log1p(chars)
    out[:, 1] = np.log1p(words)
    out[:, 2] = stops / safe_words
    out[:, 3] = caps / safe_words
    out[:, 4] = all_caps / safe_words
    out[:, 5] = tokens.digits_per_line / chars
    out[:, 6] = alpha / chars
    out[:, 10] = pipes
    out[:, 18] = alpha / safe_words
    out[:, 19] = slashes / (1.0 + words)
    symbol = tokens.symbol_code
    marks = IS_MARK(tokens.hash)
    copyright_word = marks & (tokens.hash == COPYRIGHT_HASH)
    out[:, 9] = (np.bincount(tokens.symbol_line, weights=symbol == ord("©"), minlength=n)
                 + np.bincount(tokens.line, weights=copyright_word, minlength=n)) > 0
    out[:, 11] = np.bincount(tokens.line, weights=IS_BOILER_WORD(tokens.hash), minlength=n) * 4 / (1.0 + words)
    out[:, 15] = (np.bincount(tokens.line, weights=marks & ~copyright_word & (tokens.hash != JS_HASH), minlength=n)
                  + np.bincount(tokens.symbol_line, weights=symbol == ord("@"), minlength=n)) > 0
    out[:, 16] = (np.bincount(tokens.line, weights=tokens.hash == JS_HASH, minlength=n)
                  + np.bincount(tokens.symbol_line, weights=symbol == ord("{"), minlength=n)) > 0
    out[:, 20] = np.bincount(tokens.line, weights=IS_SECOND_PERSON(tokens.hash), minlength=n) / safe_words
    out[:, 21] = np.bincount(tokens.line, weights=IS_FIRST_PLURAL(tokens.hash), minlength=n) / safe_words
    if len(tokens.line):
        firsts = np.flatnonzero(np.concatenate([[True], tokens.line[1:] != tokens.line[:-1]]))
        out[tokens.line[firsts], 22] = IS_PROMPT_VERB(tokens.hash[firsts])
    # Only the last and first characters, and regexes on short lines (captions, credits, dates are short).
    out[:, 7] = [line[-1] in _TERMINAL for line in text]
    out[:, 8] = [line[-1] == ":" for line in text]
    out[:, 17] = [line[0] in "\"“‘'" for line in text]
    for i in np.flatnonzero(chars < 400).tolist():
        line = text[i]
        # A caption ends with its credit ("© Reuters", "/AFP", "Getty Images)"), not with a full stop.
        out[i, 12] = line[-1] not in ".!?\"”’" and _CAPTION_END.search(line[-60:]) is not None
        if len(line) < 200:
            out[i, 13] = _CREDIT.search(line) is not None
            out[i, 14] = len(line) < 120 and _DATE.search(line) is not None
    return out


def extract(
    batch: BatchLines, n_docs: int, train_df: Mapping[int, int] | None = None, tokens: Tokens | None = None
) -> np.ndarray:
    """Feature matrix (lines x FEATURE_NAMES) for every non-blank line of the batch."""
    n = len(batch.text)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    tokens = tokens if tokens is not None else batch.tokens if batch.tokens is not None else tokenize(batch.text)
    base = _base_features(batch.text, tokens)
    starts = np.searchsorted(batch.doc, np.arange(n_docs + 1))
    batch_df = _batch_doc_frequency(batch, starts)
    doc_feats = _doc_features(batch, base[:, 0])
    if train_df:
        counts = [train_df.get(f, 0) for f in batch.fingerprints.tolist()]
        doc_feats[:, DOC_NAMES.index("train_df")] = np.log1p(counts)
    doc_feats[:, DOC_NAMES.index("batch_df")] = np.log1p(batch_df)
    doc_feats[:, DOC_NAMES.index("coherence")] = _coherence(tokens, batch.doc, n)
    neighbours = _neighbour_features(base, batch.doc)
    return np.hstack([base, doc_feats, neighbours]).astype(np.float32)


def _coherence(tokens: Tokens, doc: np.ndarray, n: int) -> np.ndarray:
    """Share of a line's content words (3+ letters, not stopwords) found in another line of its document.

    An article's lines share its subject's words; chrome, appeals and promotions inserted into it do not.
    Pairs are keyed by one 64-bit mix of word hash and line (then document): one sort each, no lexsort.
    """
    mask = (tokens.length >= 3) & ~IS_STOPWORD(tokens.hash)
    line, word = tokens.line[mask], tokens.hash[mask]
    if not len(line):
        return np.zeros(n)
    with np.errstate(over="ignore"):
        _, first = np.unique(word ^ (line.astype(np.uint64) * _R), return_index=True)
        line, word = line[first], word[first]  # each word once per line
        _, inverse, counts = np.unique(word ^ (doc[line].astype(np.uint64) * _R), return_inverse=True,
                                       return_counts=True)
    shared = counts[inverse.ravel()] > 1
    return np.bincount(line, weights=shared, minlength=n) / np.maximum(np.bincount(line, minlength=n), 1)


def _batch_doc_frequency(batch: BatchLines, starts: np.ndarray) -> np.ndarray:
    """For each line, how many *other* distinct documents of the batch contain the same normalised line."""
    # Identical documents count once: a duplicated article must not look like all boilerplate.
    doc_keys = np.array([hash(batch.fingerprints[starts[d]:starts[d + 1]].tobytes()) for d in range(len(starts) - 1)],
                        dtype=np.int64).view(np.uint64)
    fps = batch.fingerprints.view(np.uint64)
    with np.errstate(over="ignore"):
        _, first = np.unique(fps ^ (doc_keys[batch.doc] * _R), return_index=True)
    distinct_fps, per_fp = np.unique(fps[first], return_counts=True)
    return (per_fp[np.searchsorted(distinct_fps, fps)] - 1).astype(np.float64)


def _doc_features(batch: BatchLines, log_chars: np.ndarray) -> np.ndarray:
    """Position, repetition and containment features, vectorised over the batch (rows sorted by document)."""
    doc, fps = batch.doc, batch.fingerprints
    n = len(doc)
    idx = np.arange(n)
    first = np.searchsorted(doc, doc, side="left")
    last = np.searchsorted(doc, doc, side="right") - 1
    pos, size = idx - first, last - first + 1
    out = np.zeros((n, len(DOC_NAMES)), dtype=np.float64)
    out[:, 0] = pos / np.maximum(size - 1, 1)
    out[:, 1] = np.log1p(pos)
    out[:, 2] = np.log1p(last - idx)
    out[:, 3] = pos == 0
    out[:, 4] = idx == last
    # Repetition within a document: group equal (document, fingerprint) pairs, earliest line first.
    order = np.lexsort((idx, fps, doc))
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = (doc[order][1:] != doc[order][:-1]) | (fps[order][1:] != fps[order][:-1])
    group = np.cumsum(new_group) - 1
    counts = np.bincount(group)
    out[order, 5] = np.log(counts[group])
    out[order, 6] = ~new_group
    _containment(batch.text, first, out)
    out[:, 9] = np.log1p(size)
    chars = np.expm1(log_chars)
    cum = np.concatenate([[0.0], np.cumsum(chars)])
    out[:, 10] = chars / np.maximum(cum[last + 1] - cum[first], 1.0)
    return out


#: Containment is checked among a document's first lines, where headlines get glued to breadcrumbs and captions.
CONTAINMENT_HEAD = 8


def _containment(text: list[str], first: np.ndarray, out: np.ndarray) -> None:
    """Flag lines found inside a different line of the document's head, and the lines containing them."""
    for start in np.unique(first).tolist():
        head = range(start, min(start + CONTAINMENT_HEAD, len(text)))
        for i in head:
            inner = text[i]
            if len(inner) < 15:
                continue
            for j in head:
                if j != i and len(text[j]) > len(inner) and inner in text[j]:
                    out[i, 7] = 1.0
                    out[j, 8] = 1.0


def _neighbour_features(base: np.ndarray, doc: np.ndarray) -> np.ndarray:
    cols = [BASE_NAMES.index("log_chars"), BASE_NAMES.index("stop_density"), BASE_NAMES.index("ends_terminal")]
    return np.hstack([shift_within_docs(base[:, cols], doc, 1), shift_within_docs(base[:, cols], doc, -1)])


def shift_within_docs(values: np.ndarray, doc: np.ndarray, step: int, fill: float = -1.0) -> np.ndarray:
    """Row i gets row i-step if it belongs to the same document, else ``fill`` (step 1: previous line)."""
    out = np.full_like(values, fill, dtype=np.float64)
    n = len(values)
    if n <= abs(step):
        return out
    if step > 0:
        same = doc[step:] == doc[:-step]
        out[step:][same] = values[:-step][same]
    else:
        k = -step
        same = doc[:-k] == doc[k:]
        out[:-k][same] = values[k:][same]
    return out
