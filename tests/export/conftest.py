"""Export test fixtures: the Zhangzhou plan (6-stop 平和 day with a lunch break, a hostile 南靖 day)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.field import build_itinerary, itineraries, load_document

PLAN_PATH = Path(__file__).resolve().parents[1] / "data" / "plan_zhangzhou.json"
HOSTILE_SCRIPT = '<script>alert("x")</script>'
HOSTILE_FORMULA = '=HYPERLINK("http://evil.example/","点我")'


@pytest.fixture(scope="session")
def raw_plan() -> dict:
    """plan.json as parsed JSON: the expected values come from here, not from the code under test."""
    return json.loads(PLAN_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def doc():
    """The fixture plan read through the plan.json contract."""
    return load_document(PLAN_PATH)


@pytest.fixture(scope="session")
def day(doc):
    """Team T1 on 2026-12-07: six stops in 平和县, lunch break between stop 3 and 4."""
    return build_itinerary(doc, "T1", "2026-12-07")


@pytest.fixture(scope="session")
def hostile_day(doc):
    """Team T2 on 2026-12-07: case texts carry <script> and =HYPERLINK(...) payloads."""
    return build_itinerary(doc, "T2", "2026-12-07")


@pytest.fixture(scope="session")
def all_days(doc):
    """Every team-day of the plan (3)."""
    return itineraries(doc)


def expected_route(raw_plan: dict, team: str, date: str) -> dict:
    """The raw route of a team-day from plan.json."""
    return next(r for r in raw_plan["routes"] if r["team"] == team and r["date"] == date)
