"""Walk W12b: a re-import moved the first letter of a shared stop, and before the leader re-planned the officer's
行程 named the stop by the moved letter's new village (下一站：2. 平和县霞寨镇钟腾村) while the stop, its point and its
other letter were still 淮溪村. The stop keeps its planned name, with the moved letter marked under it."""

from __future__ import annotations

from sqlalchemy import select

from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved


def test_w12c_a_stop_whose_first_letter_moved_keeps_its_planned_name_and_marks_the_letter(
        engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)  # V02 平和县文峰镇三坪村: ZZ2026-0102 (first) and ZZ2026-0103
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "ZZ2026-0102")).one()
        row.county, row.town, row.village = "长泰区", "岩溪镇", "甘寨村"
        row.address_text, row.lon, row.lat = "长泰区岩溪镇甘寨村", 117.75, 24.63
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    heads = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert any(h.startswith("### 2. 平和县文峰镇三坪村") for h in heads), heads
    assert not any("甘寨村" in h for h in heads), heads
    marks = [c.value for c in at.caption if "待组长重新规划" in c.value]
    assert marks == ["ZZ2026-0102 地点已改为 长泰区岩溪镇甘寨村，待组长重新规划"], marks
    assert any("ZZ2026-0102 的地址已改为 长泰区岩溪镇甘寨村" in w.value for w in at.warning)
