"""Walk E: the same named writer with the same phone about the same matter is one repeat chain even when one letter
lacks the ID number (张阿福's 0048 stood alone on the officer's sheet); nothing is linked by what is missing."""

from __future__ import annotations

import pytest

from planner.analysis.writers import writer_keys
from planner.domain import Petitioner
from planner.intake.register import import_register
from planner.store.cases import field_case_details, load_cases
from planner.store.clusters import recluster
from planner.store.database import session_scope
from tests.test_walk_e_repeats import _ID, ZHANG, _register

ZHANG_0048 = ("ZZXF-2026-0048", "2026-10-06", "张阿福", "13850655678", "", "南胜法华村",
              "山林纠纷的问题镇里还是不处理，林权证上的四至写得不清楚，请领导下来看看。", "重复件")
FULL = Petitioner("张阿福", "138 5065 5678", _ID)


def test_a_letter_without_the_id_number_takes_the_key_of_the_same_named_writer_and_phone() -> None:
    keys = writer_keys({"A": FULL, "B": Petitioner("张阿福", "13850655678"), "C": Petitioner("张阿福", "13850655679")})
    assert keys["A"] == keys["B"] == FULL.key() and keys["C"] == Petitioner("张阿福", "13850655679").key()


@pytest.mark.parametrize("writer", [Petitioner("", "13850655678"), Petitioner("匿名", "13850655678"),
                                    Petitioner("张阿福", ""), Petitioner("张阿福", "5678"), Petitioner()],
                         ids=["no name", "anonymous", "no phone", "no real phone", "nothing"])
def test_nothing_is_linked_by_what_is_missing(writer: Petitioner) -> None:
    assert writer_keys({"A": FULL, "B": writer})["B"] == writer.key()


def test_two_id_numbers_behind_one_name_and_phone_link_neither() -> None:
    other = Petitioner("张阿福", "13850655678", "350628198001011234")
    alone = Petitioner("张阿福", "13850655678")
    assert writer_keys({"A": FULL, "B": other, "C": alone})["C"] == alone.key()


def test_the_letter_without_the_id_number_joins_its_writers_chain_on_the_sheets(engine) -> None:
    import_register(engine, _register([*ZHANG[:2], ZHANG_0048, ZHANG[2]]), filename="重复件.xlsx", who="test")
    with session_scope(engine) as s:
        result = recluster(s, load_cases(s))
        s.commit()
    (chain,) = [c for c in result.repeats if "ZZXF-2026-0046" in c.case_nos]
    assert chain.case_nos == ("ZZXF-2026-0046", "ZZXF-2026-0047", "ZZXF-2026-0048", "ZZXF-2026-0049")
    assert result.repeat_of["ZZXF-2026-0048"] == "ZZXF-2026-0046"
    with session_scope(engine) as s:
        details = field_case_details(s, ["ZZXF-2026-0046"])
        stored = {c.case_no: c.petitioner_key for c in load_cases(s)}
    assert details["ZZXF-2026-0046"]["repeats"] == "ZZXF-2026-0047、ZZXF-2026-0048、ZZXF-2026-0049"
    assert stored["ZZXF-2026-0048"] != stored["ZZXF-2026-0046"]  # the stored keys stay as imported
