"""AppTest of 导入: preview with detected mapping and row errors, changing the mapping, import, rejected rows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from _ui_data import db_url
from openpyxl import load_workbook
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.demo import generate_letters, register_xlsx_bytes
from planner.store.database import session_scope
from planner.store.models import CaseRow, ImportBatch

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
DATA = ROOT / "tests" / "data" / "registers"
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    return AppTest.from_file(PAGE, default_timeout=60)


def _cases(engine) -> int:
    with session_scope(engine) as s:
        return s.execute(select(func.count()).select_from(CaseRow)).scalar_one()


def test_no_file_asks_for_one(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("请选择" in i.value for i in app.info)
    assert not app.button


def test_preview_import_and_rejected_download(engine, app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("bad_rows.csv", (DATA / "bad_rows.csv").read_bytes())
    app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["数据行"] == "8"
    # The row with an empty 编号 imports under a number made from the letter (自编-…), as a register without a
    # number column does (walk W8); the other four rows stay refused.
    assert metrics["可导入"] == "5"
    assert metrics["将拒收"] == "3"
    # Detected mapping is shown in the selectboxes.
    assert app.selectbox(key="import_map_case_no").value == "信访件编号"
    assert app.selectbox(key="import_map_content").value == "主要问题"
    # Row errors name row and column; the sample masks personal columns.
    issues = app.dataframe[1].value
    row3 = issues[issues["行"] == 3].iloc[0]
    assert row3["列"] == "登记日期" and row3["级别"] == "错误" and "日期不存在" in row3["说明"]
    sample = app.dataframe[0].value
    assert "陈建华" not in sample.to_string() and "13812345678" not in sample.to_string()
    assert "陈**" in set(sample["信访人"])
    assert _cases(engine) == 0  # preview writes nothing

    app.button(key="import_go").click().run()
    assert not app.exception
    assert any("新增 5" in s.value for s in app.success)
    result = app.session_state[Key.IMPORT_RESULT]
    assert (result["imported"], result["rejected"], result["rows_read"]) == (5, 3, 8)
    assert _cases(engine) == 5
    with session_scope(engine) as s:
        assert sum(no.startswith("自编-") for no in s.scalars(select(CaseRow.case_no))) == 1
    download = app.get("download_button")
    assert download, "a download button for the rejected rows is shown"


def test_rejected_rows_workbook_is_masked(engine) -> None:
    # The page offers exactly what these library calls produce.
    from planner.intake import register as ingest

    summary = ingest.import_register(engine, DATA / "bad_rows.csv")
    with session_scope(engine) as s:
        rows = ingest.rejected_rows(s, summary.batch_id)
    ws = load_workbook(io.BytesIO(ingest.rejected_rows_xlsx(rows))).active
    text = repr([[c.value for c in r] for r in ws.iter_rows()])
    assert "林志明" not in text and "13900001111" not in text
    assert "日期不存在" in text


def test_changing_the_mapping(engine, app: AppTest) -> None:
    data = "号码,日期,问题,地点\nX1,2026-01-05,村财务不公开,平和县山格镇土田村\nX2,2026-01-06,低保不公,华安县华丰镇\n"
    app.session_state[FILE_KEY] = ("x.csv", data.encode("gbk"))
    app.run()
    assert not app.exception
    assert any("找不到必需的列" in e.value for e in app.error)
    assert app.button(key="import_go").disabled
    app.selectbox(key="import_map_case_no").select("号码").run()
    app.selectbox(key="import_map_content").select("问题").run()
    app.selectbox(key="import_map_address").select("地点").run()
    assert not app.error
    assert not app.button(key="import_go").disabled
    app.button(key="import_go").click().run()
    assert not app.exception
    assert _cases(engine) == 2
    with session_scope(engine) as s:
        case = s.scalars(select(CaseRow).where(CaseRow.case_no == "X1")).one()
        assert case.town == "山格镇"
        batch = s.scalars(select(ImportBatch)).one()
        assert batch.column_mapping["address"] == "地点"


def test_reimport_reports_unchanged(engine, app: AppTest) -> None:
    data = register_xlsx_bytes(generate_letters(seed=2, letters=15))
    from planner.intake import register as ingest

    ingest.import_register(engine, data, filename="r.xlsx")
    app.session_state[FILE_KEY] = ("r.xlsx", data)
    app.run()
    app.button(key="import_go").click().run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["未变"] == "15" and metrics["新增"] == "0"
    assert _cases(engine) == 15


def test_broken_file_shows_error(app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("truncated.xlsx", (DATA / "truncated.xlsx").read_bytes())
    app.run()
    assert not app.exception
    assert any("不是有效的 Excel" in e.value for e in app.error)
    app.button(key="import_clear_bad").click().run()
    assert any("请选择" in i.value for i in app.info)


def test_mapping_choices_reset_for_another_file(app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("x.csv", "号码,日期,问题\nX1,2026-01-05,村财务不公开\n".encode())
    app.run()
    app.selectbox(key="import_map_case_no").select("号码").run()
    app.selectbox(key="import_map_content").select("问题").run()
    assert not app.error
    app.session_state[FILE_KEY] = ("bad_rows.csv", (DATA / "bad_rows.csv").read_bytes())
    app.run()
    assert not app.exception
    assert app.selectbox(key="import_map_case_no").value == "信访件编号"
    assert {m.label: m.value for m in app.metric}["可导入"] == "5"


def test_visitor_import_is_not_recorded_as_demo_data(engine, app: AppTest) -> None:
    from types import SimpleNamespace

    app.session_state[Key.ACTOR] = SimpleNamespace(username="demo", role="coordinator")
    app.session_state[FILE_KEY] = ("bad_rows.csv", (DATA / "bad_rows.csv").read_bytes())
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    with session_scope(engine) as s:
        assert s.scalars(select(ImportBatch.imported_by)).one() == "演示访客"


def test_a_register_numbered_only_by_xuhao_imports_and_the_preview_says_how_numbers_are_made(engine,
                                                                                              app: AppTest) -> None:
    data = ("序号,来信日期,信访人,反映地点,反映内容\n"
            "1,2026-10-08,林阿水,平和县山格镇土田村,征地补偿款至今未发放到户\n"
            "2,2026-10-09,陈美玉,龙海区角美镇,桉树砍伐保证金交了不退\n"
            "3,10月11日,匿名,南靖县书洋镇,砍伐桉树收取保证金不开收据\n")
    app.session_state[FILE_KEY] = ("序号表.csv", data.encode("utf-8"))
    app.run()
    assert not app.exception
    assert not any("找不到必需的列" in e.value for e in app.error)
    note = " ".join(i.value for i in app.info)
    assert "编号由系统生成" in note and "自编-20261008-" in note and "不会覆盖" in note
    assert app.selectbox(key="import_map_case_no").value == "（不导入）"
    assert "无此列时自动生成" in app.selectbox(key="import_map_case_no").label
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["数据行"], metrics["可导入"]) == ("3", "3")  # 10月11日 takes the year of the row above (W33)
    issues = app.dataframe[1].value
    yearless = issues[issues["行"] == 4].iloc[0]
    assert yearless["序号"] == "3" and "没有年份" in yearless["说明"] and "按 2026-10-11 导入" in yearless["说明"]
    assert not app.button(key="import_go").disabled
    app.button(key="import_go").click().run()
    assert not app.exception
    with session_scope(engine) as s:
        numbers = sorted(s.scalars(select(CaseRow.case_no)))
    assert len(numbers) == 3 and all(n.startswith("自编-202610") for n in numbers)


def test_the_result_says_how_letters_were_placed_and_how_many_need_checking(engine, app: AppTest) -> None:
    """A village written under the wrong town keeps the town and is counted as 需核对 (the walk's register)."""
    data = ("编号,收件日期,问题发生地,反映内容\n"
            "K1,2026-10-05,漳浦县官浔镇龙美村,村干部侵占征地补偿款\n"
            "K2,2026-10-06,平和县山格镇土田村,收取桉树砍伐保证金\n"
            "K3,2026-10-07,火星某地,反映问题\n")
    app.session_state[FILE_KEY] = ("核对.csv", data.encode("utf-8"))
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    placed = " ".join(m.value for m in app.markdown if m.value.startswith("**定位**"))
    assert "到村 1 件" in placed and "到乡镇 1 件" in placed and "未定位 1 件" in placed
    assert any("1 件地址需核对" in w.value and "1 件未定位" in w.value for w in app.warning)
    with session_scope(engine) as s:
        row = s.scalar(select(CaseRow).where(CaseRow.case_no == "K1"))
        assert (row.town, row.village) == ("官浔镇", "") and "请核对" in row.geocode_message


def test_the_time_taken_includes_the_meaning_step(engine, app: AppTest, monkeypatch) -> None:
    """Walk M: 用时 was the import's alone; the letters' meaning is computed after it, and the user waited for both."""
    import time

    import pages.common

    def slow_meaning(engine_, texts):
        time.sleep(0.3)

    monkeypatch.setattr(pages.common, "encode_meaning", slow_meaning)
    app.session_state[FILE_KEY] = ("bad_rows.csv", (DATA / "bad_rows.csv").read_bytes())
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    result = app.session_state[Key.IMPORT_RESULT]
    assert result["meaning_seconds"] >= 0.3
    caption = next(c.value for c in app.caption if "用时" in c.value)
    total = float(caption.split("用时 ")[1].split(" 秒")[0])
    # The parts as shown, each rounded to tenths, add up to it (c4f4abb); the unrounded sum may differ by up to 0.1.
    assert abs(total - (round(result["seconds"], 1) + round(result["meaning_seconds"], 1))) < 0.001
    assert abs(total - (result["seconds"] + result["meaning_seconds"])) <= 0.101
    assert f"计算新信件的内容含义 {result['meaning_seconds']:.1f} 秒" in caption
