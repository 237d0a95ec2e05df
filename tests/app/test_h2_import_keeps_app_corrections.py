"""AppTest of 导入 (walk W10): an older register imported again lists the fields corrected in the app that its rows
would change, keeps them unless the coordinator ticks a row (or all), and the result says what was kept."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.correction_checks import choice_key, corrections_preview
from planner.intake.register import import_register, read_register
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.places import correct_point
from planner.store.register_fields import set_category

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
COORD = Actor("lin", "coordinator")
HEADER = "编号,收件日期,问题类别,反映内容,地址\n"
OLD = (HEADER
       + "H2A-1,2026-11-02,林业,反映村里修路款被截留，路修一半停工。,平和县山格镇土田村\n"
       + "H2A-2,2026-11-03,低保,反映低保名额优亲厚友。,漳浦县旧镇镇浯江村\n").encode()
NEW = OLD.replace("停工。".encode(), "停工。（补充）".encode()).replace("厚友。".encode(), "厚友。（补充）".encode())


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, NEW, filename="登记表.csv", today=dt.date(2026, 12, 7))
    with session_scope(engine) as s:
        set_category(s, "H2A-1", "征地拆迁", who="lin")
        correct_point(s, COORD, lon=117.30, lat=24.30, case_no="H2A-2")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[FILE_KEY] = ("登记表（旧）.csv", OLD)
    return at


def _category(engine, no: str) -> str:
    with session_scope(engine) as s:
        return s.scalar(select(CaseRow.category).where(CaseRow.case_no == no))


def _table(app: AppTest):
    return next(d.value for d in app.dataframe if "系统中的值（人工更正）" in d.value.columns)


def test_h2_the_preview_names_each_corrected_field_and_the_import_keeps_it(engine, app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("2 件信访件导入后在系统中人工更正过" in w.value and "默认保留系统中的更正" in w.value
               and "现将保留 2 处" in w.value for w in app.warning)
    table = _table(app)
    first = table[table["编号"] == "H2A-1"].iloc[0]
    assert (first["字段"], first["系统中的值（人工更正）"], first["登记表的值"], first["更正人"]) == (
        "问题类别", "征地拆迁", "林业", "lin")
    assert not first["改用登记表的值"]
    assert "117.30000" in table[table["编号"] == "H2A-2"].iloc[0]["系统中的值（人工更正）"]
    app.button(key="import_go").click().run()
    assert not app.exception
    assert _category(engine, "H2A-1") == "征地拆迁"
    assert any("保留了 2 件信访件在系统中的人工更正 2 处（问题类别 1、位置（人工校准） 1）" in i.value
               for i in app.info)


def test_h2_a_ticked_row_takes_the_files_value(engine, app: AppTest) -> None:
    app.run()
    with session_scope(engine) as s:
        listed = choice_key(corrections_preview(s, read_register(OLD, filename="登记表（旧）.csv")))
    key = f"import_corrections_{hashlib.sha256(OLD).hexdigest()[:16]}_{listed}"
    app.session_state[key] = {"edited_rows": {0: {"改用登记表的值": True}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert any("现将保留 1 处，改用登记表的值 1 处" in w.value for w in app.warning)
    app.button(key="import_go").click().run()
    assert _category(engine, "H2A-1") == "林业"
    with session_scope(engine) as s:
        assert s.scalar(select(CaseRow.point_source).where(CaseRow.case_no == "H2A-2")) == "case_corrected"


def test_h2_taking_every_files_value_with_one_box(engine, app: AppTest) -> None:
    app.run()
    box = next(c for c in app.checkbox if c.label.startswith("全部改用登记表的值"))
    box.check().run()
    assert not app.exception
    assert any("现将保留 0 处，改用登记表的值 2 处" in w.value for w in app.warning)
    app.button(key="import_go").click().run()
    assert _category(engine, "H2A-1") == "林业"
    with session_scope(engine) as s:
        assert s.scalar(select(CaseRow.point_source).where(CaseRow.case_no == "H2A-2")) != "case_corrected"
