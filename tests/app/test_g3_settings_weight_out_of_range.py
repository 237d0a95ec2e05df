"""设置: a 选件 weight stored above 100 (by hand in the database or another tool) no longer breaks the page (the
0–100 number input raised StreamlitValueAboveMaxError): it shows at 100 with a warning naming the stored value."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.office.settings import load_settings
from planner.store.database import session_scope
from planner.store.models import SettingRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")


def test_a_stored_weight_above_100_is_shown_clamped_and_said(engine, monkeypatch) -> None:
    with session_scope(engine) as s:
        s.add(SettingRow(key="selection_weights", value={"severity": 150, "people": 7}))
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=30)
    app.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    app.run()
    assert not app.exception
    said = " ".join(w.value for w in app.warning)
    assert "问题严重程度" in said and "150" in said and "100" in said
    assert app.number_input(key="set_w_severity").value == 100.0
    assert app.number_input(key="set_w_people").value == 7.0  # in range: as stored, not mentioned
    assert "涉及群众人数" not in said

    next(b for b in app.button if b.label == "保存设置").click().run()
    assert not app.exception and not app.error
    assert not any("150" in w.value for w in app.warning)  # saved: no longer said to be stored
    with session_scope(engine) as s:
        weights = load_settings(s).weights
    assert (weights.severity, weights.people) == (100.0, 7.0)
