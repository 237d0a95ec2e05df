"""Issue 13.7: a name, phone and ID number written inside 反映内容 reach no field-packet format and no plan.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from planner.domain import Petitioner
from planner.field import FORMATS, SINGLE_DAY, itineraries, load_document, render, unassigned_rows
from planner.intake.register import import_register
from planner.office.security import Actor
from planner.store.cases import field_case_details
from planner.store.database import session_scope

from .harness import texts

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"
NAME, PHONE, ID_NO = "庄淑贞", "13959612345", "35060219580704525X"
# Written the way people write them in a letter: spaced phone, the ID near the start so a 60-character summary
# would cut it in half.
CONTENT = (f"我是{NAME}，身份证{ID_NO}，电话 139 5961 2345，家中座机 0596-2612345。{NAME}反映村集体收取桉树"
           "砍伐保证金后拒不退还，涉及农户三十余户，请纪委派人下来核实。")
NEEDLES = (NAME, PHONE, "139 5961 2345", "2612345", ID_NO, ID_NO[:10])


def _register(case_nos: list[str]) -> bytes:
    rows = list(csv.reader((ROOT / "tests/data/registers/normal_utf8.csv").open(encoding="utf-8")))
    head, body = rows[0], rows[1 : 1 + len(case_nos)]
    for r, no in zip(body, case_nos, strict=True):
        r[head.index("编号")] = no
        r[head.index("信访人")] = NAME
        r[head.index("联系电话")] = PHONE
        r[head.index("身份证号")] = ID_NO
        r[head.index("反映内容")] = CONTENT
        r[head.index("地址")] = f"平和县山格镇隆庆村（{NAME}家，电话{PHONE}）"
    buf = io.StringIO()
    csv.writer(buf).writerows([head, *body])
    return buf.getvalue().encode("utf-8")


@pytest.fixture()
def plan_doc(engine) -> dict:
    d = json.loads(PLAN.read_text(encoding="utf-8"))
    nos = list(d["cases"])[:3]
    import_register(engine, _register(nos), filename="letters.csv", who="t")
    with session_scope(engine) as s:
        d["cases"].update(field_case_details(s, nos))
    return d


def _found(name: str, data: bytes) -> list[str]:
    return [f"{member}: {n}" for member, text, _raw in texts(name, data) for n in NEEDLES if n in text]


def test_plan_json_carries_no_identity_from_the_text(plan_doc) -> None:
    text = json.dumps(plan_doc, ensure_ascii=False)
    assert [n for n in NEEDLES if n in text] == []
    assert "反映村集体" in text and "[身份证号已隐去]" in text  # the matter is still there


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("actor", [Actor("off", "officer", ("T1",)), Actor("lead", "leader", ("T1",), True)])
def test_every_field_packet_format_masks_identity_in_the_text(plan_doc, fmt: str, actor: Actor) -> None:
    doc = load_document(plan_doc)
    its = itineraries(doc, petitioners={}, actor=actor)
    if fmt in SINGLE_DAY:
        its = its[:1]
    data = render(fmt, its, unassigned=unassigned_rows(doc))
    assert _found(f"x.{FORMATS[fmt][0]}", data) == []


@pytest.mark.parametrize("fmt", ["xlsx", "ics", "geojson"])
def test_an_old_plan_json_with_raw_text_still_never_prints_id_numbers(fmt: str) -> None:
    d = json.loads(PLAN.read_text(encoding="utf-8"))
    for case in d["cases"].values():
        case["summary"] = CONTENT
    doc = load_document(d)
    its = itineraries(doc, petitioners={no: Petitioner(NAME, PHONE, ID_NO) for no in d["cases"]},
                      actor=Actor("off", "officer", ("T1",)))
    data = render(fmt, its, unassigned=unassigned_rows(doc))
    found = _found(f"x.{FORMATS[fmt][0]}", data)
    assert not [f for f in found if ID_NO[:10] in f or PHONE in f or "2612345" in f]
