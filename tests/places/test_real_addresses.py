"""Addresses written by people (tests/data/addresses_real): county right when named, never a confident wrong answer."""

from __future__ import annotations

import csv
from pathlib import Path

from planner.places.resolver import resolve_many

DATA = Path(__file__).resolve().parents[1] / "data" / "addresses_real" / "addresses.csv"
ROWS = list(csv.DictReader(DATA.open(encoding="utf-8")))


def test_every_row_cites_its_source():
    assert len(ROWS) >= 14
    assert all(r["source"].startswith("http") for r in ROWS)
    assert len({r["address"] for r in ROWS}) == len(ROWS)


def test_county_right_when_named_and_no_confident_wrong_answer():
    got = resolve_many(r["address"] for r in ROWS)
    named = [(r, g) for r, g in zip(ROWS, got, strict=True) if r["county_named"]]
    right = sum(g.county == r["county_named"] for r, g in named)
    assert right / len(named) >= 0.99
    wrong = [(r["address"], g.county) for r, g in zip(ROWS, got, strict=True)
             if r["county_truth"] and g.county and not g.ambiguous and g.county != r["county_truth"]]
    assert wrong == []
    # A bare road says why its county is unknown instead of guessing one.
    bare = [g for r, g in zip(ROWS, got, strict=True) if r["address"] in ("新浦路13-6号", "金星路9-4号")]
    assert all(g.county == "" and "县区不明" in g.message for g in bare)
