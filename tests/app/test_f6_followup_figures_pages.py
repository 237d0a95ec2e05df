"""AppTest of 回访跟踪 and 统计 (walk 3), on SQLite and PostgreSQL:

- saving a letter resolved says, before and after the save, which re-sent letters of its chain it closes;
- 反映问题 offers 部分属实, and a record saved so reloads as 部分属实;
- 统计 shows its grouped table whole (every column, 合计 last) and the counts by finding, letters received by
  category and overdue open letters.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
LEADER = Actor(username="zhou", role="leader", team_ids=("T1",), display_name="周组长")
CHAIN = (("W3-038", dt.date(2026, 9, 3)), ("W3-039", dt.date(2026, 10, 9)), ("W3-040", dt.date(2026, 11, 2)))


@pytest.fixture()
def seeded(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5))
        for no, received in CHAIN:
            s.add(CaseRow(case_no=no, received_date=received, deadline=received + dt.timedelta(days=60),
                          content="宅基地划界纠纷，村里划界不公", category="土地纠纷", county="龙海区",
                          county_code="350604", town="海澄镇", village="内楼村", lon=117.8, lat=24.4,
                          status="registered", petitioner_key="p-zheng"))
    return engine


def _followup(no: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = LEADER
    at.session_state["followup_case"] = no
    at.run()
    at.segmented_control(key="fu_scope").set_value("all").run()
    at.selectbox(key="fu_case").set_value(no).run()
    assert not at.exception, at.exception
    return at


def test_saving_a_letter_resolved_names_the_resends_it_closes_and_partly_true_is_kept(seeded) -> None:
    at = _followup("W3-038")
    p = "fu_W3-038_new_"
    assert at.radio(key=p + "truth").options == ["未认定", "属实", "部分属实", "不实（需澄清）"]
    at.radio(key=p + "result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    at.toggle(key=p + "resolved").set_value(True).run()
    warned = [w.value for w in at.warning if "随本件一并化解" in w.value]
    assert warned and "W3-039、W3-040" in warned[0]
    at.radio(key=p + "truth").set_value("partly").run()
    at.button(key=p + "save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    said = [s.value for s in at.success]
    assert said and "同一信访人的重复件 W3-039、W3-040 已随本件一并化解" in said[0]
    with session_scope(seeded) as s:
        (row,) = s.query(VisitOutcomeRow).all()
        assert (row.report_true, row.report_partly) == (True, True)
        saved = row.id
        assert {n: st for n, st in s.query(CaseRow.case_no, CaseRow.status)} == dict.fromkeys(
            ("W3-038", "W3-039", "W3-040"), "resolved")
    reopened = _followup("W3-038")
    # A settled letter opens on a new record (its 回访): the record saved is chosen to correct it.
    reopened.selectbox(key="fu_W3-038_outcome_pick").set_value(saved).run()
    assert reopened.radio(key=f"fu_W3-038_{saved}_truth").value == "partly"


def test_statistics_show_the_whole_table_and_the_new_counts(seeded) -> None:
    at = _followup("W3-038")
    p = "fu_W3-038_new_"
    at.radio(key=p + "result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    at.toggle(key=p + "resolved").set_value(True)
    at.radio(key=p + "truth").set_value("partly").run()
    at.button(key=p + "save").click().run()

    st = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=30)
    st.session_state["today"] = TODAY
    st.run()
    assert not st.exception, st.exception
    table = st.table[0].value  # a plain table: no column or row hidden behind a scroll
    assert list(table.columns)[-1] == "回访（次）" and list(table["县区"])[-1] == "合计"
    total = table[table["县区"] == "合计"].iloc[0]
    assert total["重复信访化解（起）"] == 1 and total["带信下访件数"] == 1
    # Tables found by their columns: 走访结果 (52963e5) sits between them.
    findings = next(t.value for t in st.table if "认定结果" in t.value.columns)
    assert dict(zip(findings["认定结果"], findings["件数"], strict=True)) == {
        "属实": 0, "部分属实": 1, "不属实": 0, "未认定": 0, "合计": 1}
    received = next(t.value for t in st.table if "类别" in t.value.columns)
    assert dict(zip(received["类别"], received["件数"], strict=True)) == {"土地纠纷": 3, "合计": 3}
    overdue = next(m for m in st.metric if m.label.startswith("逾期未办结"))
    # All three letters are settled now (W3-039 and W3-040 with W3-038): none open past its deadline.
    assert overdue.value == "0" and "2026-12-07" in overdue.label
