"""导入 (coordinator's walk): a village the table lacks (平和县山格镇龙凤岗村 — 山格镇's village table has none)
showed only after the import, as "1 件地址需核对". The preview counts and lists such rows first, in the result's
words, and counts what the result will count."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake import register as ingest
from planner.intake.address_checks import address_preview
from planner.store.database import session_scope

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")

REGISTER = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            "K1,2026-10-05,张建国,漳浦县官浔镇龙美村,村干部侵占征地补偿款\n"
            "K2,2026-10-06,李明,平和县山格镇土田村,收取桉树砍伐保证金\n"
            "K3,2026-10-07,王芳,平和县山格镇龙凤岗村,村干部侵占低保金\n"
            "K4,2026-10-08,陈红,火星某地,反映问题\n"
            "K5,2026-13-45,赵强,平和县山格镇龙凤岗村,日期不存在的行不导入\n")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    return AppTest.from_file(PAGE, default_timeout=60)


def test_the_preview_lists_the_rows_to_check_before_the_import(engine, app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("核对.csv", REGISTER.encode("utf-8"))
    app.run()
    assert not app.exception
    assert any(w.value.startswith("导入后 2 件地址需核对") and "1 件未定位" in w.value for w in app.warning), [
        w.value for w in app.warning]
    table = next(d.value for d in app.dataframe if "导入后" in d.value.columns)
    rows = {r["编号"]: r for r in table.to_dict("records")}
    assert list(rows) == ["K1", "K3", "K4"]  # K2 is found; K5 is rejected and not placed
    assert (rows["K3"]["行"], rows["K3"]["问题发生地"], rows["K3"]["信中写的村"], rows["K3"]["导入后"]) == (
        4, "平和县山格镇龙凤岗村", "龙凤岗村", "按乡镇定位（山格镇），待核对")
    assert "山格镇没有“龙凤岗村”" in rows["K3"]["说明"]
    # 龙美村 is not of 官浔镇: the point is the county seat, and 导入后 says so as the note does (walk W13).
    assert rows["K1"]["信中写的村"] == "龙美村"
    seat = rows["K1"]["说明"].split("坐标暂取", 1)[1]
    assert seat.startswith("漳浦县政府驻地（") and rows["K1"]["导入后"] == f"按乡镇定位（官浔镇），点为{seat}，待核对"
    assert rows["K4"]["导入后"] == "未定位"

    app.button(key="import_go").click().run()
    assert not app.exception
    # The result counts what the preview said.
    assert any("2 件地址需核对" in w.value and "1 件未定位" in w.value for w in app.warning)


def test_the_preview_counts_only_the_rows_the_import_will_place_again(engine) -> None:
    ingest.import_register(engine, REGISTER.encode("utf-8"), filename="a.csv")
    again = REGISTER.replace("村干部侵占低保金", "村干部侵占低保金和危房改造补助")  # K3 changed, the rest as before
    preview = ingest.read_register(again.encode("utf-8"), filename="b.csv")
    with session_scope(engine) as s:
        places = address_preview(s, preview)
    assert [c.case_no for c in places.checks] == ["K3"]
    assert (places.to_check, places.unplaced, places.unchanged) == (1, 0, 3)
    assert places.unchanged_text() == "另有 3 行与已导入的信访件相同，导入时不重新定位，不在此列。"
    summary = ingest.import_register(engine, again.encode("utf-8"), filename="b.csv")
    assert summary.geocoded.get("check", 0) == places.to_check and summary.geocoded.get("none", 0) == 0


def test_identities_written_in_the_address_are_masked(engine) -> None:
    data = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            "M1,2026-10-05,王芳,平和县山格镇龙凤岗村王芳家 13812345678,反映问题\n")
    with session_scope(engine) as s:
        places = address_preview(s, ingest.read_register(data.encode("utf-8"), filename="m.csv"))
    (check,) = places.checks
    assert "王芳" not in check.address and "13812345678" not in check.address, check.address
