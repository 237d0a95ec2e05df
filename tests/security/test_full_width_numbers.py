"""Walk D: a phone typed with full-width digits (１３８５９６１８８９９) inside a letter went out unmasked in the
register export (the pattern read ASCII digits only), and the 联系电话 cell was kept full-width."""

from __future__ import annotations

import datetime as dt
import io
import logging

from openpyxl import Workbook
from sqlalchemy import select

from planner.intake.identity import id_check_digit
from planner.intake.register import import_register
from planner.office.logs import MaskingFilter, looks_personal, mask_personal_text
from planner.office.privacy import field_text, half_width, mask_free_text
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow

FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ID = "35062319800101123" + id_check_digit("35062319800101123")
TEXT = f"请打我电话{'13859618899'.translate(FW)}，或者打我儿子电话13906967788，身份证{ID.translate(FW)}，" \
       f"座机（{'0596'.translate(FW)}）{'1234567'.translate(FW)}。"


def test_full_width_numbers_in_text_are_masked_like_ascii_ones() -> None:
    shown = mask_free_text(TEXT)
    assert "138****8899" in shown and "139****7788" in shown and "[身份证号已隐去]" in shown
    assert not any(d in shown for d in ("8599", "5961", "0101", "１３８", "１２３４"))
    field = field_text(TEXT)
    assert field.count("[电话已隐去]") == 3 and "8899" not in field and "4567" not in field
    logged = mask_personal_text(TEXT)
    assert logged.count("[电话已隐藏]") == 3 and "[身份证号已隐藏]" in logged
    assert looks_personal("电话" + "13859618899".translate(FW))
    assert half_width("１２３＋－　ｘ") == "123+- x"


def test_the_log_filter_masks_a_full_width_phone(caplog) -> None:
    log = logging.getLogger("xiafang.test.fullwidth")
    with caplog.at_level(logging.INFO, logger=log.name):
        caplog.handler.addFilter(MaskingFilter())
        log.info("来电 %s", "13859618899".translate(FW))
    assert "８８９９" not in caplog.text and "[电话已隐藏]" in caplog.text


def test_a_full_width_phone_and_id_cell_are_stored_as_the_numbers_they_are(engine) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "联系电话", "身份证号", "地址", "反映内容"])
    ws.append(["FW-1", dt.date(2026, 11, 3), "林某某", "13859618899".translate(FW), ID.translate(FW),
               "平和县坂仔镇心田村", TEXT])
    buf = io.BytesIO()
    wb.save(buf)
    summary = import_register(engine, buf.getvalue(), filename="全角.xlsx", today=dt.date(2026, 12, 3))
    assert summary.imported == 1
    assert not [i for i in summary.issues if i.column in ("联系电话", "petitioner_phone")], summary.issues
    with session_scope(engine) as s:
        row = s.scalars(select(PetitionerRow).join(CaseRow).where(CaseRow.case_no == "FW-1")).one()
        assert (row.phone, row.id_number) == ("13859618899", ID)


def test_a_refusal_is_logged_in_one_line_without_its_traceback(caplog) -> None:
    """Walk E: each refused download (account stopped) wrote a 30-line Python traceback through Streamlit's logger.
    A user-facing refusal or mistake is logged as one line; a programming error keeps its traceback."""
    from planner.errors import PermissionDenied

    log = logging.getLogger("xiafang.test.refusal")
    with caplog.at_level(logging.INFO, logger=log.name):
        caplog.handler.addFilter(MaskingFilter())
        try:
            raise PermissionDenied("账户 'off1' 已停用，不能下载（电话13859618899）")
        except PermissionDenied:
            log.exception("Error executing deferred callable for file_id %s", "abc")
        try:
            raise KeyError("boom")
        except KeyError:
            log.exception("unexpected")
    refused, crashed = caplog.records
    assert refused.exc_info is None and "Traceback" not in caplog.text.split("unexpected")[0]
    assert "PermissionDenied: 账户 'off1' 已停用" in refused.getMessage() and "8899" not in refused.getMessage()
    assert crashed.exc_info is not None and "KeyError" in caplog.text
