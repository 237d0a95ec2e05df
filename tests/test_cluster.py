"""Tests of planner.analysis on the labelled dev set in tests/data/cluster_dev.csv."""

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from planner.analysis import ClusterOptions, Decision, Letter, analyse, apply_decision, update
from planner.analysis.metrics import score
from planner.errors import InputError, NotFoundError

DATA = Path(__file__).parent / "data" / "cluster_dev.csv"


def _rows():
    with DATA.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _letter(r):
    return Letter(
        letter_id=r["id"],
        text=r["text"],
        received_date=dt.date.fromisoformat(r["received_date"]),
        address=r["address"],
        petitioner_key=r["petitioner_key"],
    )


@pytest.fixture(scope="module")
def dev():
    rows = _rows()
    return rows, analyse([_letter(r) for r in rows])


def test_dev_set_issue_and_hotspot_scores(dev):
    rows, res = dev
    issue = score([r["issue"] for r in rows], [res.issue_of[r["id"]] for r in rows])
    hot = score([r["hotspot"] for r in rows], [res.hotspot_of[r["id"]] for r in rows])
    # Measured P 1.0 R 0.92 (issues), F1 1.0 (hotspots) on this set with the default options. The one miss is
    # L04, 低保 favouritism by another named cadre in another county, which the dev labels call the same issue.
    assert issue.precision >= 0.95 and issue.recall >= 0.88, issue
    assert hot.f1 >= 0.95, hot


def test_deposit_issue_spans_four_counties_and_is_systemic(dev):
    res = dev[1]
    deposit = res.cluster(res.issue_of["D01"])
    assert set(deposit.case_nos) == {"D01", "D02", "D03", "D04", "D05", "D06"}
    assert set(deposit.county_codes) == {"350628", "350627", "350629", "350605"}
    assert deposit.systemic and res.issues[0].cluster_id == deposit.cluster_id
    assert "B01" not in deposit.case_nos  # a bid deposit shares only the word 保证金


def test_same_place_different_matter_is_not_merged(dev):
    res = dev[1]
    # 岸头村: 低保, 采砂 and 村务 letters are three issues.
    assert len({res.issue_of[x] for x in ("L01", "S01", "F01")}) == 3
    # 魅力之城小区: noise and property fees.
    assert res.issue_of["N01"] != res.issue_of["P01"]


def test_same_matter_other_place_is_another_hotspot(dev):
    res = dev[1]
    assert res.issue_of["N01"] == res.issue_of["N04"]
    assert res.hotspot_of["N01"] != res.hotspot_of["N04"]
    assert res.hotspot_of["N01"] == res.hotspot_of["N02"] == res.hotspot_of["N03"]
    assert len(res.hotspots_of(res.issue_of["D01"])) == 4


def test_letter_without_address_uses_places_in_text(dev):
    res = dev[1]
    assert res.hotspot_of["D06"] == res.hotspot_of["D02"]


def test_repeat_chains_follow_the_petitioner(dev):
    res = dev[1]
    assert res.repeat_of["D05"] == "D01"
    assert res.repeat_of["M02"] == "M01" and res.repeat_of["M03"] == "M01"  # repeat_of names the first letter
    chain = res.cluster("R-M01")
    assert chain.case_nos == ("M01", "M02", "M03")
    assert chain.first_date == dt.date(2025, 11, 3) and chain.last_date == dt.date(2026, 4, 2)
    assert "L02" not in res.repeat_of  # same village, same matter, different petitioner


def test_explain_names_shared_terms_place_and_petitioner(dev):
    res = dev[1]
    ex = res.explain("D01", "D05")
    assert ex.same_petitioner and ex.same_issue and ex.repeat
    assert (ex.same_place and "林业站" in ex.shared_terms + ex.shared_units) or ex.shared_terms
    reasons = ex.reasons()
    assert reasons[0] == "同一信访人"
    ex2 = res.explain("D01", "B01")
    assert not ex2.same_issue and not ex2.same_petitioner
    with pytest.raises(NotFoundError, match="nope"):
        res.explain("D01", "nope")


def test_rows_have_the_cli_columns(dev):
    res = dev[1]
    rows = res.rows()
    assert [r["id"] for r in rows] == [r["id"] for r in _rows()]
    assert set(rows[0]) == {"id", "issue_cluster", "hotspot", "repeat_of", "label"}
    assert rows[0]["label"]


