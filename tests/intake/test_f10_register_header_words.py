"""Walk W18: a county register headed 举报事项 and 来电号码 was not read — 反映内容 was missing (every row refused until
mapped by hand) and the petitioner's phone stayed an unnamed column of the register."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.intake import register as ingest
from planner.intake.columns import detect_mapping


@pytest.mark.parametrize(("header", "field"), [
    ("举报事项", "content"), ("投诉事项", "content"), ("来访事项", "content"), ("问题描述", "content"),
    ("来电号码", "petitioner_phone"), ("来电号", "petitioner_phone"),
    ("联络方式", "petitioner_phone"), ("来电人", "petitioner_name"), ("投诉人", "petitioner_name"),
    ("检举人", "petitioner_name"), ("来电时间", "received_date"),
])
def test_common_register_headers_name_their_field(header: str, field: str) -> None:
    assert detect_mapping([header]).get(field) == header


def test_the_walkers_register_is_read_whole_and_nearby_headers_keep_their_field() -> None:
    headers = ["登记号", "收信日期", "来信人", "来电号码", "被举报对象", "举报事项", "问题发生地", "转办时限"]
    assert detect_mapping(headers) == {
        "case_no": "登记号", "received_date": "收信日期", "petitioner_name": "来信人", "petitioner_phone": "来电号码",
        "reported": "被举报对象", "content": "举报事项", "address": "问题发生地"}  # 转办时限: the office's own column
    # The new words do not take the other side's or the category's headers.
    assert detect_mapping(["被投诉人", "举报事项类别", "投诉人电话"]) == {
        "reported_persons": "被投诉人", "category": "举报事项类别", "petitioner_phone": "投诉人电话"}


def test_hotline_register_reads_words_and_phone(engine) -> None:
    data = "\n".join([
        "登记号,收信日期,来信人,来电号码,被举报对象,举报事项,问题发生地",
        "ZT-1,2026-11-10,林秀英,13906951234,某村会计,反映村会计虚报低保对象。,漳浦县旧镇镇前进村",
    ]).encode("utf-8")
    preview = ingest.read_register(data, filename="明细.csv", today=dt.date(2026, 12, 7))
    assert preview.mapping["content"] == "举报事项" and preview.mapping["petitioner_phone"] == "来电号码"
    assert preview.valid_rows == 1
    row = preview.rows[0]
    assert row.petitioner.phone == "13906951234" and "来电号码" not in row.values["extra_fields"]
    assert "13906951234" not in str(preview.sample())  # a personal column: masked in the preview
