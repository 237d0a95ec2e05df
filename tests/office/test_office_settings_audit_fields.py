"""The audit row of a settings change named only the groups changed (修改设置：常规设置): it now names each setting
changed with its old and new value; the 天地图 key is never written, only whether it was set, changed or cleared."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from planner.field.maps import MapTiles
from planner.office.audit import describe
from planner.office.security import Actor
from planner.office.settings import AppSettings, TravelSettings, load_settings, save_settings
from planner.store.models import AuditRow

ADMIN = Actor(username="admin", role="admin")


def _rows(session) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).where(AuditRow.action == "settings_change")
                                .order_by(AuditRow.id)))


def _text(row: AuditRow) -> str:
    return describe({"action": row.action, "username": row.username, "detail": row.detail,
                     "case_nos": row.case_nos or [], "reason": row.reason or ""})


def test_each_changed_setting_is_named_with_its_old_and_new_value(session) -> None:
    save_settings(session, AppSettings(), actor=ADMIN)
    session.flush()
    before = load_settings(session)
    save_settings(session, replace(before, at_risk_days=7, plan_policy="balanced",
                                   travel=replace(before.travel, circuity_hill=1.5),
                                   weights=replace(before.weights, repeat=25.0)), actor=ADMIN)
    session.flush()
    row = _rows(session)[-1]
    fields = {e["setting"]: (e["old"], e["new"]) for e in row.detail["fields"]}
    assert fields == {
        "绕行系数（山区）": ("1.45", "1.5"),
        "选件权重「重复举报」": ("15", "25"),
        "距办理期限几天内提示“临近期限”": ("10", "7"),
        "默认规划方式": ("集中出行", "均衡"),
    }
    text = _text(row)
    assert "距办理期限几天内提示“临近期限” 10 → 7" in text
    assert "默认规划方式 集中出行 → 均衡" in text and "选件权重「重复举报」 15 → 25" in text


def test_the_tianditu_key_is_masked(session) -> None:
    secret, other = "abc123secretkey", "zzz999otherkey"
    save_settings(session, AppSettings(tiles=MapTiles(osm=True, tianditu_key=secret)), actor=ADMIN)
    session.flush()
    save_settings(session, replace(load_settings(session), tiles=MapTiles(osm=True, tianditu_key=other)),
                  actor=ADMIN)
    session.flush()
    save_settings(session, replace(load_settings(session), tiles=MapTiles(osm=False)), actor=ADMIN)
    session.flush()
    first, second, third = _rows(session)
    for row in (first, second, third):
        assert secret not in str(row.detail) and other not in str(row.detail)
        assert secret not in _text(row) and other not in _text(row)
    assert "天地图密钥 未设置 → 已设置" in _text(first) and "OpenStreetMap 瓦片 关 → 开" in _text(first)
    assert "天地图密钥 已设置 → 已更换" in _text(second)
    assert "天地图密钥 已设置 → 已清除" in _text(third) and "OpenStreetMap 瓦片 开 → 关" in _text(third)


def test_an_unchanged_save_writes_no_row_and_older_rows_still_read(session) -> None:
    save_settings(session, AppSettings(travel=TravelSettings(local_km=20.0)), actor=ADMIN)
    session.flush()
    save_settings(session, load_settings(session), actor=ADMIN)
    session.flush()
    (row,) = _rows(session)
    assert "每段前多少 km 按乡村道路计 15 → 20" in _text(row)
    # A row written before the fields were kept still names its groups.
    assert describe({"action": "settings_change", "username": "admin",
                     "detail": {"changed": {"general": {}}}}).endswith("修改设置：常规设置。")
