"""Walk V's audit-log findings (two app servers on one database, the CLI beside them), on SQLite and PostgreSQL.

D3: with XIAFANG_CLOCK every process ran its own clock from the given moment, so a server started two minutes later
stamped a password change before the account's creation on the other, and a CLI backup read 08:00 at 08:30.
D4: a user setting their own password read as an administrator's reset. D5: recording or correcting a visit's
outcome left no audit row. D6: a disabled account's failed sign-in was 系统's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.outcomes import correct_outcome, outcome_version, record_outcome
from planner.office import audit, clock, clock_anchor, security
from planner.office.backup import backup
from planner.office.own_password import change_own_password
from planner.office.security import SYSTEM, AuthenticationError
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow, SettingRow

PASSWORD = "Walk-V-pass-2026!"
NEW = "Walk-V-own-2026?"
START = "2026-12-07T08:00"


@pytest.fixture()
def real(monkeypatch) -> list[dt.datetime]:
    """The machine's real time, moved by the test (every process on one machine reads the same)."""
    now = [dt.datetime(2026, 12, 5, 10, 0, tzinfo=clock.LOCAL_TZ)]
    monkeypatch.setattr(clock, "_real_now", lambda: now[0])
    return now


def _new_process(monkeypatch) -> None:
    """What a process starting now knows of the office clock: nothing."""
    monkeypatch.setattr(clock, "_clock_offset", None)
    monkeypatch.setattr(clock_anchor, "_shared", None)


