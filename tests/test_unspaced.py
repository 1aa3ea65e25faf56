"""Chinese, Japanese and other text written without spaces: found by search, chunked by
characters, merged without stray spaces."""

from __future__ import annotations

from assistant import unspaced
from assistant.chunk import chunk_turns
from assistant.models import SearchFilters, Turn
from assistant.search import query_terms
from tests.conftest import FIXTURES

T = FIXTURES / "transcripts"


def test_sizes_count_characters_of_unspaced_text():
    assert unspaced.size("the budget is approved") == 4
    assert unspaced.size("我们讨论预算") == 6
    assert unspaced.size("CDP の導入") == 4  # "CDP" + の導入
    assert unspaced.size("สวัสดีครับ") == 10


def test_index_text_and_query_tokens_are_character_bigrams():
    assert unspaced.for_index("会議の議事録").split() == ["会議", "議の", "の議", "議事", "事録"]
    assert unspaced.for_index("CDP 導入").split() == ["CDP", "導入"]
    assert unspaced.query_tokens("cdp導入") == ["cdp", "導入"]
    assert unspaced.query_tokens("会") == ["会*"]


def test_cjk_lines_join_without_a_space():
    assert unspaced.join("我们今天", "讨论预算") == "我们今天讨论预算"
    assert unspaced.join("budget", "预算") == "budget 预算"
    assert unspaced.tidy("大家好，\n我们 开始") == "大家好，我们开始"


def test_long_chinese_turn_is_chunked_by_characters():
    text = "我们今天讨论第三季度的营销预算。" * 300  # 4,800 characters, no spaces
    chunks = chunk_turns(1, [Turn(index=0, speaker="王小明", text=text)], target_words=120)
    assert len(chunks) >= 30
    assert max(len(c.text) for c in chunks) <= 260
    assert all(c.turn_start == c.turn_end == 0 for c in chunks)


def test_a_phrase_inside_a_chinese_sentence_is_found(liaison):
    chinese = liaison.ingest_path(T / "zoom_chinese.vtt")
    liaison.ingest_path(T / "zoom.vtt")
    assert chinese.ok
    hits = liaison.search("数据隐私审查", k=3)
    assert hits and hits[0].meeting_id == chinese.meeting.id
    assert "数据隐私审查" in hits[0].text
    # Found by its words, not only by meaning: the full-text side matches it.
    conn = liaison.db.connect()
    lexical = liaison.searcher._lexical(conn, query_terms("数据隐私审查"), SearchFilters(), None, 5)
    chunk_ids = {r[0] for r in conn.execute("SELECT id FROM chunks WHERE meeting_id = ?",
                                            (chinese.meeting.id,))}  # fmt: skip
    assert lexical and set(lexical) <= chunk_ids
    assert liaison.search("供应商", k=1)[0].meeting_id == chinese.meeting.id
    # English search is unchanged beside it.
    assert liaison.search("consent banner", k=1)[0].meeting_id != chinese.meeting.id


def test_japanese_phrase_is_found_and_deleting_clears_the_bigram_index(liaison):
    meeting = liaison.ingest_path(T / "japanese.txt").meeting
    hits = liaison.search("会員プログラム", k=1)
    assert hits and hits[0].meeting_id == meeting.id
    liaison.delete_meeting(meeting.id)
    conn = liaison.db.connect()
    assert conn.execute("SELECT COUNT(*) FROM chunks_bigrams").fetchone()[0] == 0
