"""Speech for tests and benchmarks: a short two-voice meeting spoken by espeak-ng, and the same
audio in the containers people upload (mp3, m4a, mp4, webm, ogg), encoded with PyAV.

    script_wav(tmp_path) -> (wav bytes, the words of the script)
    encode(wav_bytes, "mp3") -> bytes
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

# Two voices, alternating (espeak-ng voice names: a US male voice and a British female one).
SCRIPT = [
    ("en-us", "Good morning everyone. Let us review the marketing budget for the next quarter."),
    ("en-gb+f3", "Thanks. The campaign needs the new customer data platform by March."),
    ("en-us", "I will send the vendor contract to legal by Friday."),
    ("en-gb+f3", "Great. Then we can decide on the launch date next week."),
]
# container → (format name for PyAV, codec, sample rate)
CONTAINERS = {
    "mp3": ("mp3", "mp3", 22050),
    "m4a": ("ipod", "aac", 22050),
    "mp4": ("mp4", "aac", 22050),
    "webm": ("webm", "libopus", 48000),
    "ogg": ("ogg", "libopus", 48000),
}


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, voice: str) -> tuple[np.ndarray, int]:
    out = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "150", "--stdout", text],
        capture_output=True,
        check=True,
    ).stdout
    with wave.open(io.BytesIO(out)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return samples, rate


def to_wav(samples: np.ndarray, rate: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype(np.int16).tobytes())
    return buf.getvalue()


def script_wav(script: list[tuple[str, str]] = SCRIPT, pause_s: float = 0.6) -> tuple[bytes, str]:
    """The script spoken turn by turn with a pause between voices: (wav bytes, its text)."""
    parts, rate = [], 22050
    for voice, text in script:
        samples, rate = speak(text, voice)
        parts += [samples, np.zeros(int(rate * pause_s), dtype=np.int16)]
    return to_wav(np.concatenate(parts), rate), " ".join(text for _, text in script)


def encode(wav_bytes: bytes, container: str) -> bytes:
    """The wav's audio in another container and codec (see CONTAINERS)."""
    import av

    fmt, codec, rate = CONTAINERS[container]
    with wave.open(io.BytesIO(wav_bytes)) as w:
        src_rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    out = io.BytesIO()
    with av.open(out, "w", format=fmt) as box:
        stream = box.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        step = 4096
        for start in range(0, len(samples), step):
            frame = av.AudioFrame.from_ndarray(
                samples[start : start + step].reshape(1, -1), format="s16", layout="mono"
            )
            frame.sample_rate = src_rate
            for part in resampler.resample(frame):
                for packet in stream.encode(part):
                    box.mux(packet)
        for part in resampler.resample(None):
            for packet in stream.encode(part):
                box.mux(packet)
        for packet in stream.encode(None):
            box.mux(packet)
    return out.getvalue()


def words(text: str) -> list[str]:
    import re

    return re.findall(r"[a-z0-9']+", text.lower())


def recall(script: str, heard: str) -> float:
    """Share of the script's words found in what was heard (each heard word used once)."""
    from collections import Counter

    want, got = Counter(words(script)), Counter(words(heard))
    return sum(min(n, got[w]) for w, n in want.items()) / max(1, sum(want.values()))


def save(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
