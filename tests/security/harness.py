"""Leak and payload harness: run every export format for every role, read back all text, count leaks and live payloads.

Used by the tests in this folder and by ``benchmarks/security_report.py``.
"""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.domain import Petitioner
from planner.errors import InputError, PermissionDenied
from planner.office.security import ROLES, Actor

from .seed import FORMULA_PAYLOADS, PETITIONERS, XSS_PAYLOADS, find_leaks

PLAN_JSON = Path(__file__).resolve().parents[1] / "data" / "plan_zhangzhou.json"
IDENTITIES = list(PETITIONERS.values())
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")
# Markup that would run if it reached an HTML/KML renderer unescaped.
_LIVE_MARKUP = re.compile(
    r"<\s*(script|img|svg|iframe|object|embed)\b|<[^>]*\bon[a-z]+\s*=|href\s*=\s*[\"']?\s*javascript:", re.I
)


def hostile_plan() -> dict:
    """The test plan with hostile text in every user-controlled field (cases, visit labels, teams, members)."""
    d = copy.deepcopy(json.loads(PLAN_JSON.read_text(encoding="utf-8")))
    mix = XSS_PAYLOADS + FORMULA_PAYLOADS
    for i, case in enumerate(d["cases"].values()):
        case["summary"] = mix[i % len(mix)] + " 桉树砍伐保证金 " + mix[(i + 3) % len(mix)]
        case["address"] = XSS_PAYLOADS[i % len(XSS_PAYLOADS)]
        case["category"] = FORMULA_PAYLOADS[i % len(FORMULA_PAYLOADS)]
        case["village"] = XSS_PAYLOADS[(i + 1) % len(XSS_PAYLOADS)]
    for i, visit in enumerate(d["visits"]):
        visit["label"] = mix[(i + 5) % len(mix)]
    for i, team in enumerate(d["teams"]):
        team["name"] = f"{FORMULA_PAYLOADS[i % len(FORMULA_PAYLOADS)]}{XSS_PAYLOADS[i % len(XSS_PAYLOADS)]}"
        team["base_name"] = XSS_PAYLOADS[(i + 2) % len(XSS_PAYLOADS)]
        for j, m in enumerate(team["members"]):
            m["name"] = FORMULA_PAYLOADS[(i + j) % len(FORMULA_PAYLOADS)] + XSS_PAYLOADS[(i + j) % len(XSS_PAYLOADS)]
    return d


def plan_petitioners(doc_dict: dict) -> dict[str, Petitioner]:
    """Every case of the plan gets one of the seeded identities."""
    return {no: IDENTITIES[i % len(IDENTITIES)] for i, no in enumerate(doc_dict["cases"])}


def role_actors() -> list[Actor]:
    """One actor per role, and for roles that may be granted it, one with the unmask right too."""
    out = []
    for role in ROLES:
        out.append(Actor(f"t_{role}", role, ("T1",)))
        if role != "officer":
            out.append(Actor(f"t_{role}_u", role, ("T1",), can_unmask=True))
    return out


# --- reading outputs back as text ------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _normalise(raw: str) -> str:
    """Undo the encodings an output may use, so a needle is found however it was written."""
    text = raw.replace("\r\n ", "").replace("\n ", "")  # iCalendar line folding
    text = text.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    text = html.unescape(text)
    try:
        text += "\n" + json.dumps(json.loads(raw), ensure_ascii=False)
    except ValueError:
        pass
    # \uXXXX escapes inside scripts
    text += "\n" + re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), raw)
    return text


