"""路线规划: the comparison box stands only beside an earlier plan that differs.

Walk 1: the leader typed 2 in 工作日数 and pressed Enter (a form submits on Enter: a plan was made), then clicked
开始规划: the same plan again, under an open box 与上一方案比较 reading +0 everywhere, as if compared with a plan the
leader never saw.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("ZZ1",)),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村"),
)


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.VISITS] = VISITS
    return at


def test_the_same_plan_twice_shows_no_box_of_zeros(app: AppTest) -> None:
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划 (or Enter in 工作日数)
    assert not app.exception
    assert app.session_state[Key.PLAN_DOC].plan.planned_visit_ids() == {"V1", "V2"}
    assert not any("比较" in e.label for e in app.expander)  # the first plan: nothing to compare with
    app.button[0].click().run()  # the same request again
    assert not app.exception
    assert not any("与上一方案比较" in e.label for e in app.expander)
    assert not any("+0，" in m.value for m in app.markdown)
    assert any(c.value.startswith("与上一方案比较：相同") for c in app.caption)
    # a plan that differs is compared: one day more is the same two stops, so take a stop out
    app.session_state[Key.VISITS] = VISITS[:1]
    app.button[0].click().run()
    assert not app.exception
    assert any("与上一方案比较" in e.label for e in app.expander)
    assert any("走访点 -1" in m.value for m in app.markdown)
