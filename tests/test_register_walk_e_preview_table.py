"""The import preview names each row with problems by its 编号 and shows the whole explanation (walk E, defect 2).

The walk's 校验结果 table had 行 and 序号 but no 编号, and its 说明 column ended in "…未重"; 列映射 said
"未使用的列：序号、备注、承办人" although those columns are kept on every letter and exported with it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.intake.register import read_register
from planner.office.security import Actor

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py")
TODAY = dt.date(2026, 12, 7)
LETTER = "马坑乡和春村村干部挪用修桥的钱给自己买了车。"
REGISTER = (
    "序号,信访件编号,收件日期,信访人,联系电话,反映内容,问题发生地,备注,承办人\n"
    f"1,ZZXF-2026-0099,2026-11-19,何金发,13606961234,{LETTER},华安县马坑乡和春村,,黄丽\n"
    "2,ZZXF-2026-0100,2026-11-31,林阿九,13906958877,霞寨镇林业站收取保证金不退。,平和县霞寨镇,,陈志强\n"
    f"3,ZZXF-2026-0132,2026-11-19,何金发,13606961234,{LETTER},华安县马坑乡和春村,补录,黄丽\n"
).encode()


def test_each_issue_row_carries_the_registers_own_number() -> None:
    rows = read_register(REGISTER, filename="r.csv", today=TODAY).issue_rows()
    by_row = {r["行"]: r for r in rows}
    assert list(by_row[3]) == ["行", "序号", "编号", "列", "级别", "说明"]
    assert (by_row[3]["序号"], by_row[3]["编号"], by_row[3]["级别"]) == ("2", "ZZXF-2026-0100", "错误")
    assert by_row[4]["编号"] == "ZZXF-2026-0132" and by_row[4]["说明"].endswith("未重复导入")


def test_a_register_without_numbers_has_no_number_column_to_show() -> None:
    data = "序号,收件日期,反映内容\n1,2026-11-31,村干部挪用修桥款。\n".encode()
    [row] = [r for r in read_register(data, filename="q.csv", today=TODAY).issue_rows() if r["行"] == 2]
    assert "编号" not in row and row["序号"] == "1"


def _page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["actor"] = Actor("tester", "admin", display_name="测试管理员")
    app.session_state["import_file"] = ("register_q34.csv", REGISTER)
    app.run()
    assert not app.exception
    return app


def test_the_preview_table_has_the_number_and_wraps_the_explanation(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    [table] = [d for d in app.dataframe if "说明" in d.value.columns]
    assert list(table.value.columns) == ["行", "序号", "编号", "列", "级别", "说明"]
    assert set(table.value["编号"]) == {"ZZXF-2026-0100", "ZZXF-2026-0132"}
    # A row taller than 4rem (64 px) wraps its text in the grid; 说明 takes the width the others leave (named: the
    # grid spreads unclaimed width over every column, walk H1).
    assert table.proto.row_height > 64
    config = json.loads(table.proto.columns)
    others = sum(config[c]["width"] for c in ("行", "序号", "编号", "列", "级别"))
    assert config["说明"]["width"] > others and config["说明"].get("help")
    full = "\n".join(t.value for t in app.text)
    assert ("第4行（序号 3）：与第 2 行（序号 1，编号 ZZXF-2026-0099）为同一封信"
            "（收信日期、信访人、反映内容相同），未重复导入") in full
    assert "逐行说明（全文）" in [e.label for e in app.expander]


def test_the_registers_own_columns_are_said_to_be_kept_not_unused(engine, monkeypatch) -> None:
    captions = [c.value for c in _page(engine, monkeypatch).caption]
    [own] = [c for c in captions if "序号、备注、承办人" in c]
    assert "原样保存在信访件上" in own and "未使用" not in own
