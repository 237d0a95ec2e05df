"""回访跟踪: the user's own save is not "someone else's" change (walk W17).

Walk W17: a coordinator corrected 034 (不实 → 属实); the save withdrew its 澄清函, and the 澄清函 correction form then
said "这条记录已被他人修改（现为第 2 版，表单载入的是第 1 版）。保存会被拒绝": it was the coordinator's own save. The
form now reloads quietly after the user's own saves, and still warns when another account changed the record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app_steps import AOJIAO, followup_page, routed_letter
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.followup.clarification import ClarificationLetter, correct_clarification, issue_clarification
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import ClarificationRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
COORDINATOR = Actor(username="xtc", role="coordinator")
STALE = "这条记录已被他人修改"


def _untrue_with_letter(engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        routed_letter(s, team="T4", untrue_by="gb4", households=4, **AOJIAO, case_no="ZZ-034",
                      content="反映村干部优亲厚友")
        issue_clarification(s, "ZZ-034", ClarificationLetter(cadre="林某某", matter="优亲厚友", finding="未发现",
                                                             addressee="陈城镇党委", issued_date=TODAY), who="xtc")
    with session_scope(engine) as s:
        return s.scalars(select(VisitOutcomeRow.id)).one(), s.scalars(select(ClarificationRow.id)).one()


def _page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = followup_page(COORDINATOR)
    return app


def _stale_warnings(app: AppTest) -> list[str]:
    return [w.value for w in app.warning if STALE in w.value]


def test_the_letter_form_after_my_own_correction_withdrew_it_is_not_said_changed_by_others(engine, monkeypatch):
    oid, cid = _untrue_with_letter(engine)
    app = _page(engine, monkeypatch)
    assert app.session_state[f"fu_ZZ-034_cl_{cid}_version"] == 1  # the 澄清函 form is loaded at version 1
    p = f"fu_ZZ-034_{oid}_"
    app.radio(key=p + "truth").set_value("true").run()
    app.checkbox(key=p + "confirm_basis").check()
    app.button(key=p + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "已标记为已撤回" in " ".join(m.value for m in app.success)
    assert _stale_warnings(app) == []
    # The form works on the record as it is now: its save goes through.
    app.text_input(key=f"fu_ZZ-034_cl_{cid}_scope").set_value("陈城镇党委会议").run()
    app.button(key=f"fu_ZZ-034_cl_{cid}_save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(engine) as s:
        assert s.get(ClarificationRow, cid).scope == "陈城镇党委会议"


def test_a_change_by_another_account_still_warns(engine, monkeypatch):
    _oid, cid = _untrue_with_letter(engine)
    app = _page(engine, monkeypatch)
    with session_scope(engine) as s:
        correct_clarification(s, cid, who="lead4", expected_version=1, scope="东山县纪委")
    app.run()
    (said,) = _stale_warnings(app)
    assert "现为第 2 版，表单载入的是第 1 版" in said
