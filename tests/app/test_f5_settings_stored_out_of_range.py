"""设置: a value stored outside what the page offers (绕行系数 3.5, 临近期限 90 days, set by hand in the database, by
the CLI or an older version) made the page show every default (the 天地图 key, tiles and 回访 interval too), and
保存设置 then replaced every stored setting without a word. Now each such value is shown at the nearest value the
page offers, with a warning in its section naming what is stored; every other setting shows as stored and is kept."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.office.audit import describe
from planner.office.security import Actor
from planner.office.settings import load_settings
from planner.store.database import session_scope
from planner.store.models import AuditRow, SettingRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")
TRAVEL = {"circuity_plain": 1.3, "circuity_hill": 3.5, "speed_plain_kmh": 45.0, "speed_hill_kmh": 32.0,
          "trunk_kmh": 80.0, "local_km": 15.0}


def _store(engine, **groups) -> None:
    with session_scope(engine) as s:
        for key, value in groups.items():
            s.add(SettingRow(key=key, value=value))


def test_f5_out_of_range_values_are_said_and_the_rest_kept(engine, monkeypatch) -> None:
    _store(engine, travel_model=TRAVEL,
           general={"at_risk_days": 90, "plan_policy": "balanced", "return_delay_days": 45},
           map_tiles={"osm": True, "tianditu_key": "k-office", "amap": False, "tianditu": True},
           selection_weights={"severity": 7})
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=30)
    app.session_state["actor"] = Actor(username="coord", role="coordinator")
    app.run()
    assert not app.exception and not app.error
    said = [w.value for w in app.warning]
    assert any("绕行系数（山区）" in w and "3.5" in w and "显示为 3" in w for w in said)
    assert any("临近期限" in w and "90" in w and "显示为 60" in w for w in said)
    assert app.number_input(key="set_circ_hill").value == 3.0
    assert app.number_input(key="set_at_risk_days").value == 60
    # Everything else as stored, not the defaults.
    assert app.number_input(key="set_circ_plain").value == 1.3
    assert app.number_input(key="set_return_delay_days").value == 45
    assert app.number_input(key="set_w_severity").value == 7.0
    assert app.checkbox(key="set_osm").value is True and app.checkbox(key="set_tianditu_on").value is True
    assert app.radio(key="set_plan_policy").value == "balanced"

    next(b for b in app.button if b.label == "保存设置").click().run()
    assert not app.exception and not app.error
    told = " ".join(i.value for i in app.info)
    assert "3.5 → 3" in told and "90 → 60" in told
    assert not any("3.5" in w.value for w in app.warning)
    with session_scope(engine) as s:
        saved = load_settings(s)
        (audit,) = s.scalars(select(AuditRow).where(AuditRow.action == "settings_change")).all()
        text = describe({"action": audit.action, "username": audit.username, "detail": audit.detail,
                         "case_nos": [], "reason": ""})
    assert saved.tiles.tianditu_key == "k-office" and saved.tiles.osm and saved.tiles.tianditu
    assert (saved.travel.circuity_plain, saved.travel.circuity_hill, saved.at_risk_days) == (1.3, 3.0, 60)
    assert (saved.return_delay_days, saved.plan_policy, saved.weights.severity) == (45, "balanced", 7.0)
    assert "3.5 → 3" in text and "90 → 60" in text and "天地图" not in text and "回访" not in text


def test_f5_other_sections_say_what_they_cannot_show(session) -> None:
    from planner.office.settings import load_settings_for_edit

    session.add(SettingRow(key="general", value={"plan_policy": "fastest", "return_delay_days": 400,
                                                 "at_risk_days": "七"}))
    session.add(SettingRow(key="selection_weights", value={"people": -5, "urgency": 150}))
    session.add(SettingRow(key="cluster_lexicon", value={"pairs": [["公益性岗位", "公益岗"], ["护 路", "公益岗"]],
                                                         "programmes": ["以工代赈", "x"]}))
    session.flush()
    settings, notes = load_settings_for_edit(session)
    by = {(n.group, n.name): n for n in notes}
    assert settings.plan_policy == "compact" and "fastest" in by["general", "plan_policy"].stored
    assert settings.return_delay_days == 30 and by["general", "return_delay_days"].stored == "400"
    assert settings.at_risk_days == 10 and by["general", "at_risk_days"].why == "不是数字"
    assert (settings.weights.people, settings.weights.urgency) == (0.0, 100.0)
    assert by["selection_weights", "people"].setting == "涉及群众人数"
    assert settings.lexicon.pairs == (("公益性岗位", "公益岗"),) and settings.lexicon.programmes == ("以工代赈",)
    assert "护 路" in by["cluster_lexicon", "pairs"].stored and "“x”" == by["cluster_lexicon", "programmes"].stored
    assert all(n.text().startswith("「") for n in notes)
