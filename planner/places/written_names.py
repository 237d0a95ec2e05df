"""What the words around a place name say about it: where a written name ends, and whether it is the name.

Split from :mod:`planner.places.resolver` (which re-exports these names). A bare village name (白石) is read as the
village only where the written word ends with it: 云霄县白石头 and 火田镇大白石村 are not 白石村 (never guessed
silently; the resolver names the word written and asks for a check). ``matches`` are the resolver's ``_Match``
rows (``start``, ``end``, ``entry``), ``cuts`` where :func:`planner.places.normalise.breaks` found a space or mark.
"""

from __future__ import annotations

import re
from typing import Any

from planner.places.name_index import _ALTX, _BARE, _VILLAGE_SUFFIXES, _index

# Text right after a bare name that shows it names a road, a building or a school, not a place.
_NOT_PLACE_AFTER = (
    "路", "街", "道", "巷", "弄", "大道", "小区", "花园", "广场", "公园", "大厦", "中学", "小学", "学校",
    "医院", "卫生院", "市场", "工业", "开发", "农场", "林场", "水库", "宾馆", "酒店", "大桥", "站", "码头",
    "商场", "超市", "派出所", "法庭", "政府", "东路", "西路", "南路", "北路", "中路", "东街", "西街", "南街",
    "北街", "大街",
    # "漳浦县中西部", "东侧": a part or side of the place before, not a village named 中西.
    "部", "侧", "端",
    # "漳州建设公司": a firm named with a word that is also a town (建设乡 of 诏安), not that town.
    "公司", "集团", "有限", "工程", "银行", "协会", "商会", "贸易",
)
# ...except words that say "the town itself" (佛昙政府附近, 文峰街上) or "in that village" (坎顶小学旁):
# a school or elders' hall is named after its village, a government or market street after its town.
_TOWN_ITSELF_AFTER = ("政府", "街上", "圩")
_VILLAGE_ITSELF_AFTER = ("小学", "幼儿园", "老人会", "祠堂", "卫生所")

#: A village-like name written right after the town (新华村, 龙凤岗社区), with the words that only look like one.
_UNLISTED_VILLAGE = re.compile(r"([\u4e00-\u9fff]{2,5}?)(村委会|村|社区|居委会)")
_NOT_A_VILLAGE_HEAD = tuple("一某这那该本各每全哪附邻周农")
#: Words of a letter's sentence, not of a name: 莆美镇村民，反映村道 is not a village “村民反映村”.
_NOT_A_VILLAGE_WORDS = ("村民", "居民", "干部", "反映", "举报")
#: Words that may follow a bare village name and end it (白石附近, 白石的, 白石三组): where or who, not more name.
_BARE_END = (
    "附近", "后面", "旁边", "对面", "前面", "边上", "一带", "周边", "周围", "那边", "这边", "里面", "境内", "辖区",
    "村口", "路口", "门口", "自然村", "的", "人", "组", "社", "队", "片区", "地段", "靠近", "反映", "村民",
    "群众", "居民", "东边", "西边", "南边", "北边", "东面", "西面", "南面", "北面",
    # A shop or market named after the village it stands in (新安加油站, 山美菜市场).
    "加油站", "菜市场", "农贸市场", "商店", "小卖部",
)
_BARE_END_GROUP = re.compile(r"[一二三四五六七八九十]+[组社队]")
#: A road of the place written after its bare name (官园人民路279号): the name ends where the road's begins.
_ROAD_AFTER = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:大道|大街|路|街|巷)")
#: A hamlet of the village written after its bare name with the hamlet's marker: 上河尾厝社, 公子店顶社自然村.
_HAMLET = re.compile(r"[\u4e00-\u9fff]{2}(?:社|自然村|组)")


def _unlisted_village(s: str, at: int) -> str:
    """The village or community named right after the town that the village table does not hold, or ``""``.

    A register may name a natural village, a renamed or merged one, or a misspelling: the address then resolves
    to the town, and the message says which name was not found rather than falling back silently (walk G).
    """
    m = _UNLISTED_VILLAGE.match(s, at)
    # 边 and 近 alone are no sign of a phrase: 田边村, 溪边村 and 港边村 are names (walk W21: 龙文区朝阳街道田边村 was
    # dropped without a word); 政府旁边的村, 附近村 are not.
    if m is None or m.group(1).startswith(_NOT_A_VILLAGE_HEAD) or any(ch in m.group(1) for ch in "的旁个些") \
            or any(w in m.group(1) for w in (*_NOT_A_VILLAGE_WORDS, "附近", "边上", "周边", "这边", "那边")):
        return ""  # 某村, 农村, 政府旁边的村: words, not a name
    return m.group(0)


