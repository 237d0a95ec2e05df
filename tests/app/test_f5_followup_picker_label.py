"""回访跟踪 (walk): after 生成并登记澄清函 the box of the case picker still read ``[已下访] PH-01`` although the case
was 已澄清 (its list and the 状态 line said so). The browser keeps the text it was last sent for the chosen option,
and Streamlit sends it again only when the choice changes; the page now sends the choice again when its text
changed. The same held for an 整改 item marked complete (no （已完成） in the box)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, RectificationRow, VisitOutcomeRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "followup.py")
TODAY = dt.date(2026, 12, 7)


def _case(no: str, status: str) -> CaseRow:
    return CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                   content=f"{no} 反映林业站收取桉树砍伐保证金", category="林业", county="平和县",
                   county_code="350628", town="山格镇", village="土田村", lon=117.3, lat=24.4, status=status)


def _page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        visited = _case("PH-01", "visited")
        s.add_all([visited, _case("OTHER", "selected")])
        s.flush()
        s.add(VisitOutcomeRow(case_id=visited.id, visit_date=TODAY - dt.timedelta(days=3), result="visited",
                              team_id="T5", report_true=False, findings="反映不实", recorded_by="zhou"))
    app = AppTest.from_file(PAGE, default_timeout=30)
    app.session_state["today"] = TODAY
    app.session_state["actor"] = Actor(username="zhou", role="coordinator")
    app.run()
    app.selectbox(key="fu_case").set_value("PH-01").run()
    return app


def _picked_text(app: AppTest, key: str) -> str:
    """The text of the option the user picked (what the box shows once picked)."""
    box = app.selectbox(key=key)
    return box.options[box.index]


def _box_text(app: AppTest, key: str, before: str) -> str:
    """What the browser's box shows after this run: the text sent with the choice, else what it showed before."""
    proto = app.selectbox(key=key).proto
    return proto.raw_value if proto.set_value else before


def test_f5_the_picker_box_says_clarified_once_the_letter_is_issued(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    shown = _picked_text(app, "fu_case")
    assert shown.startswith("[已下访] PH-01")
    app.text_input(key="fu_PH-01_cl_cadre").input("李某某")
    app.text_area(key="fu_PH-01_cl_matter").input("私分扶贫资金")
    app.text_area(key="fu_PH-01_cl_finding").input("资金使用符合政策规定")
    app.text_input(key="fu_PH-01_cl_addressee").input("中共平和县委")
    app.button(key="fu_PH-01_cl_issue").click().run()
    assert not app.exception and not app.error
    assert app.selectbox(key="fu_case").value == "PH-01"
    assert _box_text(app, "fu_case", shown).startswith("[已澄清] PH-01")
    # Nothing changed on the next run: the text is not sent again.
    app.run()
    assert not app.selectbox(key="fu_case").proto.set_value


def test_f5_a_completed_rectification_says_so_in_its_box(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    with session_scope(engine) as s:
        case = s.scalar(select(CaseRow).where(CaseRow.case_no == "PH-01"))
        s.add(RectificationRow(case_id=case.id, item="清退保证金", owner="平和县林业局", due_date=TODAY))
    app.run()
    shown = _picked_text(app, "fu_PH-01_rx_pick")
    assert shown == "清退保证金"
    rect_id = app.selectbox(key="fu_PH-01_rx_pick").value
    app.button(key=f"fu_PH-01_rx_{rect_id}_done").click().run()
    assert not app.exception and not app.error
    assert _box_text(app, "fu_PH-01_rx_pick", shown) == "清退保证金（已完成）"
