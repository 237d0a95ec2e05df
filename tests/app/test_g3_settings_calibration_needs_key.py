"""设置: 在线校准地名 cannot be switched on without the office's 天地图 key (it was saved on, and 地名校准 then had
no button); clearing the key switches it off, as it does 天地图 tiles."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.office.settings import load_settings
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")


def _page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    at.run()
    return at


def _save(app: AppTest) -> None:
    next(b for b in app.button if b.label == "保存设置").click().run()


def test_calibration_without_a_key_is_refused_saying_why(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    app.checkbox(key="set_place_calibration").check()
    _save(app)
    assert not app.exception
    said = " ".join(e.value for e in app.error)
    assert "在线校准地名" in said and "天地图密钥" in said
    assert not any("设置已保存" in s.value for s in app.success)
    with session_scope(engine) as s:
        assert load_settings(s).place_calibration is False

    app.text_input(key="set_tianditu_key").input("officekey1")  # with the key it is saved on
    _save(app)
    assert not app.error and any("设置已保存" in s.value for s in app.success)
    with session_scope(engine) as s:
        assert load_settings(s).place_calibration is True


def test_clearing_the_key_switches_calibration_off_and_says_so(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    app.text_input(key="set_tianditu_key").input("officekey1")
    app.checkbox(key="set_place_calibration").check()
    _save(app)
    app = _page(engine, monkeypatch)
    assert app.checkbox(key="set_place_calibration").value is True
    app.checkbox(key="set_tianditu_clear").check()
    _save(app)
    assert not app.error
    assert any("在线校准地名随之关闭" in i.value for i in app.info)
    with session_scope(engine) as s:
        current = load_settings(s)
    assert current.place_calibration is False and not current.tiles.tianditu_key
