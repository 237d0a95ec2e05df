"""Walk W27, defects 2 and 3.

2: account names were case-sensitive: ``OFF1`` was created beside ``off1``, and a sign-in typed as ``OFF1`` a minute
before the account existed read in the audit log as the person who took the name afterwards. Names are now one name
regardless of case and width (NFKC + casefold) for creating and signing in; a pair an older database holds keeps
signing in by its exact spellings; a failed sign-in for a name no account had shows the typed name, no person.
3: ``Zhangzhou2026`` and ``Xiafang2026!`` passed: only an exact common password was refused.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.errors import InputError
from planner.office import audit, security
from planner.office.security import SYSTEM, AuthenticationError
from planner.store.models import AuditRow, UserRow

GOOD = "Walk-W-pass-2026!"


def _admin(session):
    admin = security.create_user(session, "admin1", GOOD, role="admin", display_name="王管理", actor=SYSTEM)
    session.commit()
    return admin


@pytest.mark.parametrize("name", ["OFF1", "Off1", "ＯＦＦ１", " ｏｆｆ１ "])
def test_a_name_that_differs_only_in_case_or_width_is_refused(session, name) -> None:
    admin = _admin(session)
    security.create_user(session, "off1", GOOD, role="officer", display_name="林干部", actor=admin)
    session.commit()
    with pytest.raises(InputError, match=r"已存在|只差大小写"):
        security.create_user(session, name, GOOD, role="officer", display_name="重复林干部", actor=admin)
    session.rollback()
    assert session.scalars(select(UserRow.username).order_by(UserRow.id)).all() == ["admin1", "off1"]


def test_a_full_width_name_is_stored_as_typed_on_a_plain_keyboard(session) -> None:
    admin = _admin(session)
    created = security.create_user(session, "ｌｅａｄｅｒ２", GOOD, role="leader", actor=admin)
    assert created.username == "leader2"


@pytest.mark.parametrize("typed", ["OFF1", "Off1", "ＯＦＦ１"])
def test_sign_in_takes_the_name_in_any_case_or_width(session, typed) -> None:
    admin = _admin(session)
    security.create_user(session, "off1", GOOD, role="officer", actor=admin)
    session.commit()
    assert security.authenticate(session, typed, GOOD).username == "off1"
    with pytest.raises(AuthenticationError):
        security.authenticate(session, typed, GOOD + "x")
    row = session.scalars(select(AuditRow).where(AuditRow.action == "login_failed")).one()
    assert (row.username, row.detail["user"], row.detail["why"]) == ("off1", "off1", "bad_password")
    assert session.scalar(select(UserRow.failed_logins).where(UserRow.username == "off1")) == 1


def test_an_older_databases_look_alike_pair_still_signs_in_by_exact_name(session) -> None:
    admin = _admin(session)
    security.create_user(session, "off1", GOOD, role="officer", actor=admin)
    # made before names were compared regardless of case (no schema change: nothing for a migration to refuse)
    session.add(UserRow(username="OFF1", display_name="重复林干部", role="officer", active=True, failed_logins=0,
                        password_hash=security.hash_password(GOOD + "2"), team_ids=[]))
    session.commit()
    assert security.authenticate(session, "off1", GOOD).username == "off1"
    assert security.authenticate(session, "OFF1", GOOD + "2").username == "OFF1"
    with pytest.raises(AuthenticationError):  # names both, neither exactly: no guess between two people
        security.authenticate(session, "Off1", GOOD)
    with pytest.raises(InputError, match="只差大小写"):  # and no third look-alike
        security.create_user(session, "oFF1", GOOD, role="officer", actor=admin)


def test_a_failed_sign_in_for_a_name_nobody_had_is_not_the_later_accounts(session) -> None:
    admin = _admin(session)
    with pytest.raises(AuthenticationError):
        security.authenticate(session, "lin2", GOOD)
    security.create_user(session, "lin2", GOOD, role="officer", display_name="重复林干部", actor=admin)
    session.commit()
    names = {u["username"]: u["display_name"] for u in security.list_users(session, actor=admin)}
    log = audit.log_table(audit.recent(session), names=names)
    failed = [r for r in log if r["操作"] == "登录失败"]
    assert len(failed) == 1
    assert "重复林干部" not in failed[0]["用户"] + failed[0]["说明"]
    assert failed[0]["用户"] == "「lin2」（无此账户）"
    assert "以用户名「lin2」登录失败：当时没有这个账户" in failed[0]["说明"]
    created = [r for r in log if r["操作"] != "登录失败" and "lin2" in r["说明"]]
    assert created and created[0]["用户"] == "王管理"


@pytest.mark.parametrize("pw", [
    "Zhangzhou2026", "Xiafang2026!", "2026!Xiafang", "Zhang-zhou-2026", "ZhangzhouJiwei2026!", "P@ssw0rd2026",
    "Xiafang_2026_Xiafang", "Longhai-2026-08", "Qwerty!2026", "Iloveyou-1314",
])
def test_a_common_word_or_the_offices_name_with_digits_around_it_is_refused(pw) -> None:
    with pytest.raises(InputError, match="常见词") as info:
        security.check_password_strength(pw, username="off1")
    assert pw not in str(info.value)
    for more in ("Xiafang-2026-pass", "Walk-V-pass-2026!", "Xiafang下访2026!", "Tr0ub4dor&3-x"):
        security.check_password_strength(more, username="off1")  # more than a guessable word: passes


def test_creating_an_account_with_such_a_password_says_why(session) -> None:
    admin = _admin(session)
    with pytest.raises(InputError, match="加上数字、年份或符号"):
        security.create_user(session, "off3", "Zhangzhou2026", role="officer", actor=admin)
