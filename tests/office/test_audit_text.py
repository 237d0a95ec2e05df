"""The audit log as people read it: every action code written anywhere has a Chinese label, every entry a sentence."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from planner.analysis.decisions import _ACTIONS as CLUSTER_ACTIONS
from planner.office import audit
from planner.office.security import SYSTEM, create_user, update_user

ROOT = Path(__file__).resolve().parents[2]
#: Codes built with an f-string: the prefix and every value its placeholder can take.
EXPANSIONS = {"cluster_": tuple(CLUSTER_ACTIONS)}
_LATIN = re.compile(r"[A-Za-z_]{2,}")


def _is_audit_record(node: ast.Call, imported: set[str]) -> bool:
    f = node.func
    if isinstance(f, ast.Attribute) and f.attr == "record":
        return isinstance(f.value, ast.Name) and f.value.id == "audit"
    return isinstance(f, ast.Name) and f.id in imported


def action_codes_in_source() -> dict[str, str]:
    """Every action code passed to ``audit.record(...)`` in planner/, pages/ and app.py: {code: file}."""
    files = [*ROOT.joinpath("planner").rglob("*.py"), *ROOT.joinpath("pages").rglob("*.py"), ROOT / "app.py"]
    codes: dict[str, str] = {}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                    and n.module == "planner.office.audit" for a in n.names if a.name == "record"}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not _is_audit_record(node, imported):
                continue
            if path.name == "audit.py" and path.parent.name == "office":
                continue
            arg = node.args[2] if len(node.args) > 2 else next(k.value for k in node.keywords if k.arg == "action")
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                codes[arg.value] = where
            elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                prefix = arg.values[0].value
                assert prefix in EXPANSIONS, f"{where}: action built as f'{prefix}…': add its values to EXPANSIONS"
                codes.update({prefix + v: where for v in EXPANSIONS[prefix]})
            else:
                pytest.fail(f"{where}: the action code is not a literal; the label test cannot see it")
    return codes


def test_the_scan_finds_the_calls_it_should() -> None:
    codes = action_codes_in_source()
    # Calls through the module (security), through an imported name (intake.register) and via an f-string.
    assert {"login", "login_failed", "import", "cluster_merge", "place_correct", "backup"} <= set(codes)


def test_every_action_code_in_the_source_has_a_chinese_label() -> None:
    missing = {c: where for c, where in action_codes_in_source().items() if c not in audit.ACTION_LABELS}
    assert not missing, f"audit actions without a Chinese label in planner.office.audit.ACTION_LABELS: {missing}"
    for code, label in audit.ACTION_LABELS.items():
        assert label and not _LATIN.search(label), (code, label)


AT = dt.datetime(2026, 12, 7, 0, 30, 5)  # stored UTC: people read 08:30 北京时间
SAMPLES = [
    ({"action": "login"}, "王管理（wang）登录系统"),
    ({"action": "login_failed", "username": "system", "detail": {"user": "li", "why": "bad_password", "failures": 5,
                                                                 "locked_until": "2026-12-07T00:45:05"}},
     "，账户「li」登录失败：密码错误（连续第 5 次），账户锁定到 2026-12-07 08:45"),
    ({"action": "user_update", "detail": {"user": "li", "team_ids": ["T1", "T2"], "role": "leader"}},
     "修改账户「li」：角色改为组长，负责的组改为第一检查组、第二检查组"),
    ({"action": "unmask_view", "case_nos": ["ZZXF-2026-0001"], "reason": "核实来信人"},
     "查看信访人身份，涉及信访件 ZZXF-2026-0001，理由：核实来信人"),
    ({"action": "import", "reason": "登记表.xlsx", "detail": {"sha256": "ab", "imported": 3, "updated": 1,
                                                           "rejected": 2}},
     "导入登记表：新增 3 件，更新 1 件，退回 2 行，文件「登记表.xlsx」"),
    ({"action": "settings_change", "detail": {"changed": {"map_tiles": {"osm": True}, "travel_model": {}}}},
     "修改设置：地图底图、车程估算"),
    ({"action": "place_correct", "case_nos": [], "detail": {"village_code": "350628101201", "cases_moved": 4}},
     "在地图上校准"),
    ({"action": "cluster_move", "case_nos": [f"L{i}" for i in range(7)], "reason": "关联分析：信件移入另一组"},
     "关联分析：移入另一组，涉及信访件 L0、L1、L2、L3、L4 等 7 件"),
    # Walk O: the sentence named no group; the row now holds the groups a letter left and joined.
    ({"action": "cluster_merge", "case_nos": ["L1", "L2"], "reason": "关联分析：合并：I0004 → I0001",
      "detail": {"source": "I0004", "target": "I0001", "from": ["I0004"], "to": ["I0001"]}},
     "关联分析：合并（I0004 → I0001），涉及信访件 L1、L2"),
    ({"action": "cluster_detach", "case_nos": ["L3"], "detail": {"source": "I0002", "target": "I0009"}},
     "关联分析：移出（I0002 → I0009）"),
]


@pytest.mark.parametrize(("entry", "said"), SAMPLES)
def test_an_entry_reads_as_a_sentence(entry: dict, said: str) -> None:
    full = {"at": AT, "username": "wang", "case_nos": [], "reason": "", "detail": {}, **entry}
    text = audit.describe(full, names={"wang": "王管理"}, team_names={"T1": "第一检查组", "T2": "第二检查组"})
    assert text.startswith("2026-12-07 08:30，") and text.endswith("。")
    assert said in text
    assert "{" not in text and full["action"] not in text


def test_the_page_table_of_the_real_log_has_no_codes(session) -> None:
    """Rows written by the library itself, read back and rendered: labels and sentences only."""
    create_user(session, "zhou", "Xiafang-2026-audit!", role="officer", team_ids=["T1"], actor=SYSTEM)
    update_user(session, "zhou", active=False, actor=SYSTEM)
    rows = audit.log_table(audit.recent(session), team_names={"T1": "第一检查组"})
    assert [r["操作"] for r in rows] == ["修改账户", "创建账户"]
    assert rows[0]["用户"] == "系统"
    assert "停用账户" in rows[0]["说明"] and "第一检查组" in rows[1]["说明"]
    for row in rows:
        assert not re.search(r"user_|team_ids|\{|\bT1\b|True|False", " ".join(row.values())), row
