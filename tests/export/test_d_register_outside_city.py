"""登记表 export: a letter about a place outside Zhangzhou (as the import locates 厦门市思明区…, 广东省潮州市饶平县…)
says 市外（转外地办理：<region>） in its 县区 column, not a blank a reader takes for a letter the office failed to
place; a letter with no place stays blank (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest

from planner.intake.outside_city import OUTSIDE_LABEL, outside_place, outside_region
from planner.intake.register_export import register_xlsx
from planner.places.letters import locate_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow

ADDRESSES = {
    "ZZ-1": "平和县山格镇土田村",
    "ZZ-2": "",
    "XM-1": "厦门市思明区湖滨南路88号",
    "CZ-1": "广东省潮州市饶平县黄冈镇",
}


@pytest.mark.parametrize(("address", "region"), [
    ("厦门市思明区湖滨南路88号", "厦门市思明区"),
    ("泉州市南安市水头镇", "泉州市南安市"),
    ("广东省潮州市饶平县黄冈镇", "广东省潮州市饶平县"),
    ("龙岩市新罗区东肖镇", "龙岩市新罗区"),
    ("厦门市锦绣小区3号", "厦门市"),  # an estate is no district
    ("鼓浪屿龙头路", ""),
])
def test_the_region_is_read_from_the_head_of_the_address(address, region) -> None:
    assert outside_region(address) == region
    assert outside_place(address) == (f"市外（转外地办理：{region}）" if region else OUTSIDE_LABEL)


def test_the_register_names_a_letter_from_another_city_outside(engine) -> None:
    rows = [SimpleNamespace(values={"address_text": a, "content": ""}) for a in ADDRESSES.values()]
    with session_scope(engine) as s:
        for (no, address), loc in zip(ADDRESSES.items(), locate_letters(rows), strict=True):
            s.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                          content="反映村里违规收取林地管理服务费", status="registered", address_text=address,
                          **loc))
    with session_scope(engine) as s:
        data = register_xlsx(s)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    head = [c.value for c in ws[1]]
    county = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=head.index("县区") + 1).value
              for r in range(2, ws.max_row + 1)}
    assert county == {"ZZ-1": "平和县", "ZZ-2": None, "XM-1": "市外（转外地办理：厦门市思明区）",
                      "CZ-1": "市外（转外地办理：广东省潮州市饶平县）"}
