"""People and money named in a letter: reported persons (村支书王某某, 站长李明) and amounts in yuan (2.3万元, 三千元).

Split from :mod:`planner.analysis.textmine`, which re-exports both functions (and ``normalise``) and uses them in
``mine``.
"""

from __future__ import annotations

import re

_FULLWIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF5B)} | {"\u3000": " "})


def normalise(text: str) -> str:
    """Full-width digits/letters to ASCII, whitespace collapsed (:mod:`planner.analysis.textmine` re-exports it)."""
    return re.sub(r"\s+", " ", str(text or "").translate(_FULLWIDTH)).strip()


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤庄蓝柯欧卓戴骆翁洪游涂颜"
)
_TITLES = (
    "村支书|党支部书记|支部书记|支书|书记|村主任|村委会主任|主任|村长|副镇长|镇长|副乡长|乡长|站长|副站长|所长|副所长|局长|副局长"
    "|会计|出纳|报账员|组长|文书|委员|经理|老板|院长|校长|队长|科长|股长|干部|网格员|护林员"
)
_PERSON_RE = re.compile(
    rf"(?:({_TITLES}))?([{_SURNAMES}](?:某某|某|[XＸx×＊*]{{1,2}}))"
    rf"|({_TITLES})([{_SURNAMES}][\u4e00-\u9fa5]{{1,2}}?)(?=[，,。；;、（(\s]|等|利用|伙同|违规|私自|擅自|收取|侵占|挪用|贪污|索要|在|向|的)"
)
# Words that follow a title like a name would (干部向农户, 书记李村民) but are people in general.
_NOT_NAMES = frozenset("向农户 向群众 向村民 向林农 向老人 向居民 向业主 向商户 向学生 向家长 于群众 于村民".split())
_AMOUNT_RE = re.compile(r"(\d+(?:[.,]\d+)*(?:\.\d+)?)\s*(亿元|万余元|万多元|万元|余元|多元|元|万)")
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_AMOUNT_RE = re.compile(r"([一二两三四五六七八九十百千]+)(万余元|万多元|万元|余元|多元|元)")


def extract_persons(text: str) -> tuple[str, ...]:
    """Reported persons written as 村支书王某某, 张某, 站长李明 ...; titles kept, order of first mention."""
    out: list[str] = []
    for m in _PERSON_RE.finditer(normalise(text)):
        if m.group(4) in _NOT_NAMES:
            continue  # 干部向农户索要: 向 is a surname, 农户 is not a name
        person = "".join(g for g in m.groups() if g)
        if person not in out:
            out.append(person)
    return tuple(out)


def _zh_number(text: str) -> int:
    total, cur = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            cur = _ZH_DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (cur or 1) * unit
            cur = 0
    return total + cur


def extract_amounts(text: str) -> tuple[float, ...]:
    """Money amounts in yuan (``300元`` -> 300.0, ``2.3万元`` -> 23000.0, ``三千元`` -> 3000.0)."""
    out: list[float] = []
    text = normalise(text)
    for m in _AMOUNT_RE.finditer(text):
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            continue
        unit = m.group(2)
        value *= 1e8 if unit.startswith("亿") else 1e4 if unit.startswith("万") else 1.0
        out.append(round(value, 2))
    for m in _ZH_AMOUNT_RE.finditer(text):
        value = float(_zh_number(m.group(1)))
        out.append(value * (1e4 if m.group(2).startswith("万") else 1.0))
    return tuple(out)
