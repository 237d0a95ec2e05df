"""Walk W19: an officer (or a leader) reading 设置 sees whether a 天地图 key is set, never a key field or any part of
the key; those who may change settings keep the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.field.maps import MapTiles
from planner.office.authorisation import is_allowed
from planner.office.security import Actor
from planner.office.settings import AppSettings, save_settings
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")
SECRET = "tk-f13-9876543210abcdef"


def _page(engine, monkeypatch, key: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_settings(s, AppSettings(tiles=MapTiles(tianditu_key=key)))
    return AppTest.from_file(PAGE, default_timeout=30)


def _sent(at: AppTest) -> str:
    return "\n".join(repr(node.proto) for node in at.main if hasattr(node, "proto"))


@pytest.mark.parametrize("role", ["officer", "leader"])
@pytest.mark.parametrize("key", [SECRET, ""])
def test_a_reader_sees_only_whether_a_key_is_set(engine, monkeypatch, role: str, key: str) -> None:
    actor = Actor(username=f"u_{role}", role=role)
    assert is_allowed(actor, "view_settings") and not is_allowed(actor, "settings")
    app = _page(engine, monkeypatch, key)
    app.session_state[Key.ACTOR] = actor
    app.run()
    assert not app.exception
    assert not [t for t in app.text_input if t.key in ("set_tianditu_key",)]
    assert not [c for c in app.checkbox if c.key == "set_tianditu_clear"]
    said = [t.value for t in app.text if t.value.startswith("天地图密钥")]
    assert said == ["天地图密钥：已设置（由管理员或协调员填写和修改）" if key else "天地图密钥：未设置"]
    sent = _sent(app)
    assert SECRET not in sent and SECRET[-4:] not in sent
    # The travel-time model stays readable: officers plan their day by it.
    assert any(n.key == "set_speed_plain" for n in app.number_input)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_those_who_may_change_settings_keep_the_field(engine, monkeypatch, role: str) -> None:
    app = _page(engine, monkeypatch, SECRET)
    app.session_state[Key.ACTOR] = Actor(username=f"u_{role}", role=role)
    app.run()
    assert not app.exception
    assert app.text_input(key="set_tianditu_key").value == ""
    assert SECRET not in _sent(app)
