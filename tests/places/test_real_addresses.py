"""Addresses written by people (tests/data/addresses_real): county right when named, never a confident wrong answer.

The figures are measured on the data set, not written into the test: add rows and they count. Run with ``-s`` to
see them printed.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import geodata
from planner.places.resolver import resolve_many

DATA = Path(__file__).resolve().parents[1] / "data" / "addresses_real" / "addresses.csv"
ROWS = list(csv.DictReader(DATA.open(encoding="utf-8")))
COUNTIES = {c.name for c in geodata.counties()}
ELSEWHERE = "外地"  # county_truth of an address outside Zhangzhou
# A road and house number with nothing before it but 漳州(市): 新浦路13-6号, 延安南路107號.
BARE_ROAD = re.compile(r"^(?:漳州市?)?(?:(?![县区市镇乡村]|街道)[\u4e00-\u9fff]){1,8}?"
                       r"(?:大道|大街|路|街|巷)[东南西北中]?段?\d")


def _right_county(row: dict[str, str]) -> str:
    """The county a named row must resolve to: the page's (a renamed town moves: 龙海县郭坑镇 is in 龙文区)."""
    return row["county_truth"] or row["county_named"]


def _confidently_wrong(row: dict[str, str], got) -> bool:
    truth = row["county_truth"]
    if not truth:
        return False
    if truth == ELSEWHERE:
        # A place elsewhere answered with a Zhangzhou county and no doubt.
        return bool(got.county) and not got.ambiguous
    # A Zhangzhou place answered with another county, or declared to be outside Zhangzhou.
    return (bool(got.county) and not got.ambiguous and got.county != truth) or got.message.startswith("地址不在漳州市")


def test_every_row_cites_its_source_and_is_labelled():
    assert len(ROWS) >= 150
    assert all(r["source"].startswith("http") for r in ROWS)
    assert len({r["address"] for r in ROWS}) == len(ROWS)
    assert all(r["county_named"] in COUNTIES | {""} for r in ROWS)
    assert all(r["county_truth"] in COUNTIES | {"", ELSEWHERE} for r in ROWS)
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    assert [r["source"] for r in ROWS if r["source"] not in readme] == []


def test_county_right_when_named_and_no_confident_wrong_answer():
    got = resolve_many(r["address"] for r in ROWS)
    pairs = list(zip(ROWS, got, strict=True))
    named = [(r, g) for r, g in pairs if r["county_named"]]
    right = [(r, g) for r, g in named if g.county == _right_county(r)]
    wrong = [(r["address"], r["county_truth"], g.county, g.town, g.message)
             for r, g in pairs if _confidently_wrong(r, g)]
    here = [(r, g) for r, g in pairs if r["county_truth"] not in ("", ELSEWHERE)]
    away = [(r, g) for r, g in pairs if r["county_truth"] == ELSEWHERE]
    levels = {p: sum(g.precision == p for _, g in here) for p in ("village", "town", "county", "none")}
    print(
        f"\nreal addresses: {len(ROWS)} rows, {len(here)} in Zhangzhou, {len(away)} elsewhere\n"
        f"county named: {len(named)}, right {len(right)} ({len(right) / len(named):.1%})\n"
        f"confident wrong answers: {len(wrong)}\n"
        f"Zhangzhou rows resolved to: {levels}\n"
        f"elsewhere rows said to be outside Zhangzhou: "
        f"{sum(g.message.startswith('地址不在漳州市') for _, g in away)} of {len(away)}"
    )
    assert len(named) >= 50
    missed = [(r["address"], g.county, g.message) for r, g in named if (r, g) not in right]
    assert len(right) / len(named) >= 0.99, missed
    assert wrong == []


def test_bare_road_says_why_its_county_is_unknown():
    bare = [r["address"] for r in ROWS if BARE_ROAD.match(r["address"])]
    assert len(bare) >= 3
    for r in resolve_many(bare):
        assert r.county == "" and "县区不明" in r.message, (r.address, r.county, r.message)


def test_a_firm_named_like_a_town_is_not_that_town():
    # 建设 is 诏安县建设乡, but 建设公司 is a firm (as in letters: "漳州某建设公司拖欠工资");
    # the town itself still resolves.
    firm, town = resolve_many(["漳州建设公司", "诏安县建设乡"])
    assert firm.town == "" and firm.county == ""
    assert (town.county, town.town) == ("诏安县", "建设乡")
