"""导入 › 地址核对: 问题发生地 is where the matter is as the import places it, not the address as written.

A letter addressed in Xiamen (厦门市同安区…) whose content names 龙海区海澄镇和平村 is placed at 龙海 with a note; the
table's 问题发生地 still showed the Xiamen address. It now shows the place as placed, and the written address in a
column of its own (登记表写的地址), identities masked in both.
"""

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
WRITTEN_ADDRESS = "登记表写的地址"  # the column beside 问题发生地 (planner.intake.address_checks.WRITTEN_ADDRESS)

NAME, PHONE = "陈阿福", "13905960011"
XIAMEN = "厦门市同安区祥平街道阳翟社区"
REGISTER = ("编号,收件日期,信访人,联系电话,问题发生地,反映内容\n"
            f"XM-1,2026-11-02,{NAME},{PHONE},{XIAMEN},反映龙海区海澄镇和平村村干部违规发放征地补偿款，克扣村民补偿\n"
            "XM-2,2026-11-03,林某,13905960012,平和县山格镇龙凤岗村,村干部侵占集体土地\n"
            "XM-3,2026-11-04,匿名,,,南靖县书洋镇塔下村村干部虚报低保名额\n")


def _checks(engine, data: str):
    with session_scope(engine) as s:
        return address_preview(s, ingest.read_register(data.encode("utf-8"), filename="xm.csv"))


def test_a_letter_placed_from_its_content_shows_that_place(engine) -> None:
    places = _checks(engine, REGISTER)
    rows = {r["编号"]: r for r in places.rows()}
    xm = rows["XM-1"]
    assert xm["问题发生地"] == "龙海区海澄镇和平村" and xm[WRITTEN_ADDRESS] == XIAMEN
    assert xm["导入后"].startswith("按村定位（和平村）") and "反映地址在漳州市外" in xm["说明"]
    # An address that was placed as written shows the same in both columns; an empty cell says so.
    assert rows["XM-2"]["问题发生地"] == rows["XM-2"][WRITTEN_ADDRESS] == "平和县山格镇龙凤岗村"
    assert rows["XM-3"]["问题发生地"].startswith("南靖县书洋镇") and rows["XM-3"][WRITTEN_ADDRESS] == "（空）"


def test_no_written_address_column_when_every_place_is_the_written_one(engine) -> None:
    places = _checks(engine, "\n".join(REGISTER.splitlines()[:1] + REGISTER.splitlines()[2:3]) + "\n")
    (row,) = places.rows()
    assert WRITTEN_ADDRESS not in row and row["问题发生地"] == "平和县山格镇龙凤岗村"


def test_a_xiamen_matter_stays_outside_the_city(engine) -> None:
    """A content naming no Zhangzhou county keeps the letter 市外: its 问题发生地 is the written address."""
    data = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            f"XM-9,2026-11-02,匿名,{XIAMEN},反映阳翟社区物业乱收费\n")
    rows = _checks(engine, data).rows()
    assert all(r["问题发生地"] == XIAMEN and WRITTEN_ADDRESS not in r for r in rows)


def test_identities_in_the_written_address_stay_masked(engine) -> None:
    data = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            f"M1,2026-10-05,{NAME},厦门市同安区{NAME}家 {PHONE},反映龙海区海澄镇和平村村干部克扣补偿款\n")
    (row,) = _checks(engine, data).rows()
    assert row["问题发生地"] == "龙海区海澄镇和平村"
    assert NAME not in row[WRITTEN_ADDRESS] and PHONE not in row[WRITTEN_ADDRESS], row


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    return AppTest.from_file(PAGE, default_timeout=60)


def test_the_import_page_shows_the_place_and_the_written_address(engine, app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("厦门.csv", REGISTER.encode("utf-8"))
    app.run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "导入后" in d.value.columns)
    assert list(table.columns[:4]) == ["行", "编号", "问题发生地", WRITTEN_ADDRESS]
    row = table.set_index("编号").loc["XM-1"]
    assert row["问题发生地"] == "龙海区海澄镇和平村" and row[WRITTEN_ADDRESS] == XIAMEN
    shown = table.to_csv()
    assert NAME not in shown and PHONE not in shown
