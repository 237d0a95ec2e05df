"""Walk K: a gazetteer import or a correction re-resolves open cases as a fresh import would (fields and message)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake import register as intake
from planner.office.security import Actor
from planner.places.office_files import _place
from planner.store.models import CaseRow
from planner.store.places import correct_point, load_gazetteer, relocate_open_cases, save_places

TODAY = dt.date(2026, 11, 26)
HEADER = "编号,收件日期,办理期限,来源,问题类别,信访人,反映内容,被反映人,地址,办理状态\n"
#: The office's list: a village the built-in table holds, one it does not, and a road of 芗城区.
PLACES = (
    ("浯江村", "village", "漳浦县", "旧镇镇", "", 117.561, 23.978),
    ("龙凤岗村", "village", "云霄县", "火田镇", "", 117.281, 24.018),
    ("胜利西路", "road", "芗城区", "", "", 117.645, 24.513),
)


def _register(*rows: tuple[str, str]) -> bytes:
    return "".join([HEADER] + [f"{no},2026-11-02,2026-12-31,来信,惠农补贴,匿名,村干部克扣补贴款。,林某,{a},待办\n"
                               for no, a in rows]).encode("utf-8")


def _places():
    keys = ("name", "level", "county", "town", "village", "lon", "lat")
    return [_place("地名.csv", i + 2, dict(zip(keys, r, strict=True)), "wgs84", None, "imported")
            for i, r in enumerate(PLACES)]


LETTERS = (("K1", "漳浦县旧镇镇浯江村"), ("K2", "云霄县火田镇龙凤岗村"), ("K3", "漳州市胜利西路123号"))
FIELDS = ("county", "county_code", "town", "town_code", "village", "village_code", "lon", "lat", "precision",
          "precision_km", "point_source", "geocode_message")


def _cases(session) -> dict[str, CaseRow]:
    return {r.case_no: r for r in session.scalars(select(CaseRow))}


def test_relocated_cases_read_as_a_fresh_import_would(session):
    intake.import_register(session, _register(*LETTERS), filename="before.csv", today=TODAY)
    session.commit()
    before = _cases(session)
    assert "非村委会位置" in before["K1"].geocode_message and before["K3"].county_code == ""
    save_places(session, _places(), actor="coord1", origin="地名.csv")
    moved = relocate_open_cases(session, load_gazetteer(session), who="coord1")
    session.commit()
    assert moved == 3
    # The same letters, imported afresh under other numbers, are the reference.
    intake.import_register(session, _register(*((f"N{no}", a) for no, a in LETTERS)), filename="after.csv",
                           today=TODAY)
    session.commit()
    cases = _cases(session)
    for no, _a in LETTERS:
        old, fresh = cases[no], cases[f"N{no}"]
        assert {k: getattr(old, k) for k in FIELDS} == {k: getattr(fresh, k) for k in FIELDS}, no
    assert "该村（社区）位置（本单位地名库）" in cases["K1"].geocode_message
    assert cases["K2"].village == "龙凤岗村" and "没有" not in cases["K2"].geocode_message
    assert cases["K3"].county == "芗城区" and "也没有它" not in cases["K3"].geocode_message
    # Nothing changes the second time.
    assert relocate_open_cases(session, load_gazetteer(session), who="coord1") == 0


def test_a_village_correction_rewrites_the_place_message(session):
    intake.import_register(session, _register(("C1", "平和县山格镇土田村")), filename="r.csv", today=TODAY)
    session.commit()
    assert "非村委会位置" in _cases(session)["C1"].geocode_message
    correct_point(session, Actor("lead1", "leader"), lon=117.41, lat=24.38, village_code="350628101210")
    session.commit()
    c1 = _cases(session)["C1"]
    assert c1.point_source == "corrected" and "非村委会位置" not in c1.geocode_message
    assert "该村（社区）位置（人工校准）" in c1.geocode_message


def test_the_cli_import_rewrites_open_cases_and_says_so(tmp_path, monkeypatch, capsys):
    from planner.cli import main
    from planner.store.database import get_engine, session_scope

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'office.db'}")
    assert main(["gazetteer", "import", str(_office_csv(tmp_path))]) == 0  # migrates the new database
    with session_scope(get_engine()) as s:
        s.query(CaseRow).delete()
    engine = get_engine()
    intake.import_register(engine, _register(("K3", "漳州市胜利西路123号")), filename="r.csv", today=TODAY)
    with session_scope(engine) as s:
        s.execute(CaseRow.__table__.update().values(county="", county_code="", precision="none", lon=None,
                                                    lat=None, point_source="", precision_km=None,
                                                    geocode_message="本单位地名库中也没有它"))
    capsys.readouterr()
    assert main(["gazetteer", "import", str(_office_csv(tmp_path))]) == 0
    assert "1 件未结案件已按新地名库重新定位（县区、乡镇、村、坐标和定位说明）" in capsys.readouterr().err
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow)).one()
        assert (row.county, row.precision, row.point_source) == ("芗城区", "county", "imported")
        assert "也没有它" not in row.geocode_message


def _office_csv(tmp_path):
    path = tmp_path / "本单位地名.csv"
    path.write_bytes(("名称,级别,县区,乡镇,经度,纬度\n" + "".join(
        f"{n},{ {'village': '村', 'road': '道路'}[lv]},{c},{t},{x},{y}\n" for n, lv, c, t, _v, x, y in PLACES
    )).encode("gbk"))
    return path