def _runs_on(s: str, m: Any, matches: list[Any], cuts: frozenset[int] = frozenset()) -> bool:
    """True when the bare name at ``m`` is only the head of a longer word written without a suffix.

    云霄县白石头 is not 白石村, 田中央 not 田中村: the written name goes on past the village's (the same rule as
    :func:`_longer_village_name` for 白石头村). A bare name ends at the end of the text, at a digit or a mark, at a
    suffix, at a space or mark the text had (``cuts``: 合浦 （来信地址）), at a word that says where or who
    (白石附近, 白石3组, 白石的村民), before a hamlet written with its marker (上河尾厝社: 尾厝 of 上河村) or a road
    (官园人民路), or where another place begins (土田白楼村).
    """
    rest = s[m.end:]
    if not rest or m.end in cuts or not "\u4e00" <= rest[0] <= "\u9fff":
        return False
    if rest.startswith(_BARE_END) or _BARE_END_GROUP.match(rest) or rest.startswith(_VILLAGE_SUFFIXES) \
            or (_HAMLET.match(rest) and not any(c in cuts for c in range(m.end + 1, m.end + 3))) \
            or _ROAD_AFTER.match(rest):
        return False
    if rest.startswith((*_NOT_PLACE_AFTER, *_VILLAGE_ITSELF_AFTER, *_TOWN_ITSELF_AFTER)):
        return False  # weighed by _bare_ok as before
    return not any(o.start == m.end and o.entry.kind in ("village", "town", "unit", "county", "zone") for o in matches)


def _run_on_name(s: str, at: int, matches: list[Any], scope: frozenset[str],
                 cuts: frozenset[int] = frozenset()) -> tuple[str, str]:
    """``(written, village name)`` when a bare village name of ``scope`` at ``at`` runs on into a longer word
    (云霄县白石头: ``("白石头", "白石村")``), else ``("", "")``: the word is named, not read as that village."""
    for m in sorted(matches, key=lambda o: -o.end):
        if m.start == at and m.entry.kind == "village" and m.entry.weight == _BARE and m.entry.code in scope \
                and _runs_on(s, m, matches, cuts):
            if any(o.start == at and o.end > m.end and o.entry.weight >= _ALTX for o in matches):
                return "", ""  # 旧镇镇旧镇镇: the town's name written again, not a longer village name
            end = m.end  # the word written: up to three more characters, to where it ends
            while end < len(s) and end - m.end < 3 and "\u4e00" <= s[end] <= "\u9fff" and (
                    end == m.end or end not in cuts) and not (
                    s.startswith(_BARE_END, end) or _BARE_END_GROUP.match(s, end) or s.startswith(_NOT_PLACE_AFTER, end)
                    or any(o.start == end and o.entry.weight >= _ALTX for o in matches)):
                end += 1
            return s[at:end], _index().village[m.entry.code].name
    return "", ""


def _glued_on(s: str, m: Any, anchors: set[int], matches: list[Any], cuts: frozenset[int] = frozenset()) -> bool:
    """True when the village name with its suffix at ``m`` is only the tail of a longer written name.

    云霄县火田镇大白石村 is not 白石村: the word written from the town on (大白石村) is the name, and nothing
    known ends where 白石村 begins (土田白楼村 is 土田, then 白楼村; the bare 白石 of 白石厝村 runs into 石厝村, so it
    is no place before it). A town-like word before it (旧名镇塔下村) is
    not part of the village's name: that reading is weighed as before.
    """
    for a in anchors:
        if a < m.start and "\u4e00" <= s[m.start - 1] <= "\u9fff":
            name = _unlisted_village(s, a)
            if name and a + len(name) == m.end and not any(a < c <= m.start for c in cuts) \
                    and not any(w in s[a:m.start] for w in ("镇", "乡", "街道", "县", "区", "市")) and not any(
                    o.start < m.start and o.end > a and o.entry.kind in ("village", "town", "unit", "county", "zone")
                    and (o.end <= m.start or o.entry.weight > _BARE) for o in matches):
                return True
    return False


def _longer_village_name(s: str, m: Any, matches: list[Any]) -> bool:
    """True when the bare name at ``m`` is only the head of a longer village name written with its suffix.

    白石头村, 新陂头村, 田中头村 are not 白石村, 新陂村, 田中村: X头/X尾/X坑/X厝 is often a natural village of
    its own, so a written name the table lacks is never shortened into another village of the town (walk R).
    It stays an unlisted village, to be checked. A listed name written after the bare one (土田白楼村) is not a
    longer name: the bare word and that village are read as before.
    """
    name = _unlisted_village(s, m.start)
    if not name or len(name) <= m.end - m.start + 1:
        return False
    end = m.start + len(name)
    return not any(o.start >= m.end and o.end == end and o.entry.kind in ("village", "town", "unit")
                   and o.entry.weight >= _ALTX for o in matches)
