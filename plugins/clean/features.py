"""Line features for the boilerplate classifier, computed for all lines of a batch at once.

Features follow jusText (length, stopword density, link-like text, neighbours) and
C4's line filters (terminal punctuation, curly braces, "javascript", copyright),
plus CCNet-style cross-document evidence: how many documents a normalised line
recurs in, in the training corpus and in the batch being processed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
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
    number: list[int] = []
    counts: list[int] = []
    for lines in docs_lines:
        stripped = [line.strip() for line in lines]
        nonblank = [i for i, line in enumerate(stripped) if line]
        text += [stripped[i] for i in nonblank]
        number += nonblank
        counts.append(len(nonblank))
    if "\n" in "".join(text):  # lines from str.splitlines() hold no newline; other callers' lines might
        text = [line.replace("\n", " ") for line in text]
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    tokens = tokenize(text)
    fps = _fingerprints(tokens, len(text))
    return BatchLines(text, owner, np.asarray(number, dtype=np.int64), fps, tokens)


# -- vectorised tokens: every word of every line of the batch, hashed with numpy ------------------------------
_B = np.uint64(0x100000001B3)
_B_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))


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
    #: Per line: number of characters, first and last code point.
    chars: np.ndarray | None = None
    first_code: np.ndarray | None = None
    last_code: np.ndarray | None = None


def _word_chars(codes: np.ndarray) -> np.ndarray:
    ascii_word = ((codes >= 48) & (codes <= 57)) | ((codes >= 65) & (codes <= 90)) | ((codes >= 97) & (codes <= 122))
    # Beyond ASCII: letters, except punctuation, symbols and spaces blocks (an approximation of \w).
    other = (codes >= 0xC0) & ~((codes >= 0x2000) & (codes <= 0x2BFF)) & ~((codes >= 0x3000) & (codes <= 0x303F))
    return ascii_word | other | (codes == 95)


# One table lookup per code point instead of a dozen comparisons: a class bit set and the lower-case shift.
_WORD, _UPPER, _LOWER, _DIGIT, _SYMBOL = 1, 2, 4, 8, 16
_TABLE_CODES = np.arange(0x10001, dtype=np.uint32)  # 0x10000 stands for every code point beyond the BMP
_CLASS = (_word_chars(_TABLE_CODES) * _WORD
          | ((_TABLE_CODES >= 65) & (_TABLE_CODES <= 90)) * _UPPER
          | ((_TABLE_CODES >= 97) & (_TABLE_CODES <= 122)) * _LOWER
          | ((_TABLE_CODES >= 48) & (_TABLE_CODES <= 57)) * _DIGIT
          | np.isin(_TABLE_CODES, [ord(c) for c in "©|/—:@{"]) * _SYMBOL).astype(np.uint8)
_CLASS[0x10000] = _WORD
# Lower case, and every digit as 0 (numbers are not lexical cues, and "Page 3" recurs as "Page 7"), as an
# addition modulo 2**64 to the code point.
_SHIFT = np.zeros(0x10001, dtype=np.uint64)
_SHIFT[65:91] = 32
_SHIFT[49:58] = (48 - np.arange(49, 58)).astype(np.int64).view(np.uint64)


_POWERS_CACHED = 1 << 20
_POWERS: list[np.ndarray] = [np.zeros(0, np.uint64), np.zeros(0, np.uint64)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """B**1..B**n and their inverses mod 2**64, cached up to 1M characters (16 MB; batches reuse them)."""
    if len(_POWERS[0]) >= n:
        return _POWERS[0][:n], _POWERS[1][:n]
    size = min(max(n, 2 * len(_POWERS[0]), 1 << 16), _POWERS_CACHED) if n <= _POWERS_CACHED else n
    with np.errstate(over="ignore"):
        pows = np.cumprod(np.full(size, _B, dtype=np.uint64))
        inv = np.cumprod(np.full(size, _B_INV, dtype=np.uint64))
    if size <= _POWERS_CACHED:
        _POWERS[:] = [pows, inv]
    return pows[:n], inv[:n]


def tokenize(text: list[str]) -> Tokens:
    """Tokens of all lines at once: the lines joined by newlines, scanned as one numpy array of code points."""
    joined = "\n".join(text)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(codes)
    newlines = np.flatnonzero(codes == 10)

    def line_of(positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(newlines, positions)

    index = np.minimum(codes, 0x10000)
    cls = _CLASS[index]
    edges = np.diff((cls & _WORD).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    pows, inv = _powers(n)
    with np.errstate(over="ignore"):
        lower_codes = codes.astype(np.uint64) + _SHIFT[index]
        prefix = np.concatenate([[np.uint64(0)], np.cumsum(lower_codes * pows, dtype=np.uint64)])
        hashes = (prefix[ends] - prefix[starts]) * inv[starts] if len(starts) else np.zeros(0, np.uint64)
    lower_count = np.concatenate([[0], np.cumsum((cls & _LOWER) > 0, dtype=np.int32)])
    length = ends - starts
    capital = (cls[starts] & _UPPER) > 0
    all_caps = capital & (length > 1) & ((lower_count[ends] - lower_count[starts]) == 0)
    symbols = np.flatnonzero(cls & _SYMBOL)
    digits = (cls & _DIGIT) > 0
    line_start = np.concatenate([[0], newlines + 1])
    line_end = np.append(newlines, n)
    chars = line_end - line_start
    safe = np.minimum(line_end - 1, max(n - 1, 0)) if n else line_end
    first_code = codes[np.minimum(line_start, max(n - 1, 0))] if n else np.zeros(len(text), np.uint32)
    last_code = codes[safe] if n else np.zeros(len(text), np.uint32)
    return Tokens(
        line=line_of(starts), hash=hashes, length=length, capital=capital, all_caps=all_caps,
        symbol_line=line_of(symbols), symbol_code=codes[symbols].astype(np.uint64),
        digits_per_line=np.bincount(line_of(np.flatnonzero(digits)), minlength=len(text)).astype(np.float64),
        chars=chars, first_code=np.where(chars > 0, first_code, 0), last_code=np.where(chars > 0, last_code, 0),
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
    """Membership of uint64 hashes in a small fixed set, in O(n): a table indexed by the low bits holds the member."""

    def __init__(self, members: np.ndarray) -> None:
        self.members = np.unique(members.astype(np.uint64))
        # The smallest table where no two members share a slot: then one gather and one compare decide.
        for bits in range(16, 25):
            mask = np.uint64((1 << bits) - 1)
            slots = (self.members & mask).astype(np.int64)
            if len(np.unique(slots)) == len(slots):
                break
        self.mask = mask
        # An empty slot holds slot + 1, whose low bits differ from the slot's, so no value ever equals it.
        self.table = np.arange(1, (1 << bits) + 1, dtype=np.uint64)
        self.table[slots] = self.members
        # Members still sharing a slot at the largest size (never for the word lists here) are checked apart.
        self.overflow = self.members[self.table[slots] != self.members]

    def __call__(self, values: np.ndarray) -> np.ndarray:
        found = self.table[(values & self.mask).astype(np.int64)] == values
        return found | np.isin(values, self.overflow) if len(self.overflow) else found


def word_hashes(words: Iterable[str]) -> np.ndarray:
    """The hashes :func:`tokenize` gives lower-case ASCII words: one pass over all of them (import-time cost)."""
    words = list(words)
    hashes = tokenize(words).hash
    if len(hashes) != len(words):
        raise ValueError("each word must be exactly one token")
    return hashes.astype(np.uint64)


def word_hash(word: str) -> np.uint64:
    """The hash :func:`tokenize` gives one lower-case ASCII word."""
    return word_hashes([word])[0]


IS_STOPWORD = HashSet(word_hashes(w for w in STOPWORDS if w.isalnum()))
IS_BOILER_WORD = HashSet(word_hashes(BOILER_WORDS))
JS_HASH = word_hash("javascript")
COPYRIGHT_HASH = word_hash("copyright")
# Reader appeals ("Your support helps us", "Join our forum") address the reader and speak for the site.
IS_SECOND_PERSON = HashSet(word_hashes(("you", "your", "yours", "yourself")))
IS_FIRST_PLURAL = HashSet(word_hashes(("we", "us", "our", "ours")))
# Imperatives that open site prompts (C4 and jusText see these as chrome): checked on a line's first word only.
PROMPT_VERBS = frozenset(
    """subscribe join sign log register follow click tap read watch listen share download get start select
    view see continue explore discover learn like comment comments save bookmark print email tweet support donate
    advertisement sponsored related recommended trending more next previous back skip""".split()
)
IS_PROMPT_VERB = HashSet(word_hashes(PROMPT_VERBS))
# A site's appeal for money or sign-ups, written as prose ("Your support helps us…", "funded by readers",
# "subscribe to read"): words that name the reader's support of the publication rather than a news subject.
APPEAL_WORDS = frozenset(
    """support supported supporter supporters supporting donate donating donation donations contribute contribution
    contributions fund funded funding subscribe subscribed subscriber subscribers subscription subscriptions member
    members membership paywall paywalls premium journalism journalists readers reader newsletter newsletters sponsor
    sponsored sponsors affiliate commission nonprofit trusted independent afford""".split()
)
IS_APPEAL_WORD = HashSet(word_hashes(APPEAL_WORDS))
APPEAL_NAMES = ["appeal_words", "appeal_address"]
IS_CREDIT_OPENER = HashSet(word_hashes((
    "additional", "reporting", "writing", "editing", "source", "via", "with", "afp", "ap", "reuters", "bloomberg",
    "copyright")))
CONTRIBUTED_HASH = word_hash("contributed")
IS_MARK = HashSet(word_hashes(("copyright", "http", "https", "www", "javascript")))


def hashed_words(tokens: Tokens, n_lines: int, n_features: int = 2**16):
    """Binary, L2-normalised hashed unigrams, bigrams (within a line) and symbols: a sparse (lines x n_features)."""
    import scipy.sparse as sp

    mod = np.uint64(n_features)
    same = tokens.line[1:] == tokens.line[:-1]
    with np.errstate(over="ignore"):
        bigrams = tokens.hash[:-1][same] * np.uint64(31337) + tokens.hash[1:][same] + np.uint64(7)
        symbols = tokens.symbol_code * np.uint64(0x9E3779B97F4A7C15)
    rows = np.concatenate([tokens.line, tokens.line[1:][same], tokens.symbol_line]).astype(np.int64)
    cols = np.concatenate([tokens.hash % mod, bigrams % mod, symbols % mod]).astype(np.int64)
    # One sort of (row, column) keys gives the canonical CSR directly: sorted, each entry once (binary).
    keys = np.sort(rows * n_features + cols)
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
    counts = np.bincount(keys // n_features, minlength=n_lines)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    data = np.repeat((1.0 / np.sqrt(np.maximum(counts, 1))).astype(np.float32), counts)
    return sp.csr_matrix((data, (keys % n_features).astype(np.int32), indptr), shape=(n_lines, n_features))


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
_TERMINAL_CODES = np.array([ord(c) for c in _TERMINAL], dtype=np.uint32)
_FULL_STOP_CODES = np.array([ord(c) for c in ".!?\"”’"], dtype=np.uint32)
_QUOTE_CODES = np.array([ord(c) for c in "\"“‘'"], dtype=np.uint32)
# The line patterns for one scan over many lines joined by newlines: per-line anchors, no newline in spaces.
_CAPTION_END_LINE = re.compile(_CAPTION_END.pattern.replace(r"\s", r"[^\S\n]"), re.MULTILINE)



def _base_features(text: list[str], tokens: Tokens) -> np.ndarray:
    n, n_tok = len(text), len(tokens.line)
    chars = tokens.chars.astype(np.float64)
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
    out[:, 7] = np.isin(tokens.last_code, _TERMINAL_CODES)
    out[:, 8] = tokens.last_code == ord(":")
    out[:, 17] = np.isin(tokens.first_code, _QUOTE_CODES)
    # A caption ends with its credit ("© Reuters", "/AFP", "Getty Images)"), not with a full stop.
    candidates = np.flatnonzero((chars < 400) & ~np.isin(tokens.last_code, _FULL_STOP_CODES))
    out[candidates, 12] = _matching_lines(_CAPTION_END_LINE, [text[i][-60:] for i in candidates.tolist()],
                                          np.minimum(chars[candidates], 60))
    # Credit lines open with one of a few words (or a parenthesis) or say "contributed": the regex only runs there.
    firsts = np.flatnonzero(np.concatenate([[True], tokens.line[1:] != tokens.line[:-1]])) if n_tok else []
    opens = np.zeros(n, dtype=bool)
    if n_tok:
        opens[tokens.line[firsts]] = IS_CREDIT_OPENER(tokens.hash[firsts])
        opens[tokens.line[tokens.hash == CONTRIBUTED_HASH]] = True
    opens |= tokens.first_code == ord("(")
    short = np.flatnonzero(opens & (chars < 200))
    out[short, 13] = [_CREDIT.match(text[i]) is not None for i in short.tolist()]
    shorter = np.flatnonzero(chars < 120)
    out[shorter, 14] = [_DATE.search(text[i]) is not None for i in shorter.tolist()]
    return out


def appeal_features(tokens: Tokens, n: int) -> np.ndarray:
    """Per line: appeal words (capped at 4), and whether it has some while addressing the reader or speaking for
    the site (you/your, we/us/our) — an appeal, not a report about funding. Columns: :data:`APPEAL_NAMES`."""
    count = np.bincount(tokens.line, weights=IS_APPEAL_WORD(tokens.hash), minlength=n)
    person = IS_SECOND_PERSON(tokens.hash) | IS_FIRST_PLURAL(tokens.hash)
    address = np.bincount(tokens.line, weights=person, minlength=n) > 0
    return np.column_stack([np.minimum(count, 4.0), (count > 0) & address]).astype(np.float32)


def _matching_lines(pattern: re.Pattern, lines: list[str], lengths: np.ndarray) -> np.ndarray:
    """Whether each line has a match of ``pattern``: one scan over the lines joined by newlines (the pattern
    must not match across a newline: its ``^``/``$`` are per line and its spaces exclude newlines)."""
    found = np.zeros(len(lines), dtype=bool)
    if not lines:
        return found
    starts = [m.start() for m in pattern.finditer("\n".join(lines))]
    if starts:
        found[np.searchsorted(np.cumsum(lengths + 1), starts, side="right")] = True
    return found


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
    """
    line, in_doc = _content_words_in_docs(tokens, doc)
    if not len(line):
        return np.zeros(n)
    shared = _group_sizes(in_doc) > 1
    return np.bincount(line, weights=shared, minlength=n) / np.maximum(np.bincount(line, minlength=n), 1)


