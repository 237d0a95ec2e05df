"""Demo register: realistic, deterministic, with the eucalyptus story, repeats and a truth file; embedded default."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import geodata
from planner.domain import Petitioner
from planner.errors import InputError
from planner.intake.demo import (
    COUNTY_POPULATION,
    REGISTER_HEADERS,
    generate_letters,
    register_xlsx_bytes,
    write_demo,
)
from planner.intake.demo_seed import load_demo_if_empty
from planner.intake.identity import id_number_valid
from planner.store.models import CaseRow, PetitionerRow, TeamRow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def letters():
    return generate_letters(seed=7, letters=600)


def test_cli_writes_register_and_truth_byte_identical(tmp_path: Path) -> None:
    outs = []
    for run in ("a", "b"):
        reg, truth = tmp_path / f"r{run}.xlsx", tmp_path / f"t{run}.csv"
        proc = subprocess.run(
            [sys.executable, "-m", "planner", "demo-data", "--seed", "7", "--letters", "600", "--out", str(reg),
             "--truth", str(truth)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outs.append((reg.read_bytes(), truth.read_bytes()))
    assert outs[0] == outs[1]
    ws = load_workbook(io.BytesIO(outs[0][0]), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header_idx = next(i for i, r in enumerate(rows) if r[0] == "编号")
    assert tuple(rows[header_idx]) == REGISTER_HEADERS
    assert len([r for r in rows[header_idx + 1:] if r[0]]) == 600
    truth = list(csv.DictReader(io.StringIO(outs[0][1].decode())))
    assert list(truth[0]) == ["id", "issue", "repeat_of"]
    assert len(truth) == 600


def test_other_seed_gives_other_register() -> None:
    assert register_xlsx_bytes(generate_letters(1, 30)) != register_xlsx_bytes(generate_letters(2, 30))


def test_cli_rejects_bad_output(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.xlsx 或 \.csv"):
        write_demo(tmp_path / "x.pdf", letters=5)
    with pytest.raises(InputError, match="演示信件数"):
        generate_letters(7, 0)


def test_all_counties_roughly_by_population(letters) -> None:
    counts = Counter(x.county_code for x in letters)
    assert set(counts) == set(COUNTY_POPULATION)
    # The most populous counties send more letters than the smallest.
    assert counts["350604"] > counts["350629"]
    assert counts["350623"] > counts["350626"]


def test_places_are_real_towns_and_villages(letters) -> None:
    village_names = {(v.county_code, v.name) for v in geodata.villages()}
    town_names = {t.name for t in geodata.towns()}
    for x in letters:
        assert any(t in x.address for t in town_names), x.address
    # Every address ends in (or contains) a real village of its county.
    real = sum(1 for x in letters if any(name in x.address for code, name in village_names if code == x.county_code))
    assert real >= 0.98 * len(letters)


def test_addresses_vary_like_real_registers(letters) -> None:
    addresses = [x.address for x in letters]
    assert any(a.startswith("龙海市") or "漳州市龙海市" in a for a in addresses)
    assert any("长泰县" in a for a in addresses)
    assert any(a.startswith("福建省漳州市") for a in addresses)
    assert sum(not any(c.name in a or c.short in a for c in geodata.counties()) for a in addresses) >= 10


def test_coordinates_some_gcj02_inside_zhangzhou(letters) -> None:
    from geodata.datum import to_wgs84

    with_point = [x for x in letters if x.lon is not None]
    assert 0.08 * len(letters) < len(with_point) < 0.3 * len(letters)
    gcj = [x for x in with_point if x.datum_label in ("GCJ-02", "高德", "GCJ02")]
    assert len(gcj) >= 10
    same = 0
    for x in with_point:
        lon, lat = to_wgs84(x.lon, x.lat, "gcj02" if x in gcj else "wgs84")
        town = next(t for t in geodata.towns() if t.county_code == x.county_code and t.name in x.address)
        # Within about a kilometre of the town seat once converted back to WGS-84.
        assert abs(lon - town.lon) < 0.01 and abs(lat - town.lat) < 0.01
        same += geodata.county_at(lon, lat).code == x.county_code
    assert same >= 0.9 * len(with_point)


def test_categories_dates_and_deadlines(letters) -> None:
    cats = Counter(x.category for x in letters)
    for c in ("林业", "扶贫资金", "征地拆迁", "低保", "村务财务", "工程建设", "环境", "干部作风"):
        assert cats[c] >= 10, c
    dates = [x.received_date for x in letters]
    assert (max(dates) - min(dates)).days > 300
    assert dates == sorted(dates)
    assert all(60 <= (x.deadline - x.received_date).days <= 90 for x in letters)
    assert len({x.content for x in letters}) >= 0.95 * len(letters)


def test_eucalyptus_story_in_four_counties(letters) -> None:
    euca = [x for x in letters if "桉树" in x.content]
    assert len(euca) >= 8
    assert {x.county_code for x in euca} == {"350628", "350627", "350629", "350605"}
    assert len({x.issue for x in euca}) == 1
    assert all(x.category == "林业" for x in euca)
    assert any("土田村" in x.address for x in euca)
    others = [x for x in letters if x.issue == euca[0].issue]
    assert others == euca


def test_repeat_chains_share_petitioner_and_issue(letters) -> None:
    by_id = {x.case_no: x for x in letters}
    repeats = [x for x in letters if x.repeat_of]
    assert len(repeats) >= 10
    for x in repeats:
        first = by_id[x.repeat_of]
        assert not first.repeat_of
        assert first.issue == x.issue
        assert Petitioner(x.name, x.phone, x.id_number).key() == Petitioner(first.name, first.phone,
                                                                          first.id_number).key() != ""
        assert (x.received_date - first.received_date).days >= 14
        assert x.content != first.content
    # Several matters raised from several places (besides the eucalyptus one).
    multi = [issue for issue, n in Counter(x.issue for x in letters if not x.repeat_of).items() if n >= 3]
    assert len(multi) >= 4


def test_fake_personal_data_is_well_formed(letters) -> None:
    ids = [x.id_number for x in letters if x.id_number]
    assert len(ids) > 100
    assert all(id_number_valid(i) for i in ids)
    phones = [x.phone for x in letters if x.phone]
    assert all(len(p) == 11 and p[0] == "1" and p[1] in "358" for p in phones)
    assert any(x.name == "匿名" for x in letters)


def test_load_demo_if_empty_loads_once(engine) -> None:
    assert load_demo_if_empty(engine, letters=80) is True
    assert load_demo_if_empty(engine, letters=80) is False
    from planner.store.database import session_scope

    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(CaseRow)).scalar_one() == 80
        assert s.execute(select(func.count()).select_from(PetitionerRow)).scalar_one() > 30
        teams = s.scalars(select(TeamRow).order_by(TeamRow.id)).all()
        assert [t.id for t in teams] == ["T1", "T2", "T3", "T4", "T5"]
        base_names = {b.name for b in geodata.bases()}
        assert all(t.base_name in base_names and t.members for t in teams)
        counties = {c for (c,) in s.execute(select(CaseRow.county_code).distinct())}
        assert len(counties) >= 10


def test_load_demo_concurrently_is_idempotent(engine) -> None:
    results: list[bool] = []
    errors: list[BaseException] = []

    def go() -> None:
        try:
            results.append(load_demo_if_empty(engine, letters=60))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [False, False, True]
    from planner.store.database import session_scope

    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(CaseRow)).scalar_one() == 60
        assert s.execute(select(func.count()).select_from(TeamRow)).scalar_one() == 5
