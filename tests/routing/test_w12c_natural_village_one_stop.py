"""Walk W12b: 坂仔镇「东风村」and「东风自然村附近」were two stops of 12-08 at one point, 0 km apart. A natural village
the table lacks, written X自然村 (or X自然村附近), is the village X村 of its town: one stop with X村's letters, on 选件
and on a re-plan; a village of another name stays apart."""

from __future__ import annotations

import datetime as dt

from planner.domain import Location, PetitionCase, Precision
from planner.places.same_village import village_key
from planner.selection.ranking import build_visits

MONDAY = dt.date(2026, 12, 7)
BANZAI = (117.355, 24.43)


def _letter(no: str, address: str, village: str = "", code: str = "") -> PetitionCase:
    loc = Location(*BANZAI, county="平和县", county_code="350628", town="坂仔镇", town_code="350628104",
                   village=village, village_code=code, precision=Precision.VILLAGE if code else Precision.TOWN,
                   point_source="town_seat")
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 20), content="反映问题", address_text=address,
                        location=loc)


def test_w12c_a_natural_village_written_x_zirancun_is_one_stop_with_village_x() -> None:
    build = build_visits([_letter("0121", "平和县坂仔镇东风村", "东风村", "350628104203"),
                          _letter("0089", "平和县坂仔镇东风自然村附近"), _letter("0143", "平和县坂仔镇东风自然村"),
                          _letter("0265", "平和县坂仔镇东风村4组", "东风村", "350628104203")], today=MONDAY)
    assert [sorted(v.case_nos) for v in build.visits] == [["0089", "0121", "0143", "0265"]]
    # Another natural village of the town is another place; 东风 of the town is not 东山's.
    build = build_visits([_letter("0121", "平和县坂仔镇东风村", "东风村", "350628104203"),
                          _letter("0300", "平和县坂仔镇东山自然村")], today=MONDAY)
    assert sorted(v.case_nos for v in build.visits) == [("0121",), ("0300",)]


def test_w12c_a_natural_village_the_table_lacks_beside_its_unlisted_village_is_one_stop() -> None:
    build = build_visits([_letter("0401", "平和县坂仔镇新溪自然村附近"), _letter("0402", "平和县坂仔镇新溪村3组")],
                         today=MONDAY)
    assert [sorted(v.case_nos) for v in build.visits] == [["0401", "0402"]]


def test_w12c_the_replan_key_reads_x_zirancun_as_village_x() -> None:
    assert village_key("平和县", "坂仔镇", "", "平和县坂仔镇东风自然村附近") \
        == village_key("平和县", "坂仔镇", "东风村", "平和县坂仔镇东风村") == "平和县|坂仔镇|东风村"
    assert village_key("平和县", "坂仔镇", "", "平和县坂仔镇东山自然村") == "平和县|坂仔镇|东山村"
