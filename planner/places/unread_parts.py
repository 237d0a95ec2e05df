"""Written parts of an address the tables do not hold: named in the answer, never dropped or read as another place.

Split from :mod:`planner.places.resolver`. ``matches`` are the resolver's ``_Match`` rows (``start``, ``end``,
``entry``); ``idx`` its name index.

* :func:`bare_unlisted` — 白石厝村 with no county or town: not 石厝村 (its tail), named and left to be checked.
* :func:`unread_town` — 龙海区新丰镇石厝村: the village is placed by its name, and the town written that is not one
  of the county (or sounds like another town than the village's) is named, the answer kept to be checked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from planner.places.homophones import _TOWN_HEAD, _TOWN_KINDS, _split, _typo_town
from planner.places.name_index import _ALTX
from planner.places.resolution import Resolution, _describe, _result
from planner.places.written_names import _unlisted_village


def bare_unlisted(address: str, s: str, at: int, matches: list[Any], idx: Any) -> Resolution | None:
    """The answer for a village-like name written alone (白石厝村) that the village table lacks, or None.

    No county or town is written, so nothing bounds where it is: it is not placed. The villages whose name is only
    the tail of the written one (石厝村) are offered as candidates, never taken.
    """
    name = _unlisted_village(s, at)
    if not name:
        return None
    end = at + len(name)
    tails = sorted({m.entry.code for m in matches
                    if m.entry.kind == "village" and m.entry.weight >= _ALTX and at < m.start and m.end == end})
    msg = (f"未写县区和乡镇，内置村表无“{name}”（可能是自然村、已并村或写法不同），未能定位，"
           "请核对村名并补充县区或乡镇")
    if not tails:
        return _result(address, idx, message=msg)
    vs = [idx.village[c] for c in tails]
    like = "、".join(dict.fromkeys(v.name for v in vs))
    where = "、".join(_describe(idx, v.county_code, v.town_code or v.unit_code, v.code).split("(")[0] for v in vs)
    return _result(address, idx, ambiguous=True,
                   candidates=[_describe(idx, v.county_code, v.town_code or v.unit_code, v.code) for v in vs],
                   message=f"{msg}（所写“{name}”不是{like}，未按{like}定位；若指{where}，请核对后补写）")


def unread_town(address: str, s: str, at: int, v_start: int, county_code: str, village: Any,
                idx: Any) -> Resolution | None:
    """The answer for a village read by its name after a town-like word (``at``..) no town of the county has.

    ``None`` when no such word is written. A word that sounds like the village's own town (脚美镇 for 角美镇) is read
    so and said; one that sounds like another town (东四乡 for 东泗乡, 石厝村 being of 角美镇) is a conflict: the
    letter stays at the county, both readings candidates. Any other word is named (未识别“新丰镇”，按村名定位) and
    the village kept, to be checked; its bound is the county's from the village's town point, whatever was meant.
    """
    head = _TOWN_HEAD.match(s, at)
    if head is None or head.end() > v_start or len(_split(head.group(0), _TOWN_KINDS)[0]) < 2:
        return None  # no town-like word, or a word only (城乡结合部)
    written = head.group(0)
    unit = village.town_code or village.unit_code
    here = _describe(idx, village.county_code, unit, village.code)
    res = _result(address, idx, village.county_code, unit, village.code)
    scope = idx.county[county_code].name if county_code else "漳州市"
    typo = _typo_town(s, at, county_code, idx)
    if typo is not None and typo[1] == unit:
        note = f"“{written}”按同音字读作{idx.town[unit].name}（{scope}没有“{written}”，也没有其他读音相同的乡镇）"
        return replace(res, message=f"{note}；{res.message}")
    if typo is not None:
        other = typo[1]
        county = village.county_code if idx.town_county[other] == village.county_code else ""
        return _result(address, idx, county, ambiguous=True, candidates=[_describe(idx, idx.town_county[other], other),
                                                                        here],
                       message=f"乡镇与村不符：“{written}”可能是同音的{idx.town[other].name}，而{village.name}属"
                               f"{idx.town[unit].name}，请核对" + ("；坐标为县区政府驻地" if county else ""))
    return replace(res, ambiguous=True, candidates=(here, _describe(idx, village.county_code)),
                   message=f"未识别“{written}”（{scope}内置乡镇表无此名，可能是旧称、已撤并或写法不同），按村名定位："
                           f"{village.name}属{idx.town[unit].name}，请核对乡镇名；{res.message}")
