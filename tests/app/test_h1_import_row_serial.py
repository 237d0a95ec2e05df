"""AppTest of 导入: a register whose running number is headed 顺序 says in the column mapping that it was read as
the row's 序号, and the 校验结果 shows it in the 序号 column."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")


def test_the_mapping_names_the_shunxu_column_as_the_row_serial(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    data = ("顺序,编号,收件日期,信访人,问题发生地,反映内容\n"
            "1,LH-001,2026-11-03,陈国平,龙海区港尾镇,村主任虚报青苗补偿款\n"
            "2,LH-002,,林秀英,龙海区港尾镇,执法队员收商户钱\n")
    app.session_state[FILE_KEY] = ("顺序表.csv", data.encode())
    app.run()
    assert not app.exception
    captions = [c.value for c in app.caption]
    assert any(c.startswith("「顺序」识别为行序号（序号）") for c in captions)
    issues = app.dataframe[1].value
    assert set(issues[issues["行"] == 3]["序号"]) == {"2"}  # its refusal and the note on the row above (同上)
