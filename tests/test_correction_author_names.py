"""导入 → 系统中更正过的字段: 更正人 named the login (leader1) where every other page names the person with the account
(林协调（lin）, planner.store.lifecycle.account_labels); the login alone is left for an account without a display
name, or one no longer in the user table."""

from __future__ import annotations

from planner.intake.correction_checks import corrections_preview
from planner.intake.register import import_register, read_register
from planner.office import security
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.register_fields import set_category
from tests.test_h2_reimport_keeps_app_corrections import NEW, OLD, TODAY

COORD = Actor("lin", "coordinator", display_name="林协调")


def test_the_corrector_is_named_as_the_app_names_accounts(engine) -> None:
    with session_scope(engine) as s:
        security.create_user(s, "lin", "Xiafang-2026-pass", role="coordinator", display_name="林协调")
        security.create_user(s, "zhou", "Xiafang-2026-pass", role="leader", team_ids=("T1",))  # no display name
    import_register(engine, NEW, filename="登记表.csv", today=TODAY, actor=COORD)
    with session_scope(engine) as s:
        set_category(s, "H2-1", "征地拆迁", who="lin")
        set_category(s, "H2-2", "征地拆迁", who="zhou")
        set_category(s, "H2-3", "征地拆迁", who="gone")  # an account not in the user table (deleted)
    expected = {"H2-1": "林协调（lin）", "H2-2": "zhou", "H2-3": "gone"}
    with session_scope(engine) as s:
        found = corrections_preview(s, read_register(OLD, filename="登记表（旧）.csv", today=TODAY))
    assert {c.case_no: c.as_row()["更正人"] for c in found} == expected
    assert "（林协调（lin），" in next(c.line() for c in found if c.case_no == "H2-1")
    result = import_register(engine, OLD, filename="登记表（旧）.csv", today=TODAY, actor=COORD).as_dict()
    assert {r["编号"]: r["更正人"] for r in result["corrections"]} == expected
