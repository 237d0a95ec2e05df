"""``python -m planner users``: bootstrap prints the first admin's password once; create/set/password/list."""

from __future__ import annotations

import re

import pytest

from planner.cli import main
from planner.office import security
from planner.store.database import session_scope

PASSWORD = "Xiafang-2026-pass"


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv(security.ADMIN_PASSWORD_ENV, raising=False)
    return engine


def test_bootstrap_then_manage(db, capsys, monkeypatch) -> None:
    assert main(["users", "bootstrap"]) == 0
    out = capsys.readouterr().out
    password = re.search(r"密码（只显示这一次）：(\S+)", out).group(1)
    assert main(["users", "bootstrap"]) == 0
    assert password not in capsys.readouterr().out  # printed only the first time
    with session_scope(db) as s:
        assert security.authenticate(s, "admin", password).role == "admin"

    monkeypatch.setenv("XIAFANG_USER_PASSWORD", PASSWORD)
    assert main(["users", "create", "wang", "--role", "officer", "--teams", "T1,T9"]) == 2
    assert "没有编号为 T9 的检查组" in capsys.readouterr().err  # a typo would leave the account seeing nothing
    assert main(["users", "create", "wang", "--role", "officer", "--teams", "T1,T2"]) == 0
    assert main(["users", "create", "wang", "--role", "officer"]) == 2
    assert "已存在" in capsys.readouterr().err
    assert main(["users", "set", "wang", "--teams", "T7"]) == 2
    assert main(["users", "set", "wang", "--role", "leader", "--can-unmask", "yes"]) == 0
    assert main(["users", "set", "wang", "--role", "officer", "--can-unmask", "yes"]) == 2
    monkeypatch.setenv("XIAFANG_USER_PASSWORD", "Brand-new-2027x")
    assert main(["users", "password", "wang"]) == 0
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("用户名\t角色\t检查组\t可查看身份\t启用\t锁定")
    assert "wang\tleader\tT1,T2\t是\t是\t否" in listing and "Brand-new" not in listing
    with session_scope(db) as s:
        assert security.authenticate(s, "wang", "Brand-new-2027x").can_unmask


def test_cli_installs_log_masking(db, capsys) -> None:
    import logging

    from planner.office.logs import MaskingFilter

    assert main(["users", "list"]) == 0
    handlers = logging.getLogger().handlers
    try:
        assert handlers and all(any(isinstance(f, MaskingFilter) for f in h.filters) for h in handlers)
    finally:  # leave pytest's own handlers as they were
        for h in handlers:
            for f in [f for f in h.filters if isinstance(f, MaskingFilter)]:
                h.removeFilter(f)


def test_the_first_account_from_the_command_line_is_the_administrator(db, capsys, monkeypatch) -> None:
    # Walk O: officers and a leader made here before any admin left an office with no administrator and no teams.
    monkeypatch.setenv("XIAFANG_USER_PASSWORD", PASSWORD)
    assert main(["users", "create", "li", "--role", "leader"]) == 2
    assert "users bootstrap" in capsys.readouterr().err
    with session_scope(db) as s:
        assert security.list_users(s) == []
    assert main(["users", "bootstrap"]) == 0
    assert main(["users", "create", "li", "--role", "leader", "--teams", "T1"]) == 0


def test_bootstrap_says_it_deleted_the_demo_data(db, capsys, monkeypatch) -> None:
    """Walk 3: the first administrator made with the CLI deleted the 600 demo letters without a word."""
    from planner.intake.demo_seed import load_demo_if_empty

    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    assert load_demo_if_empty(db, letters=30) is True
    assert main(["users", "bootstrap"]) == 0
    out = capsys.readouterr().out
    assert "首个账户结束演示，已删除演示数据：信访件 30 件" in out
    assert "密码（只显示这一次）" in out
    assert main(["users", "bootstrap"]) == 0
    assert "演示" not in capsys.readouterr().out  # nothing more to delete, nothing said


def test_bootstrap_on_an_office_without_the_demo_says_nothing_of_it(db, capsys) -> None:
    assert main(["users", "bootstrap"]) == 0
    assert "演示" not in capsys.readouterr().out
