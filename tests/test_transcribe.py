"""Recordings: spoken by espeak-ng (two voices), transcribed offline by faster-whisper with the
bundled tiny.en model, or by an OpenAI-compatible endpoint (a real local HTTP server); then
stored as a meeting through the normal pipeline, with times and a word about speakers."""

from __future__ import annotations

import pytest

from assistant.errors import TranscriptionFailed
from assistant.transcribe import NO_SPEAKERS, is_recording, make_transcriber
from assistant.transcribe.http import HttpTranscriber
from tests.conftest import FIXTURES
from tests.speech import CONTAINERS, encode, have_espeak, recall, script_wav
from tests.transcribe_server import FakeTranscriber, Reply

ZOOM = (FIXTURES / "transcripts" / "zoom.vtt").read_bytes()
needs_espeak = pytest.mark.skipif(
    not have_espeak(), reason="espeak-ng is not installed (make system-deps installs it)"
)


@pytest.fixture(scope="module")
def spoken() -> tuple[bytes, str]:
    if not have_espeak():
        pytest.skip("espeak-ng is not installed (make system-deps installs it)")
    return script_wav()


@pytest.fixture(scope="module")
def whisper():
    from assistant.transcribe.whisper import WhisperTranscriber

    return WhisperTranscriber()


@needs_espeak
def test_two_voices_are_transcribed_offline_with_monotone_times(spoken, whisper):
    wav, script = spoken
    seen: list[tuple[float, float]] = []
    transcript = whisper.transcribe(wav, "standup.wav", lambda d, t: seen.append((d, t)))
    heard = " ".join(s.text for s in transcript.segments)
    assert recall(script, heard) >= 0.8, heard
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts) and all(s.end >= s.start for s in transcript.segments)
    words = [w for s in transcript.segments for w in s.words]
    assert words and [w.start for w in words] == sorted(w.start for w in words)
    assert all(w.end >= w.start for w in words)
    assert seen and seen[-1][0] == seen[-1][1]  # progress reaches the end


@needs_espeak
@pytest.mark.parametrize("container", sorted(CONTAINERS))
def test_every_upload_container_is_decoded(spoken, whisper, container):
    wav, script = spoken
    data = encode(wav, container)
    assert is_recording(data)
    heard = " ".join(s.text for s in whisper.transcribe(data, f"call.{container}").segments)
    assert recall(script, heard) >= 0.8, heard


@needs_espeak
def test_a_recording_becomes_a_searchable_meeting_without_speaker_names(settings, spoken, whisper):
    from assistant.embed import HashingEmbedder
    from assistant.service import Liaison

    app = Liaison(settings, embedder=HashingEmbedder(), transcriber=whisper)
    wav, script = spoken
    outcome = app.ingest_bytes(wav, "2026-11-03-budget-review.wav")
    assert outcome.ok, outcome.error
    meeting = outcome.meeting
    assert meeting.format.startswith("recording (faster-whisper")
    assert meeting.date.isoformat() == "2026-11-03" and NO_SPEAKERS in meeting.warnings
    assert NO_SPEAKERS in outcome.warnings
    turns = app.meeting(meeting.id).turns
    assert all(t.speaker is None for t in turns)
    assert [t.start_s for t in turns] == sorted(t.start_s for t in turns)
    assert recall(script, " ".join(t.text for t in turns)) >= 0.8
    hits = app.search("vendor contract legal")
    assert hits and hits[0].meeting_id == meeting.id and hits[0].start_s is not None
    words = app.meeting_words(meeting.id)  # word times are kept, turn by turn
    flat = [w for i in sorted(words) for w in words[i]]
    assert recall(script, " ".join(w.text for w in flat)) >= 0.8
    assert [w.start for w in flat] == sorted(w.start for w in flat)
    for turn in turns:
        assert all(turn.start_s - 0.5 <= w.start <= turn.end_s + 0.5 for w in words[turn.index])


@needs_espeak
def test_a_recording_uploaded_to_the_api_is_a_job_with_transcription_progress(
    settings, liaison, spoken
):
    from tests.conftest import api_client

    wav, _ = spoken
    with api_client(settings, liaison) as client:
        r = client.post("/meetings", files=[("files", ("call.ogg", encode(wav, "ogg")))],
                        data={"wait": "true"})  # fmt: skip
        assert r.status_code == 201, r.text
        job = client.get(f"/jobs/{r.json()['job_ids'][0]}").json()
    assert job["options"]["recording"] is True and job["state"] == "done"
    assert job["outcome"]["meeting"]["format"].startswith("recording")


def test_undecodable_audio_fails_clearly_and_stores_nothing(liaison, whisper):
    liaison._transcriber = whisper
    junk = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x07" * 4000
    outcome = liaison.ingest_bytes(junk, "broken.wav")
    assert outcome.error_type == "TranscriptionFailed" and "broken.wav" in outcome.error
    assert liaison.meetings()[1] == 0


