"""Per-kind linear models on disk: standardisation, one weight vector and intercept per kind,
and a JSON `meta` describing the features, in one `.npz` (plain arrays; never pickle).

Both the unit classifier (`unit_model.py`) and the item scorer (`candidates.py`) are stored so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.models import ItemKind


@dataclass
class LinearKinds:
    mu: np.ndarray
    sigma: np.ndarray
    coef: dict[ItemKind, np.ndarray]
    intercept: dict[ItemKind, float]
    meta: dict


def read_linear(path: Path, expected: dict) -> LinearKinds:
    """The arrays and meta of `path`; ValueError when the meta disagrees with `expected`
    (weights trained on other features must not be read as if they fit)."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        for key, value in expected.items():
            if meta.get(key) != value:
                raise ValueError(f"{path}: weights were trained with another {key}")
        kinds = [ItemKind(k) for k in meta["kinds"]]
        return LinearKinds(
            mu=data["mu"],
            sigma=data["sigma"],
            coef={k: data[f"coef_{k.value}"] for k in kinds},
            intercept={k: float(data[f"intercept_{k.value}"]) for k in kinds},
            meta=meta,
        )


def write_linear(path: Path, model: LinearKinds) -> None:
    arrays: dict[str, np.ndarray] = {"mu": model.mu, "sigma": model.sigma}
    for kind in model.coef:
        arrays[f"coef_{kind.value}"] = model.coef[kind].astype(np.float32)
        arrays[f"intercept_{kind.value}"] = np.array(model.intercept[kind])
    arrays["meta"] = np.array(json.dumps({**model.meta, "kinds": [k.value for k in model.coef]}))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]
