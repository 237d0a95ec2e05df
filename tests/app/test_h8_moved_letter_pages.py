"""Walk W11: a letter on an issued plan moved by a second import is said on 行程 and 路线规划.

ZZ2026-0101, T1's first stop on Monday (平和县山格镇隆庆村), is moved by the register to 长泰区岩溪镇甘寨村
after the plan was saved. The officer's 行程 read 下一站：1. 平和县山格镇隆庆村 and 路线规划 said nothing; now
the stop reads the letter's place now with a note that the plan was made for the old one and the leader was told,
and 路线规划 names the letter, both places and 需重新规划, with a button that opens the plan to plan it again at
the new place.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pages.common import Key
from planner.field import load_document
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, PLAN, _officer_app, _saved

PLANNING = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
IMPORT = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")


def _moved(engine) -> None:
    """What the second register did to ZZ2026-0101 (the import's writes, without a file)."""
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "ZZ2026-0101")).one()
        row.county, row.town, row.village = "长泰区", "岩溪镇", "甘寨村"
        row.address_text, row.lon, row.lat = "长泰区岩溪镇甘寨村", 117.75, 24.63


def test_h8_the_officers_day_shows_the_letters_place_now_and_says_the_plan_was_made_for_the_old(
        engine, monkeypatch) -> None:
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    assert any("下一站：1. 平和县山格镇隆庆村" in m.value for m in at.markdown)
    assert not any("组长已收到提示" in w.value for w in at.warning)
    _moved(engine)
    at.run()
    assert not at.exception
    assert any("下一站：1. 长泰区岩溪镇甘寨村" in m.value for m in at.markdown)
    assert not any("隆庆村" in m.value and m.value.startswith("### ") for m in at.markdown)
    notes = [w.value for w in at.warning if "组长已收到提示" in w.value]
    assert len(notes) == 1 and "ZZ2026-0101 的地址已改为 长泰区岩溪镇甘寨村" in notes[0]
    assert "原地址 平和县山格镇隆庆村" in notes[0]


def test_h8_planning_names_the_moved_letter_and_opens_the_plan_at_its_place_now(engine, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    pid = _saved(engine, monkeypatch)
    at = AppTest.from_file(PLANNING, default_timeout=60)
    at.session_state[Key.TODAY] = MONDAY
    at.run()
    assert not at.exception and not any("需重新规划" in w.value for w in at.warning)
    _moved(engine)
    at.run()
    said = [w.value for w in at.warning if "需重新规划" in w.value]
    assert len(said) == 1
    assert "ZZ2026-0101：计划按 平和县山格镇隆庆村 排定，现为 长泰区岩溪镇甘寨村" in said[0]
    assert "重新规划其余走访点" in said[0]
    at.button(key=f"pl_moved_{pid}").click().run()
    assert not at.exception
    opened = {v.visit_id: v for v in at.session_state[Key.VISITS]}
    assert opened["V01"].label == "长泰区岩溪镇甘寨村" and (opened["V01"].lon, opened["V01"].lat) == (117.75, 24.63)
    planned = load_document(PLAN).visits
    assert all((v.label, v.lon) == (planned[k].label, planned[k].lon) for k, v in opened.items() if k != "V01")


def test_h8_the_import_result_names_the_letter_it_moved_on_an_issued_plan(engine, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.test_h8_moved_letter_on_plan import MOVED, _issued_plan

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    pid = _issued_plan(engine)
    at = AppTest.from_file(IMPORT, default_timeout=60)
    at.session_state[getattr(Key, "IMPORT_FILE", "import_file")] = ("登记表（二）.csv", MOVED.encode())
    at.run()
    at.button(key="import_go").click().run()
    assert not at.exception
    said = [w.value for w in at.warning if "需组长重新规划" in w.value]
    assert len(said) == 1 and f"计划 #{pid}「第49周」" in said[0]
    assert "H8-1：计划按 龙海区榜山镇柯坑村 排定，现为 长泰区岩溪镇甘寨村" in said[0] and "H8-2" not in said[0]
