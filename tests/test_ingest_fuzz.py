"""Fuzzing `parse_transcript` over every format: whatever the bytes, the result is turns (with
finite, non-negative times and storable text) or an `IngestError`; never another exception,
and never the safety net's "internal parser error" (that would be a bug we have not fixed).

Seeds are the fixtures of each format, mutated where parsers are most fragile (timings, tags,
labels, numbers, nesting); plus generated JSON shapes, generated .docx paragraphs and random
bytes. Deterministic (`derandomize`), a few thousand examples, well under a minute.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import IngestError
from assistant.ingest import INTERNAL_ERROR, parse_transcript

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
SEEDS = {
    path.name: path.read_bytes()
    for path in sorted(FIXTURES.iterdir())
    if path.suffix in {".vtt", ".srt", ".txt", ".md", ".json", ".jsonl"}
}
# Fragments that have broken parsers before: timings, markup, labels, numbers, nesting.
TOKENS = [
    "-->", " --> ", "00:00:60.000", "0:0:-6.-820", "99:99:99,999", "\n\n", "\n", "WEBVTT\n",
    "<", "<v ", "<v Ana>", "</v>", "<c>", "<00:00:01.600>", "&amp;", "&#", ":", "：", ": ",
    "**", "# ", "### 00:01:02\n", "[00:01:02] ", "Ana Ruiz: ", "potuz: ", "Audio shared by ",
    "From Ana to Everyone:", "{", "}", "[", "]", '"', ",", "NaN", "-Infinity", "1e999", "-50",
    "9" * 400, "\\ud800", "\\u0000", "\ud800", "\x00", "\x1b", "\u202e", "会議の議事録", "　",
    '"start": ', '"end": ', '"speaker": ', '"segments": [', '"results": {', '"items": [',
    '"channels": [', '"alternatives": [', '"words": [', "null", "true", "{}", "[]",
]  # fmt: skip
FORMATS = ["x.vtt", "x.srt", "x.txt", "x.md", "x.json", "x.jsonl", "x.docx", "x"]


def check(data: bytes, name: str) -> None:
    try:
        parsed = parse_transcript(data, name)
    except IngestError as err:
        assert INTERNAL_ERROR not in str(err), str(err)
        return
    assert parsed.turns
    assert [t.index for t in parsed.turns] == list(range(len(parsed.turns)))
    for turn in parsed.turns:
        assert turn.text.strip()
        turn.text.encode("utf-8")
        (turn.speaker or "").encode("utf-8")
        for value in (turn.start_s, turn.end_s):
            assert value is None or (math.isfinite(value) and value >= 0)
    (parsed.title or "").encode("utf-8")


@st.composite
def mutated(draw) -> tuple[bytes, str]:
    seed_name = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[seed_name].decode("utf-8", errors="replace")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "repeat", "replace"]))
        piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif action == "repeat":
            text = text[:at] + piece * draw(st.integers(2, 300)) + text[at:]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    name = draw(st.sampled_from([seed_name, *FORMATS]))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "surrogates"]))
    if encoding == "surrogates":
        return text.encode("utf-8", errors="surrogatepass"), name
    return text.encode(encoding, errors="replace"), name


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
KEYS = ["text", "speaker", "speaker_id", "participant", "start", "end", "start_ms", "end_ms",
        "duration", "words", "transcript", "start_time", "end_time", "alternatives", "content",
        "type", "speaker_label", "punctuated_word", "word", "items", "channels"]  # fmt: skip


@st.composite
def json_shapes(draw) -> bytes:
    item = st.dictionaries(st.sampled_from(KEYS), JSON_VALUES, max_size=6)
    items = st.lists(item, max_size=5)
    shape = draw(st.sampled_from(["list", "segments", "utterances", "aws", "deepgram", "lines"]))
    value = draw(items)
    if shape == "segments":
        doc = {"segments": value}
    elif shape == "utterances":
        doc = {"utterances": value, "title": draw(JSON_VALUES)}
    elif shape == "aws":
        doc = {"results": {"items": value, "speaker_labels": {"segments": draw(items)},
                           "transcripts": draw(st.lists(item, max_size=2))}}  # fmt: skip
    elif shape == "deepgram":
        doc = {"results": {"channels": [{"alternatives": [{"words": value}]}],
                           "utterances": draw(st.one_of(st.none(), items))}}  # fmt: skip
    else:
        doc = value
    if shape == "lines":
        return "\n".join(json.dumps(v) for v in value).encode()
    return json.dumps(doc, allow_nan=True).encode()


def docx_bytes(paragraphs: list[str]) -> bytes:
    template = io.BytesIO()
    docx.Document().save(template)
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            part = src.read(name)
            if name == "word/document.xml":
                part = part.replace(b"<w:body>", b"<w:body>" + body.encode(), 1)
            dst.writestr(name, part)
    return out.getvalue()


XML_TEXT = st.lists(
    st.sampled_from(TOKENS[:30]) | st.text(st.characters(blacklist_categories=("Cs", "Cc"))),
    max_size=5,
).map("".join)
FUZZ = settings(
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@settings(FUZZ, max_examples=2500)
@given(mutated())
def test_mutated_files_of_every_format(case):
    check(*case)


@settings(FUZZ, max_examples=800)
@given(json_shapes(), st.sampled_from(["t.json", "t.jsonl", "t.txt"]))
def test_generated_json_shapes(data, name):
    check(data, name)


@settings(FUZZ, max_examples=150)
@given(st.lists(XML_TEXT, min_size=1, max_size=12))
def test_generated_docx_paragraphs(paragraphs):
    check(docx_bytes(paragraphs), "t.docx")


@settings(FUZZ, max_examples=400)
@given(st.binary(max_size=400), st.sampled_from(FORMATS))
def test_random_bytes(data, name):
    check(data, name)
