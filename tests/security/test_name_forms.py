"""Walk E: a 信访人 cell holding more than the bare name (张三（村民代表）, 张三、李四, a name and a phone) was looked
for whole in the letter's text, so the name written there reached officers' screens and files; and 关联分析 showed
fragments of it (秘名, 人秘) among a group's shared words."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.analysis import Letter
from planner.office.privacy import field_text, mask_free_text, mask_name, name_forms, without_names
from planner.store import clusters as store
from planner.store.models import CaseRow, PetitionerRow


@pytest.mark.parametrize(("cell", "text"), [
    ("张美珠（村民代表）", "信访人张美珠反映"), ("郑国平、黄志强", "郑国平和黄志强一起反映"),
    ("林阿水 13600001111", "我林阿水实名举报"), ("秘名乔乜{{7*7}} ${7*7}", "信访人秘名乔乜电话"),
])
def test_every_name_a_cell_holds_is_masked_in_the_text(cell: str, text: str) -> None:
    names = [f for f in name_forms(cell) if f != cell]
    assert names
    shown = field_text(text, [cell])
    assert not any(n in shown for n in names) and "[姓名已隐去]" in shown
    assert not any(n in mask_free_text(text, [cell]) for n in names)
    assert not any(n in without_names(text, [cell]) for n in names)


def test_a_long_run_of_characters_is_no_name_and_a_masked_cell_hides_its_length() -> None:
    assert name_forms("某某村村民小组") == frozenset({"某某村村民小组"})  # not cut to a 6-character "name"
    assert mask_name("秘名乔乜{{7*7}} ${7*7}") == "秘***"
    assert mask_name("陈美") == "陈*" and mask_name("欧阳娜娜") == "欧***"


def test_the_analysis_of_related_letters_reads_no_petitioner_name(session) -> None:
    texts = {"N1": "信访人秘名乔乜反映：镇林业站收取桉树砍伐保证金每亩三百元不退。",
             "N2": "秘名乔乜再次反映，镇林业站收取的桉树砍伐保证金至今不退。"}
    for no, text in texts.items():
        case = CaseRow(case_no=no, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1), content=text,
                       county_code="350628", county="平和县", town="山格镇")
        session.add(case)
        session.flush()
        session.add(PetitionerRow(case_id=case.id, name="秘名乔乜{{7*7}}", phone="13905961003"))
    session.flush()
    from planner.store.cases import load_cases

    cases = load_cases(session)
    assert all("乔乜" not in t and "秘名" not in t for t in store.analysis_texts(session, cases))
    result = store.recluster(session, cases, save=False)
    assert result.issue_of["N1"] == result.issue_of["N2"]  # still one matter, by what the letters say
    issue = result.cluster(result.issue_of["N1"])
    said = [issue.label, *issue.key_terms, *result.explain("N1", "N2").reasons()]
    assert not any(frag in x for x in said for frag in ("秘名", "乔乜", "名乔", "人秘")), said
    assert all(isinstance(lt, Letter) for lt in result.letters)


def test_no_phone_id_number_or_web_address_reaches_a_groups_words() -> None:
    """Walk F: 关联分析's labels read "script、13905961000身份证、alert" (the segmenter glued a petitioner's phone to
    身份证) and explanations listed evil、example、http. The analysis reads letters without them, by every path."""
    from planner.analysis import analyse, update

    def letter(no: str, phone: str, day: int) -> Letter:
        return Letter(no, f"信访人电话{phone}身份证350602198504041003，见 http://evil.example/x。长泰区武安镇京元村"
                          "村干部挪用扶贫资金三万元。", dt.date(2026, 11, day), address="长泰区武安镇京元村")

    first = analyse([letter("P1", "13905961000", 2), letter("P2", "１３９０５９６１０１１", 3)])
    result = update(first, [letter("P3", "13905961021", 4)])
    for res in (first, result):
        for c in res.issues:
            words = " ".join([c.label, *c.key_terms])
            assert not any(x in words for x in ("1390596", "３５０", "350602", "http", "evil", "example")), words
    assert not any(x in " ".join(result.explain("P1", "P3").reasons()) for x in ("1390596", "http", "evil"))
    assert result.issue_of["P1"] == result.issue_of["P2"] == result.issue_of["P3"]  # still one matter


def test_a_cells_invisible_characters_make_no_name_of_the_words_around_them() -> None:
    """Walk F: the cell 秘名亨乨‮RTL文本‬ 零宽​字‍符﻿ made "零宽" a name, masked in an unrelated letter's text."""
    cell = "秘名亨乨\u202eRTL文本\u202c 零宽\u200b字\u200d符\ufeff"
    assert "零宽" not in name_forms(cell) and "秘名亨乨" in name_forms(cell)
    assert "零宽" in field_text("零宽度的字", [cell])


def test_direction_overrides_never_reach_a_summary() -> None:
    """Walk F: 关联分析's 待确认关联 and the offline map's popup still read ‮RTL文本‬ reversed (本文LTR): the summaries
    pages and files show come from field_text / mask_free_text, which now drop such characters."""
    text = "\u202eRTL文本\u202c 零宽\u200b字符"
    assert field_text(text) == "RTL文本 零宽字符" == mask_free_text(text)
