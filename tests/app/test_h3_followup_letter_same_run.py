"""回访跟踪 → 澄清: right after 生成并登记澄清函 the letter's download button was once missing until a reload.

The letter was issued in the page body, after the case picker, its 状态 line and the tabs had been drawn from the
state before it, and the page relied on a second run (st.rerun) to show the case 已澄清, the message and the button.
It is now issued in the button's callback, before the script runs: the run of the click itself shows all three,
whether or not another run follows. Here st.rerun asks for nothing: what the click's own run draws is what is seen.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import select

from planner.store.database import session_scope
from planner.store.models import ClarificationRow
from tests.app.test_f5_followup_picker_label import _page


def _fill(app) -> None:
    app.text_input(key="fu_PH-01_cl_cadre").input("李某某")
    app.text_input(key="fu_PH-01_cl_title").input("村主任")
    app.text_area(key="fu_PH-01_cl_matter").input("私分扶贫资金")
    app.text_area(key="fu_PH-01_cl_finding").input("资金使用符合政策规定")
    app.text_input(key="fu_PH-01_cl_addressee").input("中共平和县委")


def test_the_click_that_issues_the_letter_draws_its_download_button(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    _fill(app)
    asked: list[str] = []
    monkeypatch.setattr(st, "rerun", lambda *a, **k: asked.append("rerun"))  # no second run comes
    app.button(key="fu_PH-01_cl_issue").click().run()
    assert not app.exception and not app.error
    with session_scope(engine) as s:
        (name,) = s.scalars(select(ClarificationRow.document_name)).all()
    labels = [b.label for b in app.get("download_button")]
    assert labels.count(f"下载 {name}") == 2, labels  # on the case's 澄清 tab and in 文书
    assert any("澄清函已生成并登记（村主任李某某），PH-01 标记为已澄清" in m.value for m in app.success)
    assert any("状态：已澄清" in c.value for c in app.caption)
    assert app.text_input(key="fu_PH-01_cl_cadre").value == ""  # the form emptied for the next letter
    assert not asked


def test_a_refused_letter_keeps_the_form_and_says_why(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    _fill(app)
    app.text_area(key="fu_PH-01_cl_finding").input("")  # nothing found: no letter
    app.button(key="fu_PH-01_cl_issue").click().run()
    assert not app.exception
    assert app.error, "the refusal is said"
    assert not app.get("download_button")
    assert app.text_input(key="fu_PH-01_cl_cadre").value == "李某某"
    with session_scope(engine) as s:
        assert not s.scalars(select(ClarificationRow)).all()


def test_the_letter_is_issued_for_the_account_as_the_click_finds_it(engine, monkeypatch) -> None:
    """Asked in the button's callback (before the login gate re-reads the account), issued after it: an account that
    meanwhile may no longer handle the letter issues nothing."""
    from planner.office.security import Actor

    app = _page(engine, monkeypatch)
    _fill(app)
    app.session_state["actor"] = Actor(username="chen", role="officer", team_ids=("T9",))  # as the gate reads it now
    app.button(key="fu_PH-01_cl_issue").click().run()
    assert not app.exception
    with session_scope(engine) as s:
        assert not s.scalars(select(ClarificationRow)).all()
    assert not any("澄清函已生成并登记" in m.value for m in app.success)
