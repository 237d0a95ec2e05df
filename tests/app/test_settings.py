"""AppTest of 设置: defaults shown, values stored in the settings table, permission and audit respected."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import InputError
from planner.office.security import Actor
from planner.office.settings import AppSettings, TravelSettings, load_settings
from planner.store.database import session_scope
from planner.store.models import AuditRow, SettingRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    return at


def test_defaults_are_shown(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.checkbox(key="set_osm").value is False
    assert app.checkbox(key="set_amap").value is False
    assert app.number_input(key="set_circ_hill").value == pytest.approx(1.45)
    assert app.number_input(key="set_w_deadline").value == pytest.approx(40.0)


def test_save_stores_values_and_audits_without_the_key(engine, app: AppTest) -> None:
    app.run()
    app.checkbox(key="set_osm").check()
    app.text_input(key="set_tianditu_key").input("abc123secret")
    app.number_input(key="set_circ_hill").set_value(1.5)
    app.number_input(key="set_w_repeat").set_value(25.0)
    app.number_input(key="set_at_risk_days").set_value(7)
    app.button[0].click().run()
    assert not app.exception
    assert any("已保存" in s.value for s in app.success)
    with session_scope(engine) as s:
        stored = load_settings(s)
        audit = s.scalars(select(AuditRow).where(AuditRow.action == "settings_change")).all()
        assert s.get(SettingRow, "map_tiles").value["tianditu_key"] == "abc123secret"
    assert stored.tiles.osm and stored.tiles.tianditu_key == "abc123secret" and not stored.tiles.amap
    assert stored.travel.circuity_hill == pytest.approx(1.5)
    assert stored.weights.repeat == pytest.approx(25.0)
    assert stored.at_risk_days == 7
    assert stored.travel.model().circuity["hill"] == pytest.approx(1.5)
    assert len(audit) == 1 and "abc123secret" not in str(audit[0].detail)
    # The page shows the stored values on the next visit.
    again = AppTest.from_file(PAGE, default_timeout=30)
    again.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    again.run()
    assert again.number_input(key="set_circ_hill").value == pytest.approx(1.5)


def test_officer_cannot_save(app: AppTest) -> None:
    app.session_state[Key.ACTOR] = Actor(username="off", role="officer")
    app.run()
    assert any("只能查看" in w.value for w in app.warning)
    assert app.button[0].disabled
    # Walk B: the fields could still be changed where nothing could be saved (the demo coordinator's 设置).
    fields = [*app.number_input, *app.checkbox, *app.text_input, *app.radio, *app.text_area]
    assert fields and all(f.disabled for f in fields), [f.key for f in fields if not f.disabled]


def test_the_demo_coordinator_reads_the_settings_without_changing_them(app: AppTest) -> None:
    from planner.office.security import DEMO_ACTOR

    app.session_state[Key.ACTOR] = DEMO_ACTOR
    app.run()
    assert not app.exception
    assert any("演示模式：设置只能查看" in i.value for i in app.info)
    assert all(f.disabled for f in [*app.number_input, *app.checkbox, *app.radio])


def test_settings_validation() -> None:
    with pytest.raises(InputError, match="circuity_hill"):
        TravelSettings(circuity_hill=0.5)
    with pytest.raises(InputError, match="临近期限天数"):
        AppSettings(at_risk_days=-1)


def test_office_words_for_related_complaints_are_saved_and_a_bad_line_is_named(engine, app: AppTest) -> None:
    app.run()
    app.text_area(key="set_lex_pairs").input("公益性岗位 公益岗\n护路岗→公益岗")
    app.text_input(key="set_lex_programmes").input("公益岗 以工代赈")
    app.button[0].click().run()
    assert not app.exception and any("已保存" in s.value for s in app.success)
    with session_scope(engine) as s:
        words = load_settings(s).lexicon
    assert words.pairs == (("公益性岗位", "公益岗"), ("护路岗", "公益岗"))
    assert words.programmes == ("公益岗", "以工代赈")
    again = AppTest.from_file(PAGE, default_timeout=30)
    again.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    again.run()
    assert again.text_area(key="set_lex_pairs").value == "公益性岗位 公益岗\n护路岗 公益岗"
    # A line that is not two words is refused with its line number; nothing is stored.
    again.text_area(key="set_lex_pairs").input("公益性岗位 公益岗\n护路岗")
    again.button[0].click().run()
    assert any("第 2 行" in e.value for e in again.error)
    with session_scope(engine) as s:
        assert load_settings(s).lexicon == words
