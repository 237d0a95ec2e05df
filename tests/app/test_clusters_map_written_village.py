"""AppTest: the 关联分析 map names a village a letter wrote that the village table lacks (漳浦县旧镇镇后江村), as
案件地图 does; before, its tooltip said only 漳浦县旧镇镇."""

from __future__ import annotations

import json
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest
from test_case_map_unmatched_village import HEADING, _located

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")


def test_the_cluster_map_names_the_village_the_letter_wrote(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    loc = _located("漳浦县旧镇镇后江村")
    for no, note in (("ZP-1", loc["geocode_message"]), ("ZP-2", "")):
        add_case(engine, no, county=loc["county"], county_code=loc["county_code"], town=loc["town"],
                 lon=loc["lon"], lat=loc["lat"], geocode_message=note,
                 content="旧镇镇林业站收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。")
    with session_scope(engine) as s:  # the estimate as the import stores it
        row = s.query(CaseRow).filter_by(case_no="ZP-1").one()
        row.point_source, row.precision, row.precision_km = loc["point_source"], loc["precision"], loc["precision_km"]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    result = at.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["ZP-1"] == result.issue_of["ZP-2"] == at.session_state[Key.SELECTED_CLUSTER]
    comp = next(el for el in at.get("component_instance") if "script" in el.proto.json_args)
    script = json.loads(comp.proto.json_args)["script"]
    assert HEADING in script
