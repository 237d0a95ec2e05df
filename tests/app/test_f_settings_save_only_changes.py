"""设置 (walk 1): changing only 期限预警 and saving wrote “修改设置：天地图瓦片 开 → 关” and switched 天地图 tiles off.
The default said on while the checkbox showed off (no key): a save now records only what was changed, the checkbox
shows what is stored, and 天地图 tiles without a key are off everywhere and refused when ticked."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.office.audit import describe
from planner.office.settings import AppSettings, load_settings
from planner.store.database import session_scope
from planner.store.models import AuditRow, SettingRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")


def _page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def _audit(engine) -> list[str]:
    with session_scope(engine) as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.action == "settings_change").order_by(AuditRow.id)).all()
        return [describe({"action": r.action, "username": r.username, "detail": r.detail,
                          "case_nos": r.case_nos or [], "reason": r.reason or ""}) for r in rows]


def _stored_tiles(engine) -> dict:
    with session_scope(engine) as s:
        row = s.get(SettingRow, "map_tiles")
        return dict(row.value) if row else {}


def test_changing_only_the_deadline_warning_records_only_that(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    assert app.checkbox(key="set_tianditu_on").value is False
    app.number_input(key="set_at_risk_days").set_value(7)
    app.button[0].click().run()
    assert not app.exception and not app.error
    (text,) = _audit(engine)
    assert "距办理期限几天内提示“临近期限” 10 → 7" in text
    assert "天地图" not in text and "瓦片" not in text
    assert _stored_tiles(engine)["tianditu"] is False
    with session_scope(engine) as s:
        assert load_settings(s).at_risk_days == 7

    # Saved again unchanged: nothing to record.
    app = _page(engine, monkeypatch)
    assert app.checkbox(key="set_tianditu_on").value is False
    app.button[0].click().run()
    assert len(_audit(engine)) == 1


def test_each_widget_shows_what_is_stored(engine, monkeypatch) -> None:
    """Whatever was stored (tiles on with a key, odd numbers), an untouched save changes and records nothing."""
    with session_scope(engine) as s:
        s.add(SettingRow(key="map_tiles", value={"osm": True, "tianditu_key": "officekey1", "amap": False}))
        s.add(SettingRow(key="general", value={"at_risk_days": 3, "plan_policy": "balanced",
                                               "place_calibration": True, "return_delay_days": 45}))
        s.add(SettingRow(key="travel_model", value={"circuity_hill": 1.5, "local_km": 12.0}))
        s.add(SettingRow(key="cluster_lexicon", value={"pairs": [["公益性岗位", "公益岗"]],
                                                       "programmes": ["以工代赈", "公益岗"]}))
    with session_scope(engine) as s:
        before = load_settings(s)
    app = _page(engine, monkeypatch)
    assert app.checkbox(key="set_tianditu_on").value is True
    assert app.checkbox(key="set_osm").value is True
    app.button[0].click().run()
    assert not app.exception and not app.error
    assert _audit(engine) == []
    with session_scope(engine) as s:
        assert load_settings(s) == before


def test_a_switch_stored_on_without_a_key_reads_off_and_saves_without_a_change(engine, monkeypatch) -> None:
    # What the earlier page could store: the box ticked, no key.
    with session_scope(engine) as s:
        s.add(SettingRow(key="map_tiles", value={"osm": False, "tianditu_key": "", "amap": False, "tianditu": True}))
    with session_scope(engine) as s:
        assert load_settings(s).tiles.tianditu is False
    app = _page(engine, monkeypatch)
    assert app.checkbox(key="set_tianditu_on").value is False
    app.button[0].click().run()
    assert _audit(engine) == []
    assert _stored_tiles(engine)["tianditu"] is False


def test_ticking_tianditu_without_a_key_is_refused_and_nothing_saved(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    app.checkbox(key="set_tianditu_on").check()
    app.number_input(key="set_at_risk_days").set_value(5)
    app.button[0].click().run()
    assert not app.exception
    assert any("天地图瓦片需要本单位的天地图密钥" in e.value for e in app.error)
    assert _audit(engine) == [] and _stored_tiles(engine) == {}

    app.text_input(key="set_tianditu_key").input("officekey2")
    app.button[0].click().run()
    assert not app.error
    (text,) = _audit(engine)
    assert "天地图瓦片 关 → 开" in text and "天地图密钥 未设置 → 已设置" in text and "officekey2" not in text


def test_the_defaults_have_tianditu_off() -> None:
    assert AppSettings().tiles.tianditu is False


def test_clearing_the_key_turns_its_tiles_off_and_says_so(engine, monkeypatch) -> None:
    with session_scope(engine) as s:
        s.add(SettingRow(key="map_tiles", value={"osm": False, "tianditu_key": "officekey3", "amap": False,
                                                 "tianditu": True}))
    app = _page(engine, monkeypatch)
    assert app.checkbox(key="set_tianditu_on").value is True
    app.checkbox(key="set_tianditu_clear").check()
    app.button[0].click().run()
    assert not app.error
    assert any("天地图瓦片随之关闭" in i.value for i in app.info)
    assert _stored_tiles(engine) == {"osm": False, "tianditu_key": "", "amap": False, "tianditu": False}
    (text,) = _audit(engine)
    assert "天地图瓦片 开 → 关" in text and "天地图密钥 已设置 → 已清除" in text
