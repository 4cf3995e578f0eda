"""What a query means, and the snippets a reader sees. Pure functions, shared by every backend.

A query is text, never syntax: it is split on white space into terms, and each term is looked
for as a phrase (its words in a row). Every term must match somewhere (title, text or author).
A term without a letter or digit (``*``, ``"``, ``()``, an emoji alone) cannot match a word and
is dropped; a query of such terms only finds nothing. Backends quote the terms for their
engine themselves (``sqlite_match``, ``mroonga_match``): no character a user types reaches an
engine's query parser unquoted.

Chinese, Japanese and Korean text has no spaces between words. The engines index it in
overlapping pairs of characters (bigrams), so a two-character word is found inside a longer
run ("缓存" in "分布式缓存"). ``bigram_form`` writes text in that form for SQLite's FTS5 (whose
own tokenizer would keep a run as one token); Mroonga's TokenBigram does it by itself.
"""

import html
import re
import unicodedata

from django.conf import settings

# Scripts written without spaces between words: CJK ideographs (with extensions and
# compatibility forms), kana, hangul, CJK punctuation is not included (it is not a word).
_CJK_CLASS = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002fa1f"
)
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
_SPLIT = re.compile(f"([{_CJK_CLASS}]+)")


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def terms(query: str) -> list[str]:
    """The distinct terms of ``query`` (case-insensitively), in order, at most SEARCH_MAX_TERMS;
    terms without a letter or a digit are dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for term in query.split():
        key = term.casefold()
        if key in seen or not any(_is_word_char(ch) for ch in term):
            continue
        seen.add(key)
        out.append(term)
        if len(out) == settings.SEARCH_MAX_TERMS:
            break
    return out


# --- SQLite FTS5 ---------------------------------------------------------------------------------

def bigram_form(text: str) -> str:
    """``text`` with every CJK run written as its overlapping bigrams plus its last character.

    "分布式缓存" → "分布 布式 式缓 缓存 存": a phrase of bigrams finds any two or more characters
    of a run in a row, and a prefix query finds a single character wherever it stands (it starts
    a bigram, or it is a run's last character). Other text is left to FTS5's unicode61 tokenizer
    (case folding, diacritics removed, punctuation separates words).
    """
    out = []
    for i, part in enumerate(_SPLIT.split(text)):
        if not part:
            continue
        if i % 2 == 0:
            out.append(part)
        elif len(part) == 1:
            out.append(part)
        else:
            out.extend(part[k : k + 2] for k in range(len(part) - 1))
            out.append(part[-1])
    return " ".join(out)


def _fts5_phrase(term: str) -> str:
    """One term as an FTS5 phrase: a double-quoted string (a quote inside doubled), which FTS5
    tokenizes as text, never parses; a term ending in a single CJK character is a prefix query."""
    parts = [p for p in _SPLIT.split(term) if p]
    words = []
    for part in parts:
        if _CJK_RUN.fullmatch(part) and len(part) > 1:
            words.extend(part[k : k + 2] for k in range(len(part) - 1))
        else:
            words.append(part)
    phrase = '"' + " ".join(words).replace('"', '""') + '"'
    last = parts[-1]
    if _CJK_RUN.fullmatch(last) and len(last) == 1:
        phrase += " *"
    return phrase


def sqlite_match(query_terms: list[str], column: str | None = None) -> str:
    """An FTS5 MATCH expression: every term as a phrase, all required (in ``column`` only if given)."""
    expr = " AND ".join(_fts5_phrase(t) for t in query_terms)
    return f"{{{column}}} : ({expr})" if column else expr


# --- MariaDB Mroonga -----------------------------------------------------------------------------

def mroonga_match(query_terms: list[str]) -> str:
    """A Mroonga boolean-mode query: every term a required phrase. Inside a Groonga phrase only
    ``"`` and ``\\`` are special, both escaped with a backslash; the query starts with ``+``,
    never with Mroonga's ``*`` pragma."""
    return " ".join('+"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in query_terms)


# --- highlights ----------------------------------------------------------------------------------

def _pattern(query_terms: list[str]) -> re.Pattern | None:
    if not query_terms:
        return None
    alternatives = sorted({t.casefold() for t in query_terms}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in alternatives), re.IGNORECASE)


def marked(text: str, query_terms: list[str]) -> str:
    """``text`` HTML-escaped, every occurrence of a term wrapped in ``<mark>``."""
    pattern = _pattern(query_terms)
    if pattern is None:
        return html.escape(text)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        out.append("<mark>" + html.escape(m.group()) + "</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def snippet(texts: list[str], query_terms: list[str]) -> str:
    """A marked snippet of SEARCH_SNIPPET_LENGTH characters around the first match in the first
    of ``texts`` that has one (the start of the first non-empty text when none has)."""
    size = settings.SEARCH_SNIPPET_LENGTH
    pattern = _pattern(query_terms)
    for text in texts:
        m = pattern.search(text) if pattern else None
        if m is None:
            continue
        start = max(0, min(m.start() - size // 4, len(text) - size))
        piece = text[start : start + size]
        return ("…" if start else "") + marked(piece, query_terms) + ("…" if start + size < len(text) else "")
    first = next((t for t in texts if t), "")
    return marked(first[:size], query_terms) + ("…" if len(first) > size else "")