def test_deterministic(dev):
    rows, res = dev
    again = analyse([_letter(r) for r in rows])
    assert again.issue_of == res.issue_of and again.hotspot_of == res.hotspot_of


def test_update_keeps_ids_and_joins_new_letters():
    rows = _rows()
    first, later = rows[:20], rows[20:]
    base = analyse([_letter(r) for r in first])
    new = [_letter(r) for r in later] + [
        Letter("X1", "华安县仙都镇林业站收取林农桉树砍伐保证金不退还", dt.date(2026, 6, 9), address="华安县仙都镇")
    ]
    res = update(base, new)
    for lid, cid in base.issue_of.items():
        assert res.issue_of[lid] == cid
    assert res.issue_of["X1"] == base.issue_of["D01"]
    assert res.hotspot_of["X1"] == res.hotspot_of["D03"]
    fresh = {res.issue_of[r["id"]] for r in later} - set(base.issue_of.values())
    assert all(int(c[1:]) > max(int(x[1:]) for x in base.issue_of.values()) for c in fresh)


def test_update_rejects_known_ids(dev):
    res = dev[1]
    with pytest.raises(InputError, match="D01"):
        update(res, [Letter("D01", "重复")])


def test_manual_decisions_persist_through_update_and_rerun(dev):
    rows, res = dev
    letters = [_letter(r) for r in rows]
    low, sand = res.issue_of["L01"], res.issue_of["S01"]
    merged = apply_decision(res, Decision("merge", source=sand, target=low))
    assert merged.issue_of["S01"] == low and sand not in merged.issue_of.values()
    detached = apply_decision(merged, Decision("detach", letter_ids=("D04",)))
    new_id = detached.issue_of["D04"]
    assert new_id not in res.issue_of.values() and new_id == detached.decisions[-1].target
    # New letters like the detached one or the merged-away cluster respect the decisions.
    y1 = Letter("Y1", "岸头村沙滩非法采砂，挖砂船天天作业", dt.date(2026, 7, 1), address="漳浦县佛昙镇岸头村")
    upd = update(detached, [y1])
    assert upd.issue_of["Y1"] == low and upd.issue_of["D04"] == new_id
    # A full re-run given the previous result keeps ids and replays the decisions.
    rerun = analyse(letters, previous=detached)
    assert rerun.issue_of == detached.issue_of