def keep_weighted_coherence(tokens: Tokens, doc: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """How much of the document's likely content shares the line's content words (3+ letters, not stopwords).

    ``keep``: a first guess of each line's keep probability. Per word, the keep mass of the *other* lines of the
    document holding it, as a share of the document's keep mass without the line; columns: the mean of that share
    over the line's words, and the share of its words held by other lines of keep mass 0.5 or more. Unlike
    :func:`_coherence`, a word shared only with menus and other chrome counts for little.
    """
    n = len(keep)
    line, in_doc = _content_words_in_docs(tokens, doc)
    if not len(line):
        return np.zeros((n, 2))
    order = np.argsort(in_doc)
    ordered = in_doc[order]
    group = np.cumsum(np.concatenate([[True], ordered[1:] != ordered[:-1]])) - 1
    mass = np.empty(len(line))
    mass[order] = np.bincount(group, weights=keep[line[order]])[group]
    other = mass - keep[line]  # a difference of sums: allow for its rounding at the 0.5 mark below
    doc_mass = np.bincount(doc, weights=keep)[doc[line]] - keep[line]
    share = other / np.maximum(doc_mass, 1e-6)
    words = np.maximum(np.bincount(line, minlength=n), 1)
    return np.column_stack([np.bincount(line, weights=share, minlength=n) / words,
                            np.bincount(line, weights=other >= 0.5 - 1e-9, minlength=n) / words])


def _content_words_in_docs(tokens: Tokens, doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each content word (3+ letters, not a stopword) once per line: its line, and one 64-bit key per (word,
    document) — a mix of word hash and line (then document), so one sort each and no lexsort."""
    mask = (tokens.length >= 3) & ~IS_STOPWORD(tokens.hash)
    line, word = tokens.line[mask], tokens.hash[mask]
    with np.errstate(over="ignore"):
        pair = _first_of_each(word ^ (line.astype(np.uint64) * _R))
        line, word = line[pair], word[pair]
        return line, word ^ (doc[line].astype(np.uint64) * _R)


def _first_of_each(keys: np.ndarray) -> np.ndarray:
    """Indices of one element per distinct key (a plain sort: np.unique's stable sort is slower)."""
    order = np.argsort(keys)
    ordered = keys[order]
    return order[np.concatenate([[True], ordered[1:] != ordered[:-1]])] if len(keys) else order


def _group_sizes(keys: np.ndarray) -> np.ndarray:
    """For each element, how many elements share its key."""
    order = np.argsort(keys)
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]])) if len(keys) else order
    sizes = np.diff(np.append(starts, len(keys)))
    out = np.empty(len(keys), dtype=np.int64)
    out[order] = np.repeat(sizes, sizes)
    return out


def _batch_doc_frequency(batch: BatchLines, starts: np.ndarray) -> np.ndarray:
    """For each line, how many *other* distinct documents of the batch contain the same normalised line."""
    # Identical documents count once: a duplicated article must not look like all boilerplate.
    doc_keys = np.array([hash(batch.fingerprints[starts[d]:starts[d + 1]].tobytes()) for d in range(len(starts) - 1)],
                        dtype=np.int64).view(np.uint64)
    fps = batch.fingerprints.view(np.uint64)
    with np.errstate(over="ignore"):
        first = _first_of_each(fps ^ (doc_keys[batch.doc] * _R))  # each line once per distinct document
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
        joined = "\n".join(text[start:head.stop])
        for i in head:
            inner = text[i]
            # One scan of the joined head first: containment is rare, so the pairwise check seldom runs.
            if len(inner) < 15 or joined.count(inner) < 2:
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
