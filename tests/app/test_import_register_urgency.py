"""AppTest of 导入: the register's 紧急程度 column is mapped in the preview, and how its words become severity."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
REGISTER = "\n".join([
    "编号,收文日期,来信人,县区,乡镇,村,问题摘要,类别,紧急程度",
    "漳纪信2026-024,2026-09-19,刘秀兰,长泰区,陈巷镇,雪美村,雪美村河道非法采砂，镇里不管。,环保,紧急",
    "漳纪信2026-104,2026-11-17,吴家明,长泰区,陈巷镇,雪美村,雪美村非法采砂仍在继续，晚上开工。,环保,特急",
    "漳纪信2026-105,2026-11-18,林某,长泰区,陈巷镇,雪美村,雪美村道路硬化款去向不明。,村务,看情况",
]) + "\n"


def test_preview_maps_the_urgency_column_and_says_how_its_words_are_read(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[FILE_KEY] = ("register.csv", REGISTER.encode("gbk"))
    app.run()
    assert not app.exception
    assert app.selectbox(key="import_map_severity").value == "紧急程度"
    note = next(i.value for i in app.info if "问题严重程度" in i.value)
    assert "特急 1 件 → 5" in note and "紧急 1 件 → 4" in note and "无法识别 1 件 → 3" in note
    issues = app.dataframe[1].value  # [0] is the sample, [1] the checks
    row = issues[issues["列"] == "紧急程度"].iloc[0]
    assert row["行"] == 4 and "看情况" in row["说明"] and "按 3" in row["说明"]


def test_clerks_numbers_written_full_width_show_as_text(engine, monkeypatch) -> None:
    """Walk D: a 序号 of １２ among numbers made pyarrow log a traceback on every run of the preview; the sample and
    the checks now hold the clerk's numbers as text."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    register = "\n".join([
        "序号,编号,收文日期,来信人,县区,乡镇,问题摘要",
        "11,漳纪信2026-201,2026-09-19,刘秀兰,长泰区,陈巷镇,雪美村河道非法采砂，镇里不管。",
        "１２,漳纪信2026-202,2026年2月30日,吴家明,长泰区,陈巷镇,雪美村道路硬化款去向不明。",
    ]) + "\n"
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[FILE_KEY] = ("register.csv", register.encode("utf-8"))
    app.run()
    assert not app.exception
    sample = app.dataframe[0].value
    assert all(isinstance(v, str) for col in sample.columns for v in sample[col])
    issues = app.dataframe[1].value
    assert len(issues) and all(isinstance(v, str) for v in issues["序号"])
    assert set(issues["序号"]) <= {"１２", "12"}  # the impossible date is the second row's