def test_split_moves_letters_to_a_new_cluster(dev):
    res = dev[1]
    out = apply_decision(res, Decision("split", letter_ids=("N04", "N05")))
    assert out.issue_of["N04"] == out.issue_of["N05"] != out.issue_of["N01"]
    with pytest.raises(NotFoundError, match="ZZ"):
        apply_decision(res, Decision("split", letter_ids=("ZZ",)))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"issue_threshold": 1.5}, "issue_threshold"),
        ({"neighbours": 0}, "neighbours"),
        ({"systemic_counties": 1}, "systemic"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(InputError, match=match):
        ClusterOptions(**kwargs)


def test_duplicate_and_empty_ids():
    with pytest.raises(InputError, match="'A'"):
        analyse([Letter("A", "x"), Letter("A", "y")])
    with pytest.raises(InputError, match="须有编号"):
        Letter("  ", "x")


def test_systemic_threshold_is_configurable(dev):
    rows, _res = dev
    res = analyse([_letter(r) for r in rows], options=ClusterOptions(systemic_counties=5))
    assert not res.systemic()


def test_letters_without_dates_or_text():
    res = analyse([Letter("a", ""), Letter("b", "桉树砍伐保证金"), Letter("c", "")])
    assert set(res.issue_of) == {"a", "b", "c"}
    assert res.issue_of["a"] != res.issue_of["b"]


def test_from_case():
    from planner.domain import Location, PetitionCase

    case = PetitionCase(
        case_no="C-1",
        received_date=dt.date(2026, 1, 2),
        content="林业站收保证金",
        location=Location(county="平和县", county_code="350628"),
        petitioner_key="k",
    )
    lt = Letter.from_case(case)
    assert lt.county_code == "350628" and lt.petitioner_key == "k" and lt.text == "林业站收保证金"
    res = analyse([case])
    assert res.issues[0].county_codes == ("350628",)
    assert dataclasses.is_dataclass(res.issues[0])


@pytest.mark.parametrize("keep", [True, False])
def test_rerun_with_previous_keeps_ids(keep):
    rows = _rows()
    letters = [_letter(r) for r in rows]
    base = analyse(letters[:20])
    rerun = analyse(letters, previous=base, keep_previous=keep)
    if keep:
        assert all(rerun.issue_of[lid] == cid for lid, cid in base.issue_of.items())
    # Either way the deposit issue keeps its id and the later deposit letter joins it.
    assert rerun.issue_of["D01"] == base.issue_of["D01"] == rerun.issue_of["D06"]
    new_ids = set(rerun.issue_of.values()) - set(base.issue_of.values())
    assert all(int(c[1:]) > max(int(x[1:]) for x in base.issue_of.values()) for c in new_ids)


def test_letter_naming_only_a_county_joins_the_one_place_there():
    letters = [
        Letter("a", "A2区丽发新城小区旁边的搅拌站噪音扰民，夜间施工到凌晨", dt.date(2019, 11, 1)),
        Letter("b", "丽发新城小区搅拌站夜间施工噪音扰民，粉尘污染", dt.date(2019, 11, 2)),
        Letter("c", "A2区有个搅拌站夜间施工噪音扰民，粉尘很大", dt.date(2019, 11, 3)),
        Letter("d", "A7县一个搅拌站夜间施工噪音扰民，粉尘很大", dt.date(2019, 11, 4)),
    ]
    res = analyse(letters)
    assert len({res.issue_of[x] for x in "abcd"}) == 1
    assert res.hotspot_of["a"] == res.hotspot_of["b"] == res.hotspot_of["c"] != res.hotspot_of["d"]


def _on(day: int) -> dt.date:
    return dt.date(2026, 3, 1) + dt.timedelta(days=day)


def test_same_misconduct_by_other_named_cadres_in_other_villages_is_not_one_issue():
    letters = [
        Letter("a", "岸头村村支书王建华优亲厚友，把低保名额给自己的亲戚，真正困难的家庭评不上低保。", _on(0),
               address="漳浦县佛昙镇岸头村"),
        Letter("b", "西山村村主任李国平优亲厚友，把低保名额给自己的亲戚，真正困难的家庭评不上低保。", _on(5),
               address="诏安县四都镇西山村"),
        Letter("c", "土田村村会计陈志明优亲厚友，把低保名额给自己的亲戚，真正困难的家庭评不上低保。", _on(9),
               address="平和县山格镇土田村"),
    ]
    res = analyse(letters)
    assert len({res.issue_of[x] for x in "abc"}) == 3
    assert not res.systemic()


def test_one_complaint_pattern_at_many_places_is_not_one_issue():
    # The same words from three towns, no person named: each town's station is its own matter.
    letters = [
        Letter(x, f"{town}卫生院医生看病收红包，不给红包就拖着不看。", _on(k), address=addr)
        for k, (x, town, addr) in enumerate(
            [("a", "岩溪镇", "长泰区岩溪镇"), ("b", "小溪镇", "平和县小溪镇"), ("c", "书洋镇", "南靖县书洋镇")]
        )
    ]
    res = analyse(letters)
    assert len({res.issue_of[x] for x in "abc"}) == 3


def test_one_charge_by_one_kind_of_unit_in_three_counties_is_one_systemic_issue():
    letters = [
        Letter("a", "岩溪镇不动产登记所办理宅基地确权登记时每户强制收取测绘费800元，没有收费文件。", _on(0),
               address="长泰区岩溪镇"),
        Letter("b", "小溪镇不动产登记所给宅基地确权发证前，硬要我们每家先交一笔测绘费，问依据也说不出来。",
               _on(7), address="平和县小溪镇"),
        Letter("c", "反映书洋镇不动产登记所乱收费：宅基地确权发证时另收一笔测绘费，只给一张测绘公司的收据。", _on(12),
               address="南靖县书洋镇"),
    ]
    res = analyse(letters)
    assert len({res.issue_of[x] for x in "abc"}) == 1
    assert [c.cluster_id for c in res.systemic()] == [res.issue_of["a"]]
    assert len({res.hotspot_of[x] for x in "abc"}) == 3


def test_same_place_other_rate_or_year_is_another_matter():
    letters = [
        Letter("a", "南山村耕地地力保护补贴被村里以统筹名义每亩扣80元。", _on(0), address="芗城区石亭街道南山村"),
        Letter("b", "南山村耕地地力保护补贴被村里以统筹名义每亩扣80元，请查处。", _on(3),
               address="芗城区石亭街道南山村"),
        Letter("c", "南山村耕地地力保护补贴被村里以统筹名义每亩扣500元。", _on(6), address="芗城区石亭街道南山村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] != res.issue_of["c"]
