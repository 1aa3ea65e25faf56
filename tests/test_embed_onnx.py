"""MiniLM on ONNX Runtime: the same vectors as PyTorch, exported once offline, cached, reused;
commands that do not embed load neither runtime; texts are embedded once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.embed import HashingEmbedder, MiniLMEmbedder, embed_texts

REPO = Path(__file__).resolve().parents[1]

SENTENCES = [
    "I can have the mParticle SSO integration live by November tenth.",
    "Let's park the budget split until the QBR.",
    "We're switching the CDP from Segment to mParticle.",
    "Raj, can you own the consent banner review?",
    "Yes, I'll have the review done by next Tuesday.",
    "That's on us. The web team added Hotjar without telling IT.",
    "ok",
    "So the data processing agreement with Segment is finished, signed last Friday, and legal "
    "has the countersigned copy; the next step is the retention schedule, which Priya owns.",
]

# No network: the hub is offline and every HTTP(S) request would go to a closed port.
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
}


def _run(code: str, env: dict[str, str], timeout: int = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory) -> Path:
    """A cache folder into which a fresh process exported the model with no network."""
    cache = tmp_path_factory.mktemp("model-cache")
    code = (
        "import json, sys\n"
        "from assistant.embed_onnx import OnnxMiniLM\n"
        f"m = OnnxMiniLM({str(cache)!r})\n"
        "v = m.encode(['hello there'])\n"
        "print(json.dumps({'exported': m.exported, 'shape': list(v.shape),\n"
        "                  'torch_after_export': 'torch' in sys.modules}))\n"
    )
    done = _run(code, OFFLINE)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["exported"] is True and report["shape"] == [1, 384]
    return cache


@pytest.mark.model
def test_onnx_export_is_made_offline_once_then_reused(onnx_cache):
    files = list(onnx_cache.glob("*.onnx"))
    assert len(files) == 1 and files[0].stat().st_size > 50_000_000
    before = files[0].stat().st_mtime_ns
    code = (
        "import json, sys\n"
        "from assistant.embed_onnx import OnnxMiniLM\n"
        f"m = OnnxMiniLM({str(onnx_cache)!r})\n"
        "m.encode(['hello again'])\n"
        "print(json.dumps({'exported': m.exported, 'torch': 'torch' in sys.modules}))\n"
    )
    done = _run(code, OFFLINE)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # The second process reuses the file, and never needs torch for it.
    assert report == {"exported": False, "torch": False}
    assert files[0].stat().st_mtime_ns == before
    assert list(onnx_cache.glob("*.tmp")) == []


@pytest.mark.model
def test_onnx_and_pytorch_give_the_same_vectors(onnx_cache):
    onnx = MiniLMEmbedder(backend="onnx", cache_dir=onnx_cache).embed_batch(SENTENCES)
    torch = MiniLMEmbedder(backend="torch").embed_batch(SENTENCES)
    assert onnx.shape == torch.shape == (len(SENTENCES), 384)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-4)
    cosine = (onnx * torch).sum(axis=1)
    assert cosine.min() >= 0.99
    # Same neighbours: each sentence's nearest other sentence is the same under both.
    others = 2 * np.eye(len(SENTENCES))
    nearest_onnx = np.argmax(onnx @ onnx.T - others, axis=1)
    nearest_torch = np.argmax(torch @ torch.T - others, axis=1)
    assert (nearest_onnx == nearest_torch).all()


@pytest.mark.model
def test_a_damaged_cached_export_is_made_again(onnx_cache, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    original = next(onnx_cache.glob("*.onnx"))
    broken = cache / original.name
    broken.write_bytes(original.read_bytes()[:1_000_000])  # a copy cut short
    from assistant.embed_onnx import OnnxMiniLM

    model = OnnxMiniLM(cache)
    assert model.exported is True
    assert broken.stat().st_size == original.stat().st_size
    assert model.encode(["still works"]).shape == (1, 384)


def _modules_after(args: list[str], env: dict[str, str]) -> dict:
    code = (
        "import json, sys\n"
        f"sys.argv = ['liaison', *{args!r}]\n"
        "from assistant.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "names = ('torch', 'sentence_transformers', 'transformers', 'onnxruntime')\n"
        "print(json.dumps({'code': code, **{n: n in sys.modules for n in names}}),"
        " file=sys.stderr)\n"
    )
    done = _run(code, env)
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.model
def test_commands_that_do_not_embed_load_no_model_runtime(tmp_path, onnx_cache):
    env = {
        **OFFLINE,
        "LIAISON_HOME": str(tmp_path / "home"),
        "LIAISON_EMBEDDER": "minilm",
        "LIAISON_MODEL_CACHE": str(onnx_cache),
        "LIAISON_EXTRACTOR": "offline",
    }
    for args in (["meetings", "--json"], ["items", "--json"], ["parking-lot"], ["--help"]):
        loaded = _modules_after(args, env)
        assert loaded["code"] in (0, None), (args, loaded)
        assert not any(loaded[n] for n in ("torch", "sentence_transformers", "onnxruntime")), (
            args,
            loaded,
        )
    # Search and ask embed the question: with the default embedder on ONNX Runtime, not torch.
    for args in (["search", "budget", "--json"], ["ask", "what did we decide about the CDP?"]):
        loaded = _modules_after(args, env)
        assert loaded["code"] in (0, None) and loaded["onnxruntime"], (args, loaded)
        assert not loaded["torch"] and not loaded["sentence_transformers"], (args, loaded)


class CountingEmbedder(HashingEmbedder):
    """A real (hashing) embedder that records every text it is asked to embed."""

    def __init__(self):
        super().__init__()
        self.seen: list[str] = []

    def embed_batch(self, texts):
        self.seen += list(texts)
        return super().embed_batch(texts)


def test_embed_texts_embeds_each_distinct_text_once_in_order():
    embedder = CountingEmbedder()
    texts = ["a long sentence about the budget split", "ok", "yes", "ok", "the CDP", "yes", "ok"]
    covered: list[int] = []
    vectors = embed_texts(embedder, texts, batch_size=2, progress=covered.append)
    assert sorted(embedder.seen) == sorted(set(texts))  # each once
    assert sum(covered) == len(texts)  # progress counts the texts given
    expected = HashingEmbedder().embed_batch(texts)
    assert np.array_equal(vectors, expected)  # rows in the order given
    lengths = [len(t) for t in embedder.seen]
    assert lengths == sorted(lengths)  # shortest first: batches of alike lengths


class CountingMiniLM(MiniLMEmbedder):
    """MiniLM whose backend is the hashing embedder, counting the texts it reaches."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.encoded: list[str] = []
        self.dim = HashingEmbedder().dim

    def _encode(self, texts):
        self.encoded += texts
        return HashingEmbedder().embed_batch(texts)


def test_minilm_remembers_recent_texts_and_forgets_the_oldest():
    embedder = CountingMiniLM(remember=3)
    first = embedder.embed_batch(["one", "two", "three"])
    again = embedder.embed_batch(["three", "two", "one", "one"])
    assert embedder.encoded == ["one", "two", "three"]  # nothing embedded twice
    assert np.array_equal(again[:3], first[::-1]) and np.array_equal(again[3], first[0])
    embedder.embed_batch(["four"])  # pushes out the least recently used ("three" was used
    embedder.embed_batch(["three"])  # before "two" and "one" in the second call)
    assert embedder.encoded == ["one", "two", "three", "four", "three"]