def texts(name: str, data: bytes) -> Iterator[tuple[str, str, bytes]]:
    """``(member name, readable text, raw bytes)`` of a file and, recursively, of every file inside a zip."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for member in zf.namelist():
                yield from texts(f"{name}/{member}", zf.read(member))
        return
    if data[:5] == b"%PDF-":
        yield name, _pdf_text(data), data
        return
    raw = data.decode("utf-8", errors="replace")
    yield name, _normalise(raw), data


def leaks_in(name: str, data: bytes) -> list[str]:
    """Identity needles (names, phones, ID numbers of the seeded petitioners) found anywhere in an output."""
    found = []
    for member, text, _raw in texts(name, data):
        found += [f"{member}: {n}" for n in find_leaks(text)]
    return found


def id_numbers_in(name: str, data: bytes) -> list[str]:
    """ID numbers found (never allowed, even in an unmasked field sheet)."""
    found = []
    for member, text, _raw in texts(name, data):
        found += [f"{member}: {p.id_number}" for p in IDENTITIES if p.id_number in text]
    return found


def _xlsx_live_cells(data: bytes) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    live = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)):
                    live.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
    return live


def _csv_live_cells(text: str) -> list[str]:
    return [f"csv:{v!r}" for row in csv.reader(io.StringIO(text)) for v in row if v.startswith(FORMULA_START)]


def _html_rendered_xml_texts(data: bytes) -> list[str]:
    """Texts of XML elements that viewers render as HTML (KML ``description``, balloon ``text``)."""
    root = ET.fromstring(data)  # raises when a payload broke the document
    return [el.text for el in root.iter() if el.text and el.tag.rsplit("}", 1)[-1] in {"description", "text"}]


def live_payloads(name: str, data: bytes) -> list[str]:
    """Payloads that would execute: unescaped markup in HTML/KML/GPX, formulas in Excel/CSV cells."""
    live: list[str] = []
    if data[:4] == b"PK\x03\x04" and not name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for member in zf.namelist():
                live += live_payloads(f"{name}/{member}", zf.read(member))
        return live
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return [f"{name}: {c}" for c in _xlsx_live_cells(data)]
    if lower.endswith(".csv"):
        return [f"{name}: {c}" for c in _csv_live_cells(data.decode("utf-8-sig", errors="replace"))]
    if lower.endswith((".html", ".htm")):
        raw = data.decode("utf-8", errors="replace")
        # The template's own <script> tags are fine; only the hostile ones count.
        for payload in XSS_PAYLOADS:
            if "<" in payload and payload in raw:
                live.append(f"{name}: {payload!r}")
        if re.search(r"href\s*=\s*[\"']?\s*javascript:", raw, re.I):
            live.append(f"{name}: javascript: link")
        return live
    if lower.endswith((".kml", ".gpx")):
        try:
            values = _html_rendered_xml_texts(data)
        except ET.ParseError as exc:
            return [f"{name}: payload broke the XML ({exc})"]
        if lower.endswith(".gpx"):
            return []  # GPX name/desc are plain text to GPS apps; well-formed XML is what matters
        # KML descriptions are rendered as HTML by Google Earth / 奥维: parsed text must hold no live markup.
        return [f"{name}: {v[:80]!r}" for v in values if _LIVE_MARKUP.search(v)]
    return live


# --- running every format for every role -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportResult:
    """One role × format × (masked/unmasked) export and what was found in it."""

    actor: Actor
    fmt: str
    unmask: bool
    refused: bool
    leaks: tuple[str, ...]
    id_numbers: tuple[str, ...]
    live: tuple[str, ...]
    audited: bool = False


def run_exports(
    session=None, *, formats: tuple[str, ...] | None = None, actors: list[Actor] | None = None
) -> list[ExportResult]:
    """Export the hostile plan in every format for every role, masked and unmasked.

    A masked export must contain no identity at all; an unmasked one is either refused (no permission) or
    allowed for a permitted user with an audit row, and never carries ID numbers.
    """
    from planner.field import FORMATS, SINGLE_DAY, itineraries, load_document, render, unassigned_rows

    raw = hostile_plan()
    doc = load_document(raw)
    people = plan_petitioners(raw)
    results = []
    for actor in actors or role_actors():
        for fmt in formats or tuple(FORMATS):
            for unmask in (False, True):
                kwargs = {"petitioners": people, "actor": actor, "unmask": unmask}
                if unmask:
                    kwargs.update(reason="核实情况需要联系信访人", session=session)
                audit_before = _audit_count(session)
                try:
                    its = itineraries(doc, **kwargs)
                    if fmt in SINGLE_DAY:
                        its = its[:1]
                    data = render(fmt, its, unassigned=unassigned_rows(doc))
                except (PermissionDenied, InputError):  # refused: no permission, or no session to audit in
                    results.append(ExportResult(actor, fmt, unmask, True, (), (), ()))
                    continue
                name = f"export.{FORMATS[fmt][0]}"
                leak = tuple(leaks_in(name, data))
                results.append(
                    ExportResult(
                        actor, fmt, unmask, False,
                        leaks=leak if not unmask or not actor.can("unmask") else (),
                        id_numbers=tuple(id_numbers_in(name, data)),
                        live=tuple(live_payloads(name, data)),
                        audited=_audit_count(session) > audit_before,
                    )
                )  # fmt: skip
    return results


def _audit_count(session) -> int:
    if session is None:
        return 0
    from sqlalchemy import func, select

    from planner.store.models import AuditRow

    return session.scalar(select(func.count()).select_from(AuditRow)) or 0
