"""AppTest of 回访跟踪: a letter recorded 改期 (the visit did not happen) takes no 入户走访 / 收集线索 / 解决问题
counts; the form says which count to clear before it offers 保存, and saves once they are 0."""

from __future__ import annotations

from sqlalchemy import select

from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow
from tests.app.test_followup_walk_s_leader import TODAY, _page, seeded  # noqa: F401 (the fixture)

NO = "ZZJ2026-0903"  # planned for 第一检查组 today, nothing recorded yet
P = f"fu_{NO}_new_"


def _stored(engine) -> list[tuple]:
    with session_scope(engine) as s:
        return [(r.result, r.households_visited, r.leads_collected) for r in s.scalars(
            select(VisitOutcomeRow).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id).where(CaseRow.case_no == NO))]


def test_a_put_off_visit_with_households_is_refused_in_the_form_naming_the_count(seeded) -> None:  # noqa: F811
    app = _page(TODAY, NO)
    assert not app.exception
    app.radio(key=P + "result").set_value("postponed").run()
    app.text_input(key=P + "reason").input("信访人外出打工，约 12-15 回村").run()
    app.number_input(key=P + "households").set_value(12).run()
    app.number_input(key=P + "leads").set_value(1).run()
    errors = [e.value for e in app.error]
    assert any("改期" in e and "入户走访 12 户次" in e and "收集线索 1 条" in e for e in errors), errors
    assert app.button(key=P + "save").disabled
    assert _stored(seeded) == []

    app.number_input(key=P + "households").set_value(0).run()
    app.number_input(key=P + "leads").set_value(0).run()
    assert not app.error and not app.button(key=P + "save").disabled
    app.button(key=P + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert _stored(seeded) == [("postponed", 0, 0)]
