"""Granting an officer the right to see petitioners' identity is refused in Chinese words only: the message
quoted the role code (“角色 'officer'（干部）不能被授予…”) on 用户管理 (found on the walk)."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.office import security

GOOD = "Walk-2026-xiafang!"


def test_the_refusal_names_the_role_in_chinese_and_who_may(session) -> None:
    with pytest.raises(InputError) as caught:
        security.create_user(session, "bob", GOOD, role="officer", can_unmask=True)
    message = str(caught.value)
    assert "officer" not in message and "'" not in message
    assert message.startswith("干部") and "不能被授予查看信访人身份" in message
    assert "组长" in message and "协调员" in message
