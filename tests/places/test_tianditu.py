"""Online calibration with 天地图, on recorded answers (no network): off by default, same-name places refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from planner.errors import InputError, PermissionDenied
from planner.office.security import Actor
from planner.office.settings import AppSettings, load_settings
from planner.places.tianditu import GEOCODER_URL, calibrate, targets_for
from planner.store.models import AuditRow, PlaceRow
from planner.store.places import calibrate_online, load_gazetteer

# Answers as 天地图's geocoder gives them (status "0", location lon/lat as numbers or strings).
RECORDED = {
    "福建省漳州市平和县山格镇": {"msg": "ok", "location": {"score": 100, "level": "乡镇", "lon": 117.42711,
                                                           "lat": 24.37186, "keyWord": "平和县山格镇"},
                                 "searchVersion": "6.4.9V", "status": "0"},
    "福建省漳州市平和县山格镇土田村": {"msg": "ok", "location": {"score": 90, "level": "村庄", "lon": "117.40962",
                                                                 "lat": "24.38077"}, "status": "0"},
    # A same-name 大溪镇 in another province: refused, never stored.
    "福建省漳州市平和县大溪镇": {"msg": "ok", "location": {"lon": 120.5, "lat": 28.6}, "status": "0"},
    "福建省漳州市华安县仙都镇": {"msg": "无结果", "status": "101"},
}


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, url: str, params: dict) -> dict:
        self.calls.append((url, params))
        return RECORDED[json.loads(params["ds"])["keyWord"]]


def test_online_calibration_is_off_by_default(session):
    assert AppSettings().place_calibration is False
    assert load_settings(session).place_calibration is False


def test_answers_in_the_right_county_are_kept():
    fetch = Recorder()
    result = calibrate(targets_for(["350628101", "350628101210", "350628106", "350629105"]), "KEY1", fetch=fetch)
    assert [p.name for p in result.places] == ["山格镇", "土田村"]
    assert all(p.source == "tianditu" for p in result.places)
    assert result.places[1].village_code == "350628101210" and result.places[1].lon == pytest.approx(117.40962)
    reasons = dict(result.refused)
    assert "不在平和县" in reasons["福建省漳州市平和县大溪镇"]
    assert "未找到" in reasons["福建省漳州市华安县仙都镇"]
    assert {u for u, _ in fetch.calls} == {GEOCODER_URL} and all(p["tk"] == "KEY1" for _, p in fetch.calls)


def test_no_key_no_query():
    with pytest.raises(InputError, match="天地图密钥"):
        calibrate(targets_for(["350628101"]), " ", fetch=Recorder())


def test_calibration_is_stored_audited_and_takes_precedence(session):
    with pytest.raises(PermissionDenied):
        calibrate_online(session, Actor("off", "officer"), ["350628101"], "K", fetch=Recorder())
    done = calibrate_online(session, Actor("c1", "coordinator"), ["350628101", "350628106"], "K", fetch=Recorder())
    session.commit()
    assert done["stored"] == 1 and len(done["refused"]) == 1
    row = session.scalars(select(PlaceRow)).one()
    assert (row.source, row.town_code, row.created_by) == ("tianditu", "350628101", "c1")
    assert load_gazetteer(session).by_code["350628101"].source == "tianditu"
    audit = session.scalars(select(AuditRow).where(AuditRow.action == "gazetteer_import")).one()
    assert audit.detail["sources"] == ["tianditu"]
