"""案件地图 (walk 1): the 导入 page said the letters whose address is to be checked show in 案件地图's list, where
each of them read “≈ 估计（驻地）” like a sure estimate and nothing listed them apart. The list now says 待核对 with
the reason for every letter the import counted as 地址需核对 (the same test), filters them (位置 › 只看待核对), and
the detail's 地点 says 待核对 after a name read another way; a letter whose point a person set leaves the list
(SQLite, PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from _ui_data import TODAY, db_url
from conftest import TESTER
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake import register as ingest
from planner.intake.address_checks import address_preview
from planner.store.database import session_scope
from planner.store.places import correct_point

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "pages"
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")

#: Several kinds of unsure address, with sure ones, one outside Zhangzhou and one nowhere.
REGISTER = ("编号,收信日期,问题发生地,反映内容,涉及对象\n"
            "U1,2026-11-02,平和县山格镇龙凤岗村,村干部截留低保金,龙凤岗村委会\n"  # a village the table lacks
            "U2,2026-11-03,南靖县书阳镇,镇林业站截留生态公益林补偿款,林业站\n"  # a town read by sound
            "U3,2026-11-04,平和县小溪镇福塘村,修路工程款去向不明,福塘村委会\n"  # a village of another town
            "U4,2026-11-05,龙海区角美镇东美,征地补偿款发放不公,角美镇政府\n"  # a name two villages share
            "U5,2026-11-06,,反映漳浦县旧镇镇后江村村主任违规发包鱼塘,村主任\n"  # the place from the content
            "U6,2026-11-07,龙文区蓝田镇,违建拆除选择性执法,城管中队\n"  # 蓝田镇 read as 蓝田街道
            "S1,2026-11-08,平和县山格镇土田村,收取桉树砍伐保证金,土田村委会\n"
            "S2,2026-11-09,芗城区浦南镇,集体林地承包不公开,浦南镇政府\n"
            "F1,2026-11-10,厦门市集美区灌口镇,在厦门务工被拖欠工资,某公司\n"
            "N1,2026-11-11,火星某地,反映问题,某单位\n")


def _page(name: str, **state) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=90)
    at.session_state[Key.TODAY] = TODAY
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _imported(engine, monkeypatch) -> tuple[set[str], int]:
    """Import REGISTER on the 导入 page: the rows its preview lists as 待核对, and the result's 地址需核对 count."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        places = address_preview(s, ingest.read_register(REGISTER.encode("utf-8"), filename="u.csv"))
    previewed = {c.case_no for c in places.checks if c.outcome.endswith("待核对")}
    at = _page("import_register.py", **{FILE_KEY: ("u.csv", REGISTER.encode("utf-8"))})
    at.button(key="import_go").click().run()
    assert not at.exception
    result = next(w.value for w in at.warning if "件地址需核对" in w.value and not w.value.startswith("导入后"))
    counted = int(result.split(" 件地址需核对")[0].replace(",", ""))
    assert "“位置”列标为“待核对”" in result and "只看待核对" in result  # what the page tells is what the list does
    return previewed, counted


def _list(at: AppTest) -> dict[str, str]:
    table = at.dataframe(key="cm_table").value
    return dict(zip(table["编号"], table["位置"], strict=True))


def test_f1_list_marks_every_letter_the_import_counted(engine, monkeypatch) -> None:
    previewed, counted = _imported(engine, monkeypatch)
    assert {"U1", "U2", "U3", "U4", "U5", "U6"} <= previewed and not previewed & {"S1", "S2", "F1"}
    at = _page("case_map.py")
    where = _list(at)
    marked = {no for no, w in where.items() if "待核对" in w}
    assert marked == previewed and len(marked) == counted, (where, previewed, counted)
    assert all(where[no].startswith("待核对：") for no in marked)
    assert "龙凤岗村" in where["U1"] and "读作书洋镇" in where["U2"] and "属秀峰乡" in where["U3"]
    assert "2处" in where["U4"] and "取自反映内容" in where["U5"] and "读作蓝田街道" in where["U6"]
    assert where["N1"] == "未定位（火星某地）" and where["F1"].startswith("市外")  # the address as written (walk W25)
    assert any(c.value.startswith(f"{counted} 件地址待核对") for c in at.caption)

    # 位置 › 只看待核对: exactly those letters, on the map's list and the picker alike.
    at = _page("case_map.py", cm_place_check="check")
    assert set(_list(at)) == previewed
    assert {o.split("｜")[0] for o in at.selectbox(key="cm_pick").options if "｜" in o} == previewed
    assert set(_list(_page("case_map.py", cm_place_check="none"))) == {"N1"}


def test_f1_detail_says_a_name_read_by_sound_is_to_check(engine, monkeypatch) -> None:
    _imported(engine, monkeypatch)
    at = _page("case_map.py", cm_pick="U2")
    place = next(m.value for m in at.markdown if m.value.startswith("**地点**"))
    assert "书洋镇" in place and "待核对" in place and "书阳镇" in place, place
    sure = next(m.value for m in _page("case_map.py", cm_pick="S2").markdown if m.value.startswith("**地点**"))
    assert "待核对" not in sure


def test_f1_a_letter_placed_by_hand_leaves_the_list_to_check(engine, monkeypatch) -> None:
    previewed, _ = _imported(engine, monkeypatch)
    with session_scope(engine) as s:
        correct_point(s, TESTER, lon=117.35, lat=24.55, case_no="U2", note="核实后校准")
    where = _list(_page("case_map.py"))
    assert where["U2"] == "已校准"
    assert {no for no, w in where.items() if "待核对" in w} == previewed - {"U2"}


def test_f1_address_checks_explain_in_full(engine, monkeypatch) -> None:
    """地址核对's 说明 wraps: rows as tall as its longest note needs, 说明 given its own width (walk 1: cut off)."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = _page("import_register.py", **{FILE_KEY: ("u.csv", REGISTER.encode("utf-8"))})
    table = next(d for d in at.dataframe if "导入后" in d.value.columns)
    longest = max(len(n) for n in table.value["说明"])
    widths = {k: v.get("width") for k, v in json.loads(table.proto.columns).items()}
    # The widest column (since walk W13 导入后 and 编号 need theirs too: c8cb921), and rows as tall as its longest note
    # needs at that width (up to 8 lines).
    note_px = widths["说明"]
    assert note_px == max(w or 0 for w in widths.values()) >= 200
    assert table.proto.row_height >= 14 + 21 * min(8, -(-longest * 400 // (26 * note_px))) > 35


def test_f1_history_explains_in_full(engine, monkeypatch) -> None:
    """办理记录's 说明 (an import that changed the content: old and new text) wraps in rows tall enough."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    ingest.import_register(engine, REGISTER.encode("utf-8"), filename="u.csv", who="tester")
    more = "，合同未经村民代表大会表决，租金去向不明" * 3
    longer = REGISTER.replace("集体林地承包不公开", "集体林地承包不公开" + more)
    ingest.import_register(engine, longer.encode("utf-8"), filename="u2.csv", who="tester")
    at = _page("case_map.py", cm_pick="S2")
    history = next(d for d in at.dataframe if "说明" in d.value.columns and "操作" in d.value.columns)
    assert len(history.value["说明"].iloc[-1]) > 100
    assert history.proto.row_height > 72