def _office(at: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time as 北京时间, naive."""
    return clock.to_local(at).replace(tzinfo=None)


def test_two_servers_and_the_cli_on_one_database_keep_one_office_clock(engine, monkeypatch, real, tmp_path) -> None:
    monkeypatch.setenv(clock.CLOCK_ENV, START)
    _new_process(monkeypatch)  # server A starts at 10:00 (real): its office clock reads 08:00
    with session_scope(engine) as s:
        security.create_user(s, "admin1", PASSWORD, role="admin", actor=SYSTEM)
    real[0] += dt.timedelta(minutes=2)
    _new_process(monkeypatch)  # server B starts at 10:02: on its own clock it would read 08:00 now
    clock.local_now()
    real[0] += dt.timedelta(minutes=1)
    with session_scope(engine) as s:  # 10:03, on server B: a user's password is set
        security.create_user(s, "leader2", PASSWORD, role="leader", actor=SYSTEM)
    at_b = clock.local_now().replace(tzinfo=None)
    assert at_b == dt.datetime(2026, 12, 7, 8, 3)  # B continues the database's clock, not its own (08:01)
    real[0] += dt.timedelta(minutes=27)
    _new_process(monkeypatch)  # the CLI's backup, a new process at 10:30
    info = backup(engine, tmp_path / "b.zip", key=b"k" * 32)
    assert _office(dt.datetime.fromisoformat(info.created_at).replace(tzinfo=None)) == dt.datetime(2026, 12, 7, 8, 30)
    with session_scope(engine) as s:
        stamped = {r.detail.get("user"): _office(r.at) for r in s.scalars(select(AuditRow))}
    assert stamped == {"admin1": dt.datetime(2026, 12, 7, 8, 0), "leader2": dt.datetime(2026, 12, 7, 8, 3)}


def test_another_setting_starts_its_own_clock_and_without_one_nothing_is_stored(engine, monkeypatch, real) -> None:
    monkeypatch.setenv(clock.CLOCK_ENV, START)
    _new_process(monkeypatch)
    with session_scope(engine) as s:
        security.create_user(s, "a1", PASSWORD, role="admin", actor=SYSTEM)
    real[0] += dt.timedelta(hours=1)
    monkeypatch.setenv(clock.CLOCK_ENV, "2026-12-08T09:00")
    _new_process(monkeypatch)
    with session_scope(engine) as s:
        security.create_user(s, "a2", PASSWORD, role="admin", actor=SYSTEM)
    assert clock.local_now().replace(tzinfo=None) == dt.datetime(2026, 12, 8, 9, 0)
    with session_scope(engine) as s:
        s.execute(SettingRow.__table__.delete())
    monkeypatch.delenv(clock.CLOCK_ENV)
    _new_process(monkeypatch)
    with session_scope(engine) as s:  # the ordinary case: the real time, no anchor read or stored
        security.create_user(s, "a3", PASSWORD, role="admin", actor=SYSTEM)
        assert s.scalars(select(SettingRow)).all() == []
        assert _office(s.scalar(select(AuditRow.at).order_by(AuditRow.id.desc()))) == real[0].replace(tzinfo=None)


def test_a_user_setting_their_own_password_reads_as_such(session) -> None:
    admin = security.create_user(session, "admin1", PASSWORD, role="admin", display_name="王管理", actor=SYSTEM)
    off2 = security.create_user(session, "off2", PASSWORD, role="officer", display_name="黄干部", actor=admin)
    security.set_password(session, "off2", PASSWORD + "x", actor=admin)  # an administrator's reset
    change_own_password(session, off2, PASSWORD + "x", NEW, NEW)  # the first sign-in's own password
    session.commit()
    rows = audit.log_table(audit.recent(session, action="password_set"),
                           names={"admin1": "王管理", "off2": "黄干部"})
    own, reset = rows
    assert own["操作"] == "修改密码" and "修改了自己的密码" in own["说明"] and "重置" not in own["说明"]
    assert own["用户"] == "黄干部"
    assert reset["操作"] == "重置密码" and "重置账户「off2」的密码" in reset["说明"]


def test_a_disabled_accounts_failed_sign_in_is_that_accounts(session) -> None:
    security.create_user(session, "off1", PASSWORD, role="officer", display_name="陈干部", actor=SYSTEM)
    security.update_user(session, "off1", active=False, actor=SYSTEM)
    session.commit()
    for name, password in (("off1", PASSWORD), ("nobody", PASSWORD)):
        with pytest.raises(AuthenticationError):
            security.authenticate(session, name, password)
    rows = audit.recent(session, action="login_failed")
    table = audit.log_table(rows, names={"off1": "陈干部"})
    by_user = {r["用户"]: r["说明"] for r in table}
    assert set(by_user) == {"陈干部", "「nobody」（无此账户）"}  # a typed name, no person (walk W27)
    assert "系统" not in by_user["陈干部"] and "账户「off1」登录被拒绝：账户已停用" in by_user["陈干部"]
    assert "系统" not in by_user["「nobody」（无此账户）"] and "用户名「nobody」" in by_user["「nobody」（无此账户）"]
    assert [r["username"] for r in rows if r["detail"]["user"] == "off1"] == ["off1"]


def test_recording_and_correcting_an_outcome_is_audited_without_the_petitioner(session) -> None:
    case = CaseRow(case_no="ZZJW2026-035", received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                   content="反映林业站收取保证金", county="平和县", county_code="350628", town="山格镇",
                   village="土田村", lon=117.31, lat=24.37, status="planned")
    session.add(case)
    session.flush()
    day = dt.date(2026, 12, 7)
    seen = VisitOutcome(case_no="ZZJW2026-035", visit_date=day, result="visited", team_id="T1",
                        findings="与林某某（13912345678）面谈", households_visited=3)
    oid = record_outcome(session, seen, who="off1", today=day)
    fixed = VisitOutcome(case_no="ZZJW2026-035", visit_date=day, result="visited", team_id="T1",
                         findings="与林某某（13912345678）面谈", households_visited=4, problem_resolved=True)
    correct_outcome(session, oid, fixed, who="leader1", expected_version=outcome_version(session, oid), today=day)
    session.commit()
    rows = [r for r in audit.recent(session) if r["action"].startswith("outcome_")]
    assert [(r["username"], r["action"], r["case_nos"]) for r in rows] == [
        ("leader1", "outcome_correct", ["ZZJW2026-035"]), ("off1", "outcome_record", ["ZZJW2026-035"])]
    said = [r["说明"] for r in audit.log_table(rows, names={"off1": "陈干部", "leader1": "林组长"},
                                                team_names={"T1": "第一检查组"})]
    assert "陈干部（off1）登记" in said[1] and "首次走访" in said[1] and "已走访" in said[1] and "第一检查组" in said[1]
    assert "林组长（leader1）更正" in said[0] and "入户户次" in said[0] and "问题已解决" in said[0]
    stored = " ".join(str(r) for r in rows) + " ".join(said)
    assert "林某某" not in stored and "13912345678" not in stored and "面谈" not in stored


def test_a_session_bound_to_a_connection_shares_the_office_clock(engine, monkeypatch, real) -> None:
    # The demo loader works in a session bound to one connection: with XIAFANG_CLOCK set it failed on the bind's
    # address (a Connection has none of its own), and the app started with no demo letters (helper F6, stop 42).
    from sqlalchemy.orm import Session

    monkeypatch.setenv(clock.CLOCK_ENV, START)
    _new_process(monkeypatch)
    with engine.connect() as conn, Session(bind=conn) as s:
        security.create_user(s, "demo1", PASSWORD, role="admin", actor=SYSTEM)
        s.commit()
        assert clock.local_now().replace(tzinfo=None) == dt.datetime(2026, 12, 7, 8, 0)
        assert s.scalar(select(SettingRow.key).where(SettingRow.key.like(clock_anchor.ANCHOR_KEY + "%")))
