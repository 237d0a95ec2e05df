"""AppTest of 案件地图: the list's 位置 of a letter 待核对 says what its address wrote beside the reason (the user saw
only the reason and had to open each letter to learn what to check), masked and cut; and 按候选地点定位 puts the
candidates within the county the register was read as (its file name: 诏安县…登记表) first, marked 登记表的区县, the
others still offered and marked 其他区县."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.register import import_register
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.place_choice import Candidate, register_county_first, to_check_text

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")
TODAY = dt.date(2026, 12, 7)
HEAD = "编号,收件日期,问题类别,反映内容,地址,信访人,联系电话\n"
NANJING = (
    HEAD
    + "X1-1,2026-11-02,林业,反映村里修路款被截留，路修一半停工。,白石村,张三丰,13800001111\n"
    + "X1-2,2026-11-03,林业,反映收取桉树砍伐保证金。,南靖县书洋镇塔下村,赵六,13800004444\n"
    + "X1-3,2026-11-04,林业,反映收取保证金。,山城镇下魏村王老五家 13800003333,王老五,13800003333\n"
).encode()
ZHAOAN = (
    HEAD
    + "X1-7,2026-11-02,林业,反映村里修路款被截留。,白石村,钱七,13800007777\n"
    + "X1-8,2026-11-03,林业,反映收取保证金。,平和县安厚镇白石村,孙八,13800008888\n"
).encode()
COORD = Actor("lin", "coordinator", display_name="林协调")


def _page(engine, monkeypatch, csv: bytes, filename: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, csv, filename=filename, today=TODAY)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = COORD
    return at


def _position(at: AppTest) -> dict[str, str]:
    df = at.dataframe(key="cm_table").value
    return dict(zip(df["编号"], df["位置"], strict=True))


def test_x1_the_list_says_what_a_letter_to_check_wrote(engine, monkeypatch) -> None:
    at = _page(engine, monkeypatch, NANJING, "南靖县2026年11月信访件登记表.csv")
    at.run()
    assert not at.exception
    pos = _position(at)
    assert pos["X1-1"].startswith("待核对：") and pos["X1-1"].endswith("（登记表写：白石村）"), pos
    assert "登记表写" not in pos["X1-2"], pos  # placed at the village it names: nothing to check, nothing added
    # The petitioner's name and phone in the address are masked, as everywhere the address is shown.
    assert pos["X1-3"].startswith("待核对：") and "下魏村" in pos["X1-3"], pos
    assert "王老五" not in pos["X1-3"] and "13800003333" not in pos["X1-3"], pos


def test_x1_the_written_address_is_masked_and_cut() -> None:
    long = "福建省漳州市南靖县书洋镇塔下村下坪自然村" + "后山" * 20
    said = to_check_text("村表无此村", long)
    assert said.startswith("待核对：村表无此村（登记表写：南靖县书洋镇塔下村")
    assert said.endswith("…）") and len(said) < 60
    assert to_check_text("村表无此村", "  ") == "待核对：村表无此村"


def test_x1_candidates_of_the_registers_county_come_first_and_are_marked(engine, monkeypatch) -> None:
    at = _page(engine, monkeypatch, ZHAOAN, "诏安县2026年11月信访件登记表.csv")
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "X1-7")).one()
        assert row.county == "诏安县" and "诏安县" in (row.geocode_message or "")
    at.run()
    at.selectbox(key="cm_pick").select("X1-7").run()
    assert not at.exception
    pick = at.radio(key="cm_edit_X1-7_choose_pick")
    labels = list(pick.options)  # as shown
    assert len(labels) == 5, labels
    # The resolver lists 诏安县白洋乡白石村 fourth of five: the register's county's one now comes first.
    assert labels[0] == "诏安县白洋乡白石村（登记表的区县）", labels
    assert all(lb.endswith("（其他区县）") and not lb.startswith("诏安县") for lb in labels[1:]), labels
    assert any("本件登记表的区县为诏安县：诏安县的 1 处排在前面，其他区县的仍可选" in c.value for c in at.caption)
    # Another county's candidate is still chosen as before.
    pick.set_value("平和县安厚镇白石村(350628105203)")
    next(b for b in at.button if b.label == "按所选地点定位").click().run()
    assert not at.exception
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "X1-7")).one()
        assert (row.county, row.town, row.village) == ("平和县", "安厚镇", "白石村")


def test_x1_a_register_county_without_the_place_says_so_and_no_hint_keeps_the_order() -> None:
    choices = (Candidate("平和县安厚镇白石村", "350628105203"), Candidate("云霄县火田镇白石村", "350622105221"))
    note = (
        "地址未写出能确定的乡镇、村，按登记表的文件名「南靖县2026年11月信访件登记表」计为南靖县，点位为县区驻地，请核对"
    )
    ordered, labels, said = register_county_first(choices, note)
    assert ordered == choices and all(v.endswith("（其他区县）") for v in labels.values())
    assert "候选中没有南靖县的地点" in said
    assert register_county_first(choices, "地址所写地名对应 2 处") == (choices, {c.text: c.name for c in choices}, "")
    note = "地址未写县区，按登记表的工作表名「云霄」读作云霄县"
    ordered, labels, said = register_county_first(choices, note)
    assert [c.name for c in ordered] == ["云霄县火田镇白石村", "平和县安厚镇白石村"]
