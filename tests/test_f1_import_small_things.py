"""导入 and 用户管理 (walk 1): a preview with a required column missing counts the data rows it found (it said
数据行 0); CSV headers 涉及对象 and 类型 are read as 被反映单位/人 and 问题类别 (类型 only as the whole header);
an account that exists is named in Chinese quotes; every place note that asks for a check gives a short reason."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from planner.errors import InputError
from planner.intake import register as ingest
from planner.intake.columns import detect_mapping
from planner.office import security
from planner.places.check_notes import check_reason, needs_check
from planner.places.letters import locate_letters
from planner.store.cases import get_case

ROOT = Path(__file__).resolve().parents[1]
NO_CONTENT = ("编号,收信日期,问题发生地,涉及对象\n"
              "A1,2026-11-02,平和县山格镇,山格镇政府\n"
              "\n"
              "A2,2026-11-03,南靖县书洋镇,书洋镇林业站\n"
              "A3,2026-11-04,芗城区浦南镇,浦南镇政府\n"
              "合计,3 件,,\n")


def test_f1_missing_column_counts_the_rows_found() -> None:
    preview = ingest.read_register(NO_CONTENT.encode("utf-8"), filename="n.csv")
    assert preview.missing_required == ("反映内容",)
    assert preview.rows_found == 3  # the blank row and the 合计 row are no letters
    whole = ingest.read_register(NO_CONTENT.replace("涉及对象", "反映内容").encode("utf-8"), filename="w.csv")
    assert whole.rows_read == preview.rows_found


def test_f1_preview_page_shows_the_rows_found(engine, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from pages.common import Key
    from planner.office.security import Actor

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "import_register.py"), default_timeout=60)
    at.session_state["actor"] = Actor("tester", "admin", display_name="测试管理员")
    at.session_state[getattr(Key, "IMPORT_FILE", "import_file")] = ("n.csv", NO_CONTENT.encode("utf-8"))
    at.run()
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "数据行") == "3"
    assert any("找不到必需的列：反映内容" in e.value for e in at.error)


def test_f1_headers_involved_and_kind() -> None:
    got = detect_mapping(["编号", "收信日期", "问题发生地", "反映内容", "涉及对象", "类型"])
    assert got["reported"] == "涉及对象" and got["category"] == "类型"
    # 类型 names the category only as the whole header; other headers keep their fields.
    other = detect_mapping(["编号", "收件日期", "反映内容", "办理类型", "信访人类型", "坐标类型", "涉及单位",
                            "涉及人数"])
    assert "category" not in other and other["datum"] == "坐标类型"
    assert other["reported_units"] == "涉及单位" and other["people_affected"] == "涉及人数"
    assert detect_mapping(["编号", "收件日期", "反映内容", "问题类别", "类型"])["category"] == "问题类别"


def test_f1_involved_splits_units_and_persons(engine, session) -> None:
    data = ("编号,收信日期,问题发生地,反映内容,涉及对象,类型\n"
            "B1,2026-11-02,云霄县莆美镇,低保评定优亲厚友,莆美镇民政办、陈建国,惠民资金\n")
    ingest.import_register(engine, data.encode("utf-8"), filename="b.csv")
    case = get_case(session, "B1")
    assert case.reported_units == ("莆美镇民政办",) and case.reported_persons == ("陈建国",)
    assert case.category == "惠民资金"


def test_f1_existing_account_in_chinese_quotes(session) -> None:
    security.create_user(session, "xtyuan", "Xt-walk-2026!", role="coordinator")
    with pytest.raises(InputError) as err:
        security.create_user(session, "xtyuan", "Xt-walk-2026!", role="coordinator")
    assert "“xtyuan”" in str(err.value) and "'" not in str(err.value) and '"' not in str(err.value)


@pytest.mark.parametrize("address", [
    "平和县山格镇龙凤岗村", "南靖县书阳镇", "平和县小溪镇福塘村", "龙海区角美镇东美", "龙文区蓝田镇",
    "漳浦县旧县镇", "云霄县白石头村",
])
def test_f1_every_note_to_check_has_a_short_reason(address: str) -> None:
    loc = locate_letters([SimpleNamespace(values={"address_text": address, "content": ""})])[0]
    note = str(loc["geocode_message"])
    assert needs_check(note), note
    reason = check_reason(note)
    assert reason and reason != "见定位说明" and len(reason) <= 24, (note, reason)


def test_f1_reason_for_a_place_taken_from_the_content() -> None:
    letter = SimpleNamespace(values={"address_text": "", "content": "反映漳浦县旧镇镇后江村主任违规发包"})
    loc = locate_letters([letter])[0]
    assert needs_check(loc["geocode_message"]) and "取自反映内容" in check_reason(loc["geocode_message"])
    assert check_reason("已识别到村（社区）") == ""
