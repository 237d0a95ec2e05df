"""Walk W6/F7: an officer moved by the administrator from 第一检查组 to 第二检查组 while a 行程 form is filled in.

The save was refused with 未保存：账户“li”的权限已变更，请刷新页面后再保存, and the next click showed the new team's
day: the result picked and the findings typed were gone without a word. Now the page says what happened (moved to
第二检查组; the stop is 第一检查组's; the result picked was not saved) and keeps what was typed on screen, as text to
hand to the leader, until the officer dismisses it; nothing else of 第一检查组 is shown.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import security
from planner.store.database import session_scope
from tests.app.test_f7_live_account_save import _outcomes, _signed_in_page
from tests.app.test_itinerary import _form_widget, _saved


def _gate(at: AppTest, engine) -> AppTest:
    """The next run as app.py's login gate makes it: the account as it is now, then the page."""
    with session_scope(engine) as s:
        at.session_state[Key.ACTOR] = security.get_actor(s, "li")
    at.run()
    assert not at.exception
    return at


def _t1_stops(engine) -> set[str]:
    from planner.store.plans import load_plan

    with session_scope(engine) as s:
        from planner.store.models import PlanRow

        pid = s.query(PlanRow.id).scalar()
        doc = load_plan(s, pid)
    return {no for r in doc.plan.routes if r.team_id == "T1" for v in r.visit_ids for no in doc.visits[v].case_nos}


def test_a_save_refused_after_a_move_says_what_happened_and_keeps_what_was_typed(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    _form_widget(at, "radio", "result").set_value("visited")  # nothing is picked until the officer picks
    _form_widget(at, "number_input", "households").set_value(4)
    _form_widget(at, "number_input", "leads").set_value(2)
    _form_widget(at, "text_area", "findings").input("已入户核实，村务已公开")
    case_key = next(b for b in at.button if "it_form_" in str(b.key))
    with session_scope(engine) as s:  # the administrator, while the form is open
        security.update_user(s, "li", team_ids=["T2"])
    case_key.click().run()
    assert not at.exception
    assert _outcomes(engine) == []
    assert not at.session_state[Key.REFUSED_DOWNLOADS], "the bare 请刷新页面后再保存 is no longer what is said"
    _gate(at, engine)  # the click's run: the gate has re-read the account, the page shows 第二检查组's day
    errors = [e.value for e in at.error]
    said = next((e for e in errors if e.startswith("未保存：")), "")
    assert "你已被调到第二检查组" in said and "属于第一检查组" in said, errors
    assert "你选择的结果（已走访）没有保存" in said and "请刷新页面" not in said, said
    (kept,) = [c.value for c in at.code]
    assert "结果：已走访" in kept and "入户走访 4 户次；收集线索 2 条" in kept, kept
    assert "核查情况：已入户核实，村务已公开" in kept and "第一检查组" in kept, kept
    # nothing else of 第一检查组's day: only the case the form was for
    shown = "\n".join([m.value for m in at.markdown] + errors + [kept])
    case_no = next(no for no in _t1_stops(engine) if no in kept)
    assert not [no for no in _t1_stops(engine) - {case_no} if no in shown]
    assert at.session_state["itinerary_team"] == "T2"  # one day of T2: shown without a select (W13)
    _gate(at, engine)  # still there at the next click, until handed over
    assert [c.value for c in at.code] == [kept]
    at.button(key="it_unsaved_done").click()
    _gate(at, engine)
    assert not at.code and not any(e.value.startswith("未保存：") for e in at.error)


def test_a_refusal_that_is_not_a_move_is_said_as_before(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _signed_in_page(engine)
    with session_scope(engine) as s:
        security.update_user(s, "li", active=False)
    _form_widget(at, "text_area", "findings").input("已入户核实")
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert at.session_state[Key.REFUSED_DOWNLOADS] == ["未保存：账户“li”已停用，不能保存"]
    assert not at.code
