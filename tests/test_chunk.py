from assistant.chunk import chunk_turns
from assistant.models import Turn


def turns_of(lengths: list[int]) -> list[Turn]:
    return [
        Turn(
            index=i,
            speaker=f"S{i % 3}",
            text=" ".join(["word"] * n),
            start_s=i * 10.0,
            end_s=i * 10.0 + 9,
        )
        for i, n in enumerate(lengths)
    ]


def test_windows_cover_every_turn_with_overlap_and_times():
    turns = turns_of([40] * 12)
    chunks = chunk_turns(7, turns, target_words=120, overlap_turns=1)
    covered = {i for c in chunks for i in range(c.turn_start, c.turn_end + 1)}
    assert covered == set(range(12))
    assert all(c.meeting_id == 7 for c in chunks)
    # consecutive windows share one turn
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.turn_start == a.turn_end
    first = chunks[0]
    assert (first.start_s, first.end_s) == (0.0, turns[first.turn_end].end_s)
    assert all(len(c.text.split()) <= 120 + 3 * 2 for c in chunks)  # words + speaker labels


def test_turn_is_not_cut_unless_very_long():
    turns = turns_of([100, 100, 1000, 10])
    chunks = chunk_turns(1, turns, target_words=120, overlap_turns=1)
    long_pieces = [c for c in chunks if c.turn_start == c.turn_end == 2]
    assert len(long_pieces) >= 4  # the 1000-word turn was split, each piece points at turn 2
    normal = [c for c in chunks if c not in long_pieces]
    for c in normal:
        for i in range(c.turn_start, c.turn_end + 1):
            if i != 2:
                assert " ".join(["word"] * turns[i].text.count("word")) in c.text


def test_speakers_listed_once_in_order():
    turns = [
        Turn(index=0, speaker="Dana", text="hello there"),
        Turn(index=1, speaker="Marcus", text="hi"),
        Turn(index=2, speaker="Dana", text="again"),
    ]
    [chunk] = chunk_turns(1, turns)
    assert chunk.speakers == ["Dana", "Marcus"]
    assert chunk.start_s is None and chunk.end_s is None
    assert chunk.text.startswith("Dana: hello there")
