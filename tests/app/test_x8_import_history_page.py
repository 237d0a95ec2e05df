"""导入 (walk W33): the page lists past imports and gives their refused rows at any later time; a database that is
busy shows a Chinese message and writes nothing; the file's name is text in every line that names it; a sheet of a
workbook of registers is previewed after the sheets before it, as the import reads it.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import openpyxl
import pytest
from _ui_data import db_url
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import security
from planner.office.security import SessionToken
from planner.store.database import session_scope
from planner.store.models import CaseRow, ImportBatch, UserRow

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
PASSWORD = "Xiafang-2026-pass"
#: Two letters and a row without a 收件日期 (refused); 林某某's name is masked in the refused rows.
CSV = ("编号,收件日期,信访人,联系电话,地址,反映内容\n"
       "ZP-01,2026-11-21,张美珠,13959612345,漳浦县绥安镇,反映绥安镇垃圾清运费乱收。\n"
       "ZP-02,,林某某,13859651234,漳浦县旧镇镇,反映旧镇镇渔港码头收费不公。\n"
       "ZP-03,2026-11-23,黄秋菊,13906962001,漳浦县佛昙镇,反映佛昙镇低保评定不公开。\n").encode()
#: W33's file name: an image, a formula and a javascript: link.
BAD_NAME = "<img src=x onerror=alert(9)>=1+1[点我](javascript:alert(8)).csv"


def _signed_in(engine, app: AppTest) -> None:
    """A coordinator signed in the way the login page does it (actor and session token)."""
    with session_scope(engine) as s:
        if s.scalar(select(UserRow.id).where(UserRow.username == "zhou")) is None:
            security.create_user(s, "zhou", PASSWORD, role="coordinator", display_name="周协调")
    with session_scope(engine) as s:
        actor = security.authenticate(s, "zhou", PASSWORD)
    app.session_state[Key.ACTOR] = actor
    app.session_state[Key.SESSION_TOKEN] = SessionToken.issue(actor)


def _page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    _signed_in(engine, app)
    return app


def _texts(app: AppTest) -> list[str]:
    return [e.value for kind in ("success", "info", "warning", "error", "caption", "markdown", "subheader")
            for e in getattr(app, kind)]


def test_refused_rows_of_an_earlier_import_download_after_leaving_the_page(engine, monkeypatch, deferred) -> None:
    app = _page(engine, monkeypatch)
    app.session_state[FILE_KEY] = ("漳浦县登记表.csv", CSV)
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    assert app.session_state[Key.IMPORT_RESULT]["rejected"] == 1

    # 导入 → 首页 → 导入: a new visit of the page (another browser session), no file and no result in it.
    again = _page(engine, monkeypatch)
    again.run()
    assert not again.exception and not again.error
    assert [e.label for e in again.expander if e.label.startswith("导入记录")] == ["导入记录（1 次）"]
    (table,) = [d.value for d in again.dataframe if "导入人" in d.value.columns]
    assert list(table.columns) == ["导入时间", "导入人", "文件", "工作表", "读取", "新增", "更新", "未变", "拒收"]
    row = table.iloc[0]
    assert (row["文件"], row["导入人"], row["读取"], row["新增"], row["拒收"]) == ("漳浦县登记表.csv", "周协调（zhou）",
                                                                           3, 2, 1)
    names = [n for n in deferred if n.startswith("未导入的行-漳浦县登记表-")]
    assert names, deferred.keys()
    sheet = openpyxl.load_workbook(io.BytesIO(deferred[names[-1]]())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("来源文件", "行号", "列", "原因")
    assert rows[1][:2] == ("漳浦县登记表.csv", 3) and "收件日期" in str(rows[1][3])
    cells = " ".join(str(c) for r in rows for c in r)
    assert "林某某" not in cells and "13859651234" not in cells  # masked, as the download after the import


def test_a_busy_database_says_so_in_chinese_and_writes_nothing(engine, monkeypatch, caplog) -> None:
    import planner.intake.register as register

    def locked(*args, **kwargs):
        raise OperationalError("INSERT INTO petitioners (name) VALUES (?)", ("张美珠",),
                               Exception("database is locked"))

    app = _page(engine, monkeypatch)
    app.session_state[FILE_KEY] = ("漳浦县登记表.csv", CSV)
    app.run()
    monkeypatch.setattr(register, "import_register", locked)
    with caplog.at_level(logging.WARNING):
        app.button(key="import_go").click().run()
    assert not app.exception, [e.value for e in app.exception]
    (error,) = app.error
    assert "数据库忙或暂时不可用" in error.value and "本次导入未写入任何内容，请稍后重试" in error.value
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 0
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
    logged = caplog.text
    assert "OperationalError" in logged and "database is locked" in logged
    assert "张美珠" not in logged and "INSERT" not in logged


def test_the_file_name_is_text_in_the_success_line_and_the_result(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    app.session_state[FILE_KEY] = (BAD_NAME, CSV)
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    (success,) = app.success
    named = [t for t in _texts(app) if "点我" in t]
    assert success.value in named
    for text in named:  # every line naming the file shows it as typed: no link, no emphasis, no HTML
        assert not re.search(r"(?<!\\)\]\(", text) and "<img" not in text, text  # an escaped ] is no link
        assert "\\[点我\\]" in text, text


def _book(first: list[tuple], second: list[tuple]) -> bytes:
    wb = openpyxl.Workbook()
    head = ("编号", "收件日期", "信访人", "地址", "反映内容")
    for i, (title, rows) in enumerate((("表一", first), ("表二", second))):
        ws = wb.active if i == 0 else wb.create_sheet(title)
        ws.title = title
        ws.append(head)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("viewed", ["表一", "表二"])
def test_a_number_repeated_on_a_later_sheet_is_previewed_as_the_import_refuses_it(engine, monkeypatch,
                                                                                 viewed: str) -> None:
    """E_跨表重号.xlsx: A-002 of 表一 again on 表二 for another letter (no county named to tell them apart)."""
    data = _book([("A-001", "2026-11-21", "甲某", "铜陵镇", "反映铜陵镇渔船燃油补贴发放不公。"),
                  ("A-002", "2026-11-22", "乙某", "陈城镇", "反映陈城镇海砂违规开采。")],
                 [("A-002", "2026-11-23", "丙某", "列屿镇", "反映列屿镇滩涂承包费去向不明。"),
                  ("B-900", "2026-11-24", "丁某", "火田镇", "反映火田镇低保问题。")])
    app = _page(engine, monkeypatch)
    app.session_state[FILE_KEY] = ("跨表重号.xlsx", data)
    app.run()
    view = next(s for s in app.selectbox if s.key and s.key.startswith("import_view_"))
    view.set_value(viewed).run()
    assert not app.exception
    (sheets,) = [d.value for d in app.dataframe if "说明" in d.value.columns and "工作表" in d.value.columns]
    metrics = {m.label: m.value for m in app.metric}
    expected = {"表一": ("2", "0"), "表二": ("1", "1")}[viewed]
    assert (metrics["可导入"], metrics["将拒收"]) == expected
    app.button(key="import_go").click().run()
    assert not app.exception
    done = app.session_state[Key.IMPORT_RESULT]["sheets"]
    assert {s["sheet"]: (s["imported"] + s["updated"], s["rejected"]) for s in done} == {"表一": (2, 0), "表二": (1, 1)}
    # The table of sheets said the same before the import.
    assert dict(zip(sheets["工作表"], sheets["拒收"], strict=True)) == {"表一": 0, "表二": 1}
