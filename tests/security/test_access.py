"""Roles, permissions, accounts, lockout, sessions, visibility of cases and masked identity."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select

from planner.domain import Petitioner
from planner.errors import InputError, PermissionDenied
from planner.office import audit, security
from planner.office.logs import MaskingFilter, mask_personal_text
from planner.office.security import SYSTEM, Actor, SessionToken
from planner.store.models import AuditRow, CaseRow, PlanCase, PlanRow, UserRow

GOOD = "Xiafang-2026-pass"
P = Petitioner(name="林秀英", phone="13859612345", id_number="350628198001011234")


def _actor(role: str, **kw) -> Actor:
    return Actor(username=f"u_{role}", role=role, **kw)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (
            "admin",
            {"view_cases", "view_all_teams", "import", "export", "manage_users", "plan", "record_outcome", "settings",
             "download_itinerary", "view_settings", "view_stats", "backup", "view_teams", "manage_teams", "hand_over",
             "reanalyse"},
        ),
        ("coordinator", {"view_cases", "view_all_teams", "import", "export", "plan", "record_outcome", "settings",
                         "download_itinerary", "view_settings", "view_stats", "view_teams", "manage_teams",
                         "hand_over", "reanalyse"}),
        ("leader", {"view_cases", "export", "plan", "record_outcome", "download_itinerary", "view_settings",
                    "view_stats", "view_teams", "reanalyse"}),
        ("officer", {"view_cases", "record_outcome", "download_itinerary", "view_settings", "view_stats"}),
    ],
)
def test_permission_table(role: str, allowed: set[str]) -> None:
    actor = _actor(role)
    for perm in security.PERMISSIONS:
        if perm in allowed:
            security.require(actor, perm)
        else:
            with pytest.raises(PermissionDenied, match="无权"):
                security.require(actor, perm)


def test_unmask_needs_flag_and_role() -> None:
    with pytest.raises(PermissionDenied, match="未获授权"):
        security.require(_actor("leader"), "unmask")
    security.require(_actor("leader", can_unmask=True), "unmask")
    with pytest.raises(PermissionDenied):
        security.require(_actor("officer", can_unmask=True), "unmask")
    with pytest.raises(PermissionDenied, match="未登录"):
        security.require(None, "view_cases")
    with pytest.raises(InputError, match="不认识的权限"):
        security.require(SYSTEM, "view_case")


@pytest.mark.parametrize(
    "pw", ["short1A!", "alllowercaseletters", "ALLUPPER1234567", "password123", "aaaaaaaaaaA1", "xx-Alice-2026-yy"]
)
def test_weak_passwords_refused_without_echo(pw: str) -> None:
    with pytest.raises(InputError) as info:
        security.check_password_strength(pw, username="alice")
    assert pw not in str(info.value)


def test_create_authenticate_and_lockout(session) -> None:
    security.create_user(session, "alice", GOOD, role="leader", team_ids=["t1"], can_unmask=True)
    session.commit()
    actor = security.authenticate(session, "alice", GOOD)
    assert actor == Actor("alice", "leader", ("t1",), True, "")
    row = session.scalars(select(UserRow).where(UserRow.username == "alice")).one()
    assert row.password_hash.startswith("$argon2id$") and GOOD not in row.password_hash

    messages = set()
    t0 = dt.datetime(2026, 12, 7, 8, 30)
    for _ in range(security.MAX_FAILED_LOGINS):
        with pytest.raises(security.AuthenticationError) as info:
            security.authenticate(session, "alice", "wrong", now=t0)
        messages.add(str(info.value))
    # Locked: even the right password fails, with the same message as an unknown user.
    with pytest.raises(security.AuthenticationError) as info:
        security.authenticate(session, "alice", GOOD, now=t0 + dt.timedelta(minutes=14))
    messages.add(str(info.value))
    with pytest.raises(security.AuthenticationError) as info:
        security.authenticate(session, "nobody", GOOD, now=t0)
    messages.add(str(info.value))
    assert messages == {security.LOGIN_FAILED}
    assert security.authenticate(session, "alice", GOOD, now=t0 + dt.timedelta(minutes=16)).username == "alice"
    actions = [r.action for r in session.scalars(select(AuditRow).order_by(AuditRow.id))]
    assert actions.count("login_failed") == security.MAX_FAILED_LOGINS + 2 and actions.count("login") == 2


def test_create_user_rules(session) -> None:
    with pytest.raises(PermissionDenied):
        security.create_user(session, "bob", GOOD, role="officer", actor=_actor("coordinator"))
    with pytest.raises(InputError, match="不能被授予查看信访人身份"):
        security.create_user(session, "bob", GOOD, role="officer", can_unmask=True)
    with pytest.raises(InputError, match="角色"):
        security.create_user(session, "bob", GOOD, role="root")
    with pytest.raises(InputError, match="用户名"):
        security.create_user(session, "../etc", GOOD, role="officer")
    security.create_user(session, "bob", GOOD, role="officer")
    with pytest.raises(InputError, match="已存在"):
        security.create_user(session, "bob", GOOD, role="officer")


def test_last_admin_cannot_be_demoted_and_password_reset(session) -> None:
    security.create_user(session, "root1", GOOD, role="admin")
    with pytest.raises(InputError, match="唯一"):
        security.update_user(session, "root1", role="officer")
    security.create_user(session, "carol", GOOD, role="officer")
    with pytest.raises(PermissionDenied):
        security.set_password(session, "root1", "Other-pass-2026", actor=Actor("carol", "officer"))
    security.set_password(session, "carol", "Other-pass-2026", actor=Actor("carol", "officer"))
    session.commit()
    assert security.authenticate(session, "carol", "Other-pass-2026").role == "officer"


def test_bootstrap_admin(session, monkeypatch) -> None:
    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    password = security.bootstrap_admin(session)
    assert password and security.authenticate(session, "admin", password).role == "admin"
    assert security.bootstrap_admin(session) is None  # accounts exist: no second admin


def test_bootstrap_admin_from_env(session, monkeypatch) -> None:
    monkeypatch.setenv(security.ADMIN_PASSWORD_ENV, GOOD)
    assert security.bootstrap_admin(session) is None
    assert security.authenticate(session, "admin", GOOD).role == "admin"


def test_session_token_expiry() -> None:
    t0 = dt.datetime(2026, 12, 7, 8, 30)
    tok = SessionToken.issue(_actor("officer"), now=t0)
    assert not tok.is_expired(t0 + dt.timedelta(minutes=29))
    assert tok.is_expired(t0 + dt.timedelta(minutes=31))  # idle
    tok = tok.touched(t0 + dt.timedelta(hours=7, minutes=50))
    assert not tok.is_expired(t0 + dt.timedelta(hours=7, minutes=55))
    assert tok.is_expired(t0 + dt.timedelta(hours=8))  # absolute


def _case(no: str) -> CaseRow:
    return CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31))


def test_visible_case_filter(session) -> None:
    a, b, c = _case("A"), _case("B"), _case("C")
    plan = PlanRow(start_date=dt.date(2026, 12, 7), days=5, status="issued")  # officers go by issued plans
    session.add_all([a, b, c, plan])
    session.flush()
    session.add_all(
        [PlanCase(plan_id=plan.id, case_id=a.id, visit_id="v1", team_id="t1"),
         PlanCase(plan_id=plan.id, case_id=b.id, visit_id="v2", team_id="t2")]
    )  # fmt: skip
    session.flush()

    def seen(actor):
        return sorted(session.scalars(select(CaseRow.case_no).where(security.visible_case_filter(actor))))

    assert seen(_actor("officer", team_ids=("t1",))) == ["A"]
    assert seen(_actor("officer")) == []
    assert seen(_actor("leader", team_ids=("t2",))) == ["B", "C"]  # own team + unplanned pool
    assert seen(_actor("coordinator")) == ["A", "B", "C"]
    assert seen(None) == []
    assert security.can_see_case(session, _actor("officer", team_ids=("t1",)), "A")
    assert not security.can_see_case(session, _actor("officer", team_ids=("t1",)), "B")


def test_a_finished_plan_gives_its_unvisited_cases_back_to_every_leader(session) -> None:
    """Walk J: after 标记完成 the unvisited letters went back to 已登记 but stayed visible to the finishing team's
    leader only; what that team visited stays its own."""
    visited, left, drafted = _case("V"), _case("L"), _case("D")
    visited.status, left.status, drafted.status = "visited", "registered", "selected"
    done = PlanRow(start_date=dt.date(2026, 12, 7), days=2, status="done")
    draft = PlanRow(start_date=dt.date(2026, 12, 14), days=2, status="draft")
    session.add_all([visited, left, drafted, done, draft])
    session.flush()
    session.add_all([PlanCase(plan_id=done.id, case_id=visited.id, visit_id="v1", team_id="t2"),
                     PlanCase(plan_id=done.id, case_id=left.id, visit_id="v2", team_id="t2"),
                     PlanCase(plan_id=done.id, case_id=drafted.id, visit_id="v3", team_id="t2"),
                     PlanCase(plan_id=draft.id, case_id=drafted.id, visit_id="v3", team_id="t2")])
    session.flush()

    def seen(actor):
        return sorted(session.scalars(select(CaseRow.case_no).where(security.visible_case_filter(actor))))

    assert seen(_actor("leader", team_ids=("t1",))) == ["L"]  # back in the pool; visited and re-planned stay t2's
    assert seen(_actor("leader", team_ids=("t2",))) == ["D", "L", "V"]
    assert seen(_actor("officer", team_ids=("t1",))) == []


def test_petitioner_view_masks_and_audits(session) -> None:
    officer = _actor("officer", team_ids=("t1",))
    masked = security.petitioner_view(officer, P)
    assert masked.name == "林**" and "13859612345" not in masked.phone and "1980" not in masked.id_number
    with pytest.raises(PermissionDenied):
        security.petitioner_view(officer, P, unmask=True, reason="核实身份需要")
    leader = _actor("leader", can_unmask=True)
    with pytest.raises(InputError, match="理由"):
        security.petitioner_view(leader, P, unmask=True, reason=" ", session=session)
    assert security.petitioner_view(leader, P, unmask=True, reason="电话回访核实", session=session, case_nos=["A"]) == P
    rows = session.scalars(select(AuditRow).where(AuditRow.action == "unmask_view")).all()
    assert [(r.username, r.case_nos, r.reason) for r in rows] == [("u_leader", ["A"], "电话回访核实")]


def test_audit_never_stores_personal_fields(session) -> None:
    with pytest.raises(audit.PersonalDataError) as info:
        audit.record(session, SYSTEM, "export", detail={"rows": [{"phone": "13859612345"}]})
    assert "13859612345" not in str(info.value)
    row = audit.record(session, SYSTEM, "export", reason="回拨 13859612345", detail={"note": "id 350628198001011234"})
    assert "13859612345" not in row.reason and "350628198001011234" not in str(row.detail)


def test_log_filter_masks(caplog) -> None:
    logger = logging.getLogger("planner.test_mask")
    handler = logging.StreamHandler()
    records = []
    handler.emit = records.append  # capture what the handler would write, after filtering
    handler.addFilter(MaskingFilter())
    logger.addHandler(handler)
    try:
        logger.warning("row %d: phone %s id %s", 3, "138-5961-2345", "35062819800101123X")
    finally:
        logger.removeHandler(handler)
    text = records[0].getMessage()
    assert "5961" not in text and "19800101" not in text and "row 3" in text
    assert mask_personal_text("案件 ZZ-2026-000123 日期 20261207") == "案件 ZZ-2026-000123 日期 20261207"


def test_a_password_someone_else_set_must_be_changed_and_only_that(session, monkeypatch) -> None:
    """A password an administrator typed (初始密码, a reset) or a terminal printed is known to someone else: it
    is marked to be changed at the next sign-in; the account's own change clears the mark."""
    from planner.office.own_password import change_own_password, must_change

    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    printed = security.bootstrap_admin(session)
    assert must_change(session, "admin")
    admin = security.authenticate(session, "admin", printed)
    security.create_user(session, "dana", GOOD, role="officer", actor=admin)
    security.create_user(session, "erin", GOOD, role="officer")  # the server's own tools (SYSTEM)
    assert must_change(session, "dana") and not must_change(session, "erin")
    dana = security.authenticate(session, "dana", GOOD)
    change_own_password(session, dana, GOOD, "Own-pass-2026!x", "Own-pass-2026!x")
    assert not must_change(session, "dana")
    security.set_password(session, "dana", "Reset-by-adm-26", actor=admin)  # forgotten: the administrator resets
    assert must_change(session, "dana")
    security.set_password(session, "erin", "Self-chosen-26!", actor=Actor("erin", "officer"))
    assert not must_change(session, "erin") and not must_change(session, "nobody")


def test_an_installer_chosen_first_password_is_not_marked(session, monkeypatch) -> None:
    monkeypatch.setenv(security.ADMIN_PASSWORD_ENV, GOOD)
    security.bootstrap_admin(session)
    from planner.office.own_password import must_change

    assert not must_change(session, "admin")
