"""AppTest of 统计's 走访结果 (walk W12): visits recorded as 未找到 and 改期 appear beside 已走访, by the page's
grouping, and add up to the visits recorded; 带信下访件数 still counts a letter visited twice once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]


def test_not_found_and_put_off_visits_are_counted(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="平和下访组", base_lon=117.3, base_lat=24.4))
        rows = {no: CaseRow(case_no=no, received_date=dt.date(2026, 11, 5), deadline=dt.date(2027, 1, 4),
                            content=no, county_code="350628", county="平和县", category="林业") for no in "ABC"}
        s.add_all(rows.values())
        s.flush()
        s.add_all([
            VisitOutcomeRow(case_id=rows["A"].id, visit_date=dt.date(2026, 12, 1), result="not_found", team_id="T1",
                            reason="查无此人"),
            VisitOutcomeRow(case_id=rows["A"].id, visit_date=dt.date(2026, 12, 3), result="visited", team_id="T1"),
            VisitOutcomeRow(case_id=rows["B"].id, visit_date=dt.date(2026, 12, 2), result="postponed", team_id="T1",
                            reason="信访人外出"),
            VisitOutcomeRow(case_id=rows["C"].id, visit_date=dt.date(2026, 12, 2), result="visited", team_id="T1"),
            VisitOutcomeRow(case_id=rows["C"].id, visit_date=dt.date(2026, 12, 4), result="visited", team_id="T1"),
        ])
    at = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=30)
    at.session_state["today"] = dt.date(2026, 12, 7)
    at.run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["带信下访件数"] == "2"
    assert [shown[k] for k in ("走访记录（次）", "已走访（次）", "未找到（次）", "改期（次）", "涉及信访件（件）")] == \
        ["5", "3", "1", "1", "3"]
    table = next(t.value for t in at.table if "未找到（次）" in t.value.columns)
    assert list(table.iloc[-1]) == ["合计", 5, 3, 1, 1, 3]
    said = " ".join(c.value for c in at.caption)
    assert "走访记录 5 次：已走访 3 次，未找到 1 次，改期 1 次；涉及信访件 3 件。" in said
