"""被反映单位/人 cells and columns as registers write them (walk, L6 and L11)."""

from __future__ import annotations

import datetime as dt

from planner.intake.columns import detect_mapping
from planner.intake.register import read_register
from planner.intake.rows import split_reported

TODAY = dt.date(2026, 12, 1)


def test_a_slash_splits_two_names_or_units_but_not_markup() -> None:
    assert split_reported("<script>alert(1)</script>") == ([], ["<script>alert(1)</script>"])
    assert split_reported("王某/李某") == (["王某", "李某"], [])
    assert split_reported("山格镇林业站/林某某（站长）") == (["林某某（站长）"], ["山格镇林业站"])
    assert split_reported("A/B") == ([], ["A/B"])


def test_a_slash_in_a_reported_person_column_is_kept_when_it_is_not_two_names() -> None:
    data = ("编号,收件日期,被反映人,反映内容\n"
            "X-1,2026-10-01,<script>alert(1)</script>,反映问题\n"
            "X-2,2026-10-01,王某/李某,反映问题\n").encode()
    rows = read_register(data, filename="r.csv", today=TODAY).rows
    assert rows[0].values["reported_persons"] == ["<script>alert(1)</script>"]
    assert rows[1].values["reported_persons"] == ["王某", "李某"]


def test_a_bare_unit_column_beside_a_reported_person_column_is_the_reported_unit() -> None:
    headers = ["编号", "收件日期", "举报人", "电话", "被举报对象", "单位", "县区", "详细地址", "主要问题"]
    mapping = detect_mapping(headers)
    assert mapping["reported"] == "被举报对象"
    assert mapping["reported_units"] == "单位"
    assert detect_mapping(["编号", "被反映人", "单位", "反映内容"])["reported_units"] == "单位"
    # A register with its own 被反映单位 keeps it, and 单位 alone (no reported column) is not guessed.
    assert detect_mapping(["被反映人", "被反映单位", "单位"])["reported_units"] == "被反映单位"
    assert "reported_units" not in detect_mapping(["编号", "信访人", "单位", "反映内容"])


def test_the_county_register_keeps_person_and_unit_apart() -> None:
    data = ("编号,收件日期,举报人,电话,被举报对象,单位,县区,详细地址,主要问题\n"
            "S-001,2026/8/5,张美珠,13959612345,陈建国,坂仔镇心田村委会,平和县,平和县坂仔镇心田村,村里收取保证金\n"
            ).encode("gbk")
    preview = read_register(data, filename="register2_gbk.csv", today=TODAY)
    row = preview.rows[0]
    assert row.values["reported_persons"] == ["陈建国"]
    assert row.values["reported_units"] == ["坂仔镇心田村委会"]
    assert "单位" not in row.values["extra_fields"]
    assert "单位" not in preview.unmapped_headers()


def test_a_post_and_a_name_parted_by_a_space_are_a_person_of_that_unit() -> None:
    """Walk C: "土田村党支部书记 赖木生" was kept as one unit with no person, so letters naming 赖木生 never
    shared him."""
    assert split_reported("土田村党支部书记 赖木生") == (["赖木生（土田村党支部书记）"], ["土田村党支部"])
    assert split_reported("山格镇林业站 林某") == (["林某（山格镇林业站）"], ["山格镇林业站"])
    assert split_reported("村主任 张三") == (["张三（村主任）"], [])
    assert split_reported("林建国 陈明") == (["林建国", "陈明"], [])
    assert split_reported("福建闽南某建设工程有限公司") == ([], ["福建闽南某建设工程有限公司"])


def test_a_unit_and_post_column_is_the_reported_unit() -> None:
    """Walk C: the register's 单位职务 (the reported person's unit and post) was kept only as an extra column, so the
    高标准农田 letters about one contractor in three counties shared no unit."""
    data = ("编号,收件日期,被反映人,单位职务,反映内容\n"
            "D-1,2026-10-01,郑某,福建闽南某建设工程有限公司,高标准农田工程偷工减料\n"
            "D-2,2026-10-02,林某,山格镇党委书记,反映问题\n").encode()
    preview = read_register(data, filename="r.csv", today=TODAY)
    assert [r.values["reported_units"] for r in preview.rows] == [["福建闽南某建设工程有限公司"], ["山格镇党委"]]
    assert "单位职务" not in preview.unmapped_headers()