def test_transcripts_are_not_taken_for_recordings():
    assert not is_recording(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello")
    assert not is_recording(b'{"segments": []}')
    assert is_recording(b"ID3\x04" + bytes(20)) and is_recording(b"OggS" + bytes(20))


VERBOSE = {
    "language": "english",
    "duration": 6.5,
    "text": "We ship on Friday. Agreed.",
    "segments": [
        {"start": 0.0, "end": 4.0, "text": " We ship on Friday."},
        {"start": 4.5, "end": 6.5, "text": " Agreed."},
    ],
    "words": [
        {"word": "We", "start": 0.1, "end": 0.3},
        {"word": "ship", "start": 0.4, "end": 0.8},
        {"word": "on", "start": 0.9, "end": 1.0},
        {"word": "Friday.", "start": 1.1, "end": 1.8},
        {"word": "Agreed.", "start": 4.6, "end": 5.2},
    ],
}


def test_http_transcriber_sends_the_file_and_reads_segments_and_words():
    with FakeTranscriber() as server:
        server.queue(VERBOSE)
        t = HttpTranscriber(server.base_url, model="whisper-large", api_key="sk-test")
        transcript = t.transcribe(b"RIFF....WAVE", "call.wav")
        sent = server.requests[0]
    assert sent["path"] == "/v1/audio/transcriptions" and sent["file"] == b"RIFF....WAVE"
    assert sent["fields"]["model"] == ["whisper-large"]
    assert sent["fields"]["response_format"] == ["verbose_json"]
    assert sent["fields"]["timestamp_granularities[]"] == ["segment", "word"]
    assert sent["authorization"] == "Bearer sk-test"
    assert [(s.start, s.text) for s in transcript.segments] == [
        (0.0, "We ship on Friday."),
        (4.5, "Agreed."),
    ]
    assert [w.text for w in transcript.segments[0].words] == ["We", "ship", "on", "Friday."]
    assert transcript.duration_s == 6.5 and transcript.language == "english"


def test_http_transcriber_groups_bare_words_into_sentences():
    body = {"text": "x", "words": VERBOSE["words"]}
    with FakeTranscriber() as server:
        server.queue(body)
        transcript = HttpTranscriber(server.base_url).transcribe(b"OggS", "a.ogg")
    assert [s.text for s in transcript.segments] == ["We ship on Friday.", "Agreed."]
    assert transcript.segments[1].start == 4.6


@pytest.mark.parametrize(
    "reply, words",
    [
        (Reply(status=503, body={"error": "overloaded"}), "answered 503"),
        (Reply(body=["not", "a", "transcript"]), "without a transcript"),
    ],  # fmt: skip
)
def test_http_transcriber_errors_name_the_file_and_the_cause(reply, words):
    with FakeTranscriber() as server:
        server.queue(reply)
        with pytest.raises(TranscriptionFailed) as err:
            HttpTranscriber(server.base_url).transcribe(b"OggS", "a.ogg")
    assert "a.ogg" in str(err.value) and words in str(err.value)


def test_the_endpoint_setting_sends_recordings_there_and_stores_the_meeting(settings, extractor):
    from assistant.embed import HashingEmbedder
    from assistant.service import Liaison

    with FakeTranscriber() as server:
        server.queue(VERBOSE)
        conf = settings.model_copy(update={"transcribe_base_url": server.base_url})
        assert isinstance(make_transcriber(conf), HttpTranscriber)
        app = Liaison(conf, embedder=HashingEmbedder(), extractor=extractor)
        outcome = app.ingest_bytes(b"OggS" + bytes(100), "ship-review.ogg")
    assert outcome.ok, outcome.error
    turns = app.meeting(outcome.meeting.id).turns
    assert [(t.text, t.start_s, t.end_s) for t in turns] == [
        ("We ship on Friday.", 0.0, 4.0),
        ("Agreed.", 4.5, 6.5),
    ]
    assert outcome.meeting.format == "recording (http:whisper-1)"


def test_word_times_are_served_per_turn_and_go_with_their_meeting(settings, liaison, client):
    with FakeTranscriber() as server:
        server.queue(VERBOSE)
        liaison._transcriber = HttpTranscriber(server.base_url)
        r = client.post("/meetings", files=[("files", ("ship.ogg", b"OggS" + bytes(100)))])
    assert r.status_code == 201, r.text
    mid = r.json()["meeting_ids"][0]
    body = client.get(f"/meetings/{mid}/words").json()
    assert [t["turn_index"] for t in body["turns"]] == [0, 1]
    assert [w["text"] for w in body["turns"][0]["words"]] == ["We", "ship", "on", "Friday."]
    assert body["turns"][1]["words"][0] == {"text": "Agreed.", "start": 4.6, "end": 5.2}
    transcript = client.post("/meetings", files=[("files", ("z.vtt", ZOOM))]).json()
    assert client.get(f"/meetings/{transcript['meeting_ids'][0]}/words").json()["turns"] == []
    client.delete(f"/meetings/{mid}")
    assert client.get(f"/meetings/{mid}/words").status_code == 404
    left = liaison.db.connect().execute("SELECT COUNT(*) FROM turn_words").fetchone()[0]
    assert left == 0


def test_the_cli_ingests_recordings_found_in_a_folder(home, tmp_path):
    import json
    import os
    import subprocess
    import sys

    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "ship-review.ogg").write_bytes(b"OggS" + bytes(100))
    (folder / "notes.csv").write_text("a,b\n")  # not a transcript nor a recording: not taken
    with FakeTranscriber() as server:
        server.queue(VERBOSE)
        env = {
            **os.environ,
            "LIAISON_HOME": str(home),
            "LIAISON_EMBEDDER": "hashing",
            "LIAISON_EXTRACTOR": "none",
            "LIAISON_TRANSCRIBE_BASE_URL": server.base_url,
        }
        run = subprocess.run(
            [sys.executable, "-c", "from assistant.cli import main; main()", "ingest",
             str(folder), "--json"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (outcome,) = json.loads(run.stdout)
    assert outcome["source"].endswith("ship-review.ogg")
    assert outcome["meeting"]["format"] == "recording (http:whisper-1)"
    assert outcome["meeting"]["turn_count"] == 2 and NO_SPEAKERS in outcome["warnings"]
