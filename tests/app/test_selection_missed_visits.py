"""选件: a letter back in the pool after a plan closed, its last visit recorded 改期 or 未找到, says so in 排序理由
(team leader's walk: they came back as plain 已登记 candidates and the leader could not tell)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 10)
DAY = dt.date(2026, 12, 7)


def test_a_letter_last_rescheduled_or_not_found_says_so_in_the_ranking_reason(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        rows = {no: CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            content="征地补偿款没有发放", category="征地拆迁", county="平和县", county_code="350628",
                            town="某镇", village="某村", lon=117.3, lat=24.4, precision="village", status="registered")
                for no in ("PUT-OFF", "NOT-FOUND", "BACK", "NEVER")}
        s.add_all([*rows.values(), TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51)])
        s.flush()
        for no, day, result, reason in (("PUT-OFF", DAY, "postponed", "约定下周再访，联系13812345678"),
                                        ("NOT-FOUND", DAY, "not_found", "家中无人"),
                                        ("BACK", DAY - dt.timedelta(days=7), "postponed", "外出"),
                                        ("BACK", DAY, "visited", "")):
            s.add(VisitOutcomeRow(case_id=rows[no].id, team_id="T1", visit_date=day, result=result, reason=reason))
    app = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=30)
    app.session_state["today"] = TODAY
    app.run()
    assert not app.exception
    reasons = app.dataframe[0].value.set_index("编号")["排序理由"]
    assert reasons["PUT-OFF"].startswith("上次改期（12-07）：约定下周再访，联系138****5678；"), reasons["PUT-OFF"]
    assert reasons["NOT-FOUND"].startswith("上次未找到（12-07）：家中无人；"), reasons["NOT-FOUND"]
    assert "上次" not in reasons["BACK"] and "上次" not in reasons["NEVER"]
