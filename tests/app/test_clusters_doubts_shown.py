"""AppTest: where 关联分析 lists why a letter is linked to its group's first letter, what speaks against the link
(rates for one unit that disagree: 每亩800元 / 每亩500元) follows the reasons, marked as evidence against. The engine
keeps such letters apart by itself; a leader's 加入本组 puts one in, and the table then says what speaks against it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
LETTERS = [
    ("ZA-1", "华安县仙都镇林业站收取桉树砍伐保证金，每亩800元，收了我家4800元。"),
    ("ZA-2", "仙都镇林业站砍桉树要先交保证金，每亩800元，一直不退。"),
    ("ZA-3", "仙都镇林业站收取桉树砍伐保证金，每亩500元，砍伐后一直不退。"),
]


def test_a_link_with_another_rate_shows_it_as_evidence_against(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for i, (no, text) in enumerate(LETTERS):
        add_case(engine, no, county_code="350629", county="华安县", town="仙都镇", content=text,
                 received=dt.date(2026, 11, 1) + dt.timedelta(days=i))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.run()
    assert not app.exception
    assert app.session_state[Key.CLUSTER_RESULT].issue_of["ZA-3"] != app.session_state[Key.SELECTED_CLUSTER]
    app.text_area(key="cl_add_nos").input("ZA-3").run()
    app.button(key="cl_add").click().run()
    assert not app.exception
    result = app.session_state[Key.CLUSTER_RESULT]
    group = result.cluster(app.session_state[Key.SELECTED_CLUSTER])
    assert set(group.case_nos) == {"ZA-1", "ZA-2", "ZA-3"}
    first = group.case_nos[0]
    table = next(d for d in app.dataframe if "编号" in d.value.columns and f"与 {first} 的关联" in d.value.columns)
    why = dict(zip(table.value["编号"], table.value[f"与 {first} 的关联"], strict=True))
    doubted = [n for n in group.case_nos if n != first and result.explain(first, n).doubts()]
    assert doubted, "the letters give rates that disagree"
    for n in group.case_nos[1:]:
        doubts = result.explain(first, n).doubts()
        for d in doubts:  # after the reasons, marked as against
            assert why[n].endswith(f"反对：{d}") and not why[n].startswith("反对"), why[n]
        if not doubts:
            assert "反对" not in why[n]
    assert any("反对：收费标准或金额不同：每亩800元 / 每亩500元" in why[n] for n in doubted), why
