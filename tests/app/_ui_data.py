"""Tiny data builders for the UI helper's AppTests (cases straight into the ``cases`` table)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)


def add_case(
    engine: Engine,
    case_no: str,
    *,
    county_code: str = "350628",
    county: str = "平和县",
    town: str = "山格镇",
    lon: float | None = 117.35,
    lat: float | None = 24.35,
    status: str = "registered",
    category: str = "林业",
    received: dt.date = dt.date(2026, 11, 1),
    deadline: dt.date | None = None,
    content: str = "反映村里收取桉树砍伐保证金的问题",
    geocode_message: str = "",
) -> None:
    """Insert one case row."""
    with session_scope(engine) as s:
        s.add(
            CaseRow(
                case_no=case_no,
                received_date=received,
                deadline=deadline or received + dt.timedelta(days=60),
                category=category,
                content=content,
                title="",
                county=county,
                county_code=county_code,
                town=town,
                lon=lon,
                lat=lat,
                precision="town" if lon is not None else "none",
                status=status,
                geocode_message=geocode_message,
            )
        )


def db_url(engine: Engine) -> str:
    """The URL to hand to the app through ``DATABASE_URL``."""
    return engine.url.render_as_string(hide_password=False)


def add_forestry_fee_letters(engine: Engine) -> None:
    """Four letters the 关联分析 page tests share: three fees of 霞寨镇's 林业站 (a deposit, a design fee, a survey fee;
    the review queue offers F1–F4 and F2–F4) and one 低保 letter elsewhere."""
    for no, content in (("F1", "霞寨镇林业站收取桉树砍伐保证金每亩300元，至今不退。"),
                        ("F2", "霞寨镇林业站办理采伐证要交设计费每亩50元，没有依据。"),
                        ("F4", "霞寨镇林业站办理林木采伐要收勘查费，每亩80元，没有文件依据。")):
        add_case(engine, no, county_code="350628", county="平和县", town="霞寨镇", content=content)
    add_case(engine, "F3", county_code="350604", county="龙海区", town="白水镇", content="大霞村低保评定优亲厚友。")
