"""AppTest of 选件 (walk 2, F5): ZZ2026-015, first letter of a writer whose 071 and 072 plan #1 visits, was left out
as "already in plan #1" though no plan has it; it is now a candidate whose reason says where its later letters are.
A later letter chosen takes its chain's other candidates along, and a Monday morning offers that Monday."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import TeamRow
from tests.test_f5_repeat_chain_planned import _case, _plan

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "selection.py")
MONDAY = dt.date(2026, 12, 7)


def _app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(PAGE, default_timeout=30)
    app.session_state["today"] = MONDAY
    app.run()
    assert not app.exception
    return app


def test_the_first_letter_of_a_planned_chain_stays_a_candidate(engine, monkeypatch) -> None:
    with session_scope(engine) as s:
        s.add_all([_case(15, dt.date(2026, 11, 6)), _case(72, dt.date(2026, 11, 29)), _case(71, dt.date(2026, 12, 2)),
                   _case(9, dt.date(2026, 11, 1), "p-other"),
                   TeamRow(id="T2", name="第二检查组", base_lon=117.65, base_lat=24.51)])
    _plan(engine, ("ZZ2026-071", "ZZ2026-072"))
    app = _app(engine, monkeypatch)
    table = app.dataframe[0].value.set_index("编号")
    assert "ZZ2026-015" in table.index
    assert "本件不在该计划内" in table.loc["ZZ2026-015", "排序理由"]
    captions = " ".join(c.value for c in app.caption)
    assert "已在进行中的计划里，由那个检查组一并" not in captions
    assert app.date_input(key="sel_start").value == MONDAY


def test_a_later_letter_chosen_takes_its_first_letter_along(engine, monkeypatch) -> None:
    with session_scope(engine) as s:
        s.add_all([_case(15, dt.date(2026, 11, 6)), _case(72, dt.date(2026, 11, 29)), _case(71, dt.date(2026, 12, 2)),
                   _case(9, dt.date(2026, 11, 1), "p-other"),
                   TeamRow(id="T2", name="第二检查组", base_lon=117.65, base_lat=24.51)])
    app = _app(engine, monkeypatch)
    app.number_input(key="sel_top").set_value(0).run()
    app.multiselect(key="sel_extra").set_value(["ZZ2026-071"]).run()
    app.button(key="sel_build").click().run()
    assert not app.exception
    visits = app.session_state["visits"] if "visits" in app.session_state else None
    chosen = sorted(c for v in visits for c in v.case_nos)
    assert chosen == ["ZZ2026-015", "ZZ2026-071", "ZZ2026-072"]
    assert len(visits) == 1
    assert any("已一并选取、一次走访办理" in c.value for c in app.caption)
