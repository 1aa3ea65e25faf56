"""Text written without spaces between words: Chinese, Japanese, Thai, Lao, Khmer, Burmese.

Two things need to know about it:

- sizes (turn merging, chunking): such text has no spaces, so counting words by spaces makes a
  whole paragraph one "word". Each of its characters counts as one unit instead (about one
  token of the embedding model each).
- full-text search: SQLite's unicode61 tokenizer reads a run of these characters as one token,
  so a phrase inside a sentence is never found. The index gets overlapping character bigrams
  (`会議の議事録` → `会議 議の の議 議事 事録`), as Lucene's CJK analyzer does, and a query is
  cut the same way; a phrase then matches whatever the word boundaries were. Hangul is
  written with spaces but glues particles to words (`회의를`), so it gets bigrams too.
  (FTS5's trigram tokenizer was the other choice: it cannot match the two-character words that
  most Chinese and Japanese words are, and it would triple the index of all the English text.)
"""

from __future__ import annotations

import re

_UNSPACED_RANGES = (
    "\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0002fa1f"  # Han, kana
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f"  # Thai, Lao, Khmer, Myanmar
)
_HANGUL_RANGES = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_UNSPACED = re.compile(f"[{_UNSPACED_RANGES}]")
_SEGMENTED_RUN = re.compile(f"[{_UNSPACED_RANGES}{_HANGUL_RANGES}]+")
# Han, kana and their punctuation (。、「」, full-width forms): a line break or cue boundary
# between two of these is not a space. (Thai does use spaces, between phrases.)
_CJK = "\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_CJK_END = re.compile(f"[{_CJK}]$")
_CJK_START = re.compile(f"^[{_CJK}]")


def has_unspaced(text: str) -> bool:
    """True if `text` holds any character that full-text search must cut into bigrams."""
    return _SEGMENTED_RUN.search(text) is not None


def size(text: str) -> int:
    """Length in words, each character of unspaced text counting as one."""
    chars = len(_UNSPACED.findall(text))
    if not chars:
        return len(text.split())
    return chars + len(_UNSPACED.sub(" ", text).split())


def tidy(text: str) -> str:
    """Whitespace collapsed to single spaces, and none left between two CJK characters."""
    text = " ".join(text.split())
    return _SPACE_IN_CJK.sub("", text) if _UNSPACED.search(text) else text


def join(a: str, b: str) -> str:
    """`a` and `b` as one text: with a space, unless both sides of the seam are CJK."""
    if not a or not b:
        return a or b
    return a + b if _CJK_END.search(a) and _CJK_START.match(b) else f"{a} {b}"


_UNIT = re.compile(f"[{_UNSPACED_RANGES}]|[^\\s{_UNSPACED_RANGES}]+")


def pieces(text: str, units: int) -> list[str]:
    """`text` cut into pieces of at most `units` words (unspaced characters counting one
    each), each piece a slice of the original, spacing kept."""
    found = list(_UNIT.finditer(text))
    return [
        text[found[i].start() : found[min(i + units, len(found)) - 1].end()]
        for i in range(0, len(found), max(units, 1))
    ]


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def for_index(text: str) -> str:
    """`text` with every unspaced run replaced by its character bigrams, for the FTS index."""
    return _SEGMENTED_RUN.sub(lambda m: " " + " ".join(_bigrams(m.group())) + " ", text)


def query_tokens(term: str) -> list[str]:
    """The index tokens a query word stands for: its bigrams where it is unspaced text, the
    rest as it is (`cdp導入` → `cdp`, `導入`). A lone character ends with `*` (a prefix of
    the bigrams it starts)."""
    out: list[str] = []
    last = 0
    for m in _SEGMENTED_RUN.finditer(term):
        if m.start() > last:
            out.append(term[last : m.start()])
        run = m.group()
        out += [run + "*"] if len(run) == 1 else _bigrams(run)
        last = m.end()
    if last < len(term):
        out.append(term[last:])
    return [t for t in out if t.strip("'-")]
