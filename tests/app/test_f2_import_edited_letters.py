"""AppTest of 导入 (walk 1): a register without numbers imported again after edits names the rows that update
letters imported before and lists the uncertain ones for the coordinator, who chooses; the import follows."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from _ui_data import db_url
from openpyxl import Workbook
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.edited_letters import choice_key, edited_letters
from planner.intake.register import import_register, read_register
from planner.store.database import session_scope
from planner.store.models import CaseRow

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
HEADERS = ("序号", "来信日期", "信访人", "联系电话", "反映地点", "反映内容")
ROAD = "村里修水泥路的工程款被村主任截留，路修了一半就停工，村民出工的工钱也没有发。"
LETTERS = (
    ("2026-11-03", "林阿水", "13905961234", "平和县山格镇龙凤岗村", ROAD),
    ("2026-11-05", "陈美玉", "13860012345", "龙海区角美镇白礁村", "桉树砍伐要交保证金每亩300元，交了不退。"),
    ("2026-11-06", "黄志强", "13799881234", "漳浦县旧镇镇浯江村", "低保名额优亲厚友，村主任的亲戚都吃上了低保。"),
)
NOTE = "（补充：12月3日再次来信）"
REWRITTEN = "村里修水泥路的工程款被村主任截留，要求公开工程账目，追回被截留的款项。"


def _register(letters) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for i, letter in enumerate(letters, start=1):
        ws.append([i, *letter])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EDITED = _register(((*LETTERS[0][:4], REWRITTEN), (*LETTERS[1][:4], LETTERS[1][4] + NOTE), LETTERS[2]))


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, _register(LETTERS), filename="11月来信.xlsx")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[FILE_KEY] = ("11月来信（改）.xlsx", EDITED)
    return at


def _contents(engine) -> list[str]:
    with session_scope(engine) as s:
        return sorted(s.scalars(select(CaseRow.content)))


def _edited_tables(app: AppTest) -> list:
    return [d.value for d in app.dataframe if "已导入的信访件" in d.value.columns]


def test_f2_the_preview_names_the_edited_rows_and_lists_the_uncertain_one(engine, app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("1 行是已导入的信改过反映内容" in i.value and "1 行可能是已导入的信" in i.value for i in app.info)
    sure, unsure = _edited_tables(app)
    assert list(sure["行"]) == [3] and sure["本行内容"][0].endswith(NOTE) and sure["改动"][0] == f"加「{NOTE}」"
    assert list(unsure["行"]) == [2] and list(unsure["序号"]) == ["1"] and not unsure["更新原信"][0]
    assert unsure["原信内容"][0].startswith("村里修水泥路") and "序号相同" in unsure["说明"][0]
    # Counted as the import will count them.
    assert any("新增 1 件，更新 1 件，未变 1 件" in c.value for c in app.caption)
    app.button(key="import_go").click().run()
    assert not app.exception
    result = app.session_state[Key.IMPORT_RESULT]
    assert (result["imported"], result["updated"], result["unchanged"]) == (1, 1, 1)  # not chosen: a new letter
    assert _contents(engine) == sorted([ROAD, REWRITTEN, LETTERS[1][4] + NOTE, LETTERS[2][4]])


def test_f2_the_coordinator_chooses_to_update_the_uncertain_row(engine, app: AppTest) -> None:
    app.run()
    with session_scope(engine) as s:
        listed = choice_key(edited_letters(s, read_register(EDITED, filename="11月来信（改）.xlsx")))
    key = f"import_edited_{hashlib.sha256(EDITED).hexdigest()[:16]}_{listed}"  # the choice table of this list
    app.session_state[key] = {"edited_rows": {0: {"更新原信": True}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert any("已选更新 1 行" in i.value for i in app.info)
    assert any("新增 0 件，更新 2 件，未变 1 件" in c.value for c in app.caption)
    app.button(key="import_go").click().run()
    result = app.session_state[Key.IMPORT_RESULT]
    assert (result["imported"], result["updated"], result["unchanged"]) == (0, 2, 1)
    assert _contents(engine) == sorted([REWRITTEN, LETTERS[1][4] + NOTE, LETTERS[2][4]])
