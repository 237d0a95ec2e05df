"""Place names written with a homophone (书阳镇 for 书洋镇, 三坪村 for 三平村): the one town of a county, or village
of a town, that a word sounds like, tones aside (readings from PyPI ``pypinyin``). ``idx`` is the resolver's
name index (``planner.places.resolver._Index``).

Split from :mod:`planner.places.resolver`, which states each reading it takes (never silently).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# "书阳镇", "旧真镇", "脚美镇": a town-like word right after the county that no town of it is called.
_TOWN_HEAD = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:镇|乡|街道)")
# "三坪村": a village-like word right after the town that no village of it is called.
_VILLAGE_HEAD = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:村|社区)")


@lru_cache(maxsize=4096)
def _sounds(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def _sound_alike(written: str, name: str) -> bool:
    """True when ``written`` is ``name`` with one character replaced by one that sounds the same, tones aside
    (阳/洋, 坪/平, 脚/角): the slip of a clerk writing a name heard, not a different place (塔上村 is not 塔下村)."""
    if len(written) != len(name) or written == name:
        return False
    diff = [(a, b) for a, b in zip(written, name, strict=True) if a != b]
    return len(diff) == 1 and bool(_sounds(diff[0][0]) & _sounds(diff[0][1]))


def _typo_town(s: str, at: int, county_code: str, idx: Any) -> tuple[str, str] | None:
    """``(written, town_code)`` when the word at ``at`` reads as exactly one town of the county written with one
    character that sounds the same ("书阳镇" for 书洋镇); None when no town or several towns are that close."""
    head = _TOWN_HEAD.match(s, at)
    if head is None:
        return None
    written = head.group(0)
    close = [code for code in idx.towns_of_county.get(county_code, frozenset())
             if _sound_alike(written, idx.town[code].name)]
    return (written, close[0]) if len(close) == 1 else None


def _typo_village(s: str, at: int, scope: frozenset[str], idx: Any) -> tuple[str, str] | None:
    """``(written, village_code)`` when the word at ``at`` reads as exactly one village of ``scope`` written with
    one character that sounds the same ("三坪村" for 三平村)."""
    head = _VILLAGE_HEAD.match(s, at)
    if head is None:
        return None
    written = head.group(0)
    close = [code for code in scope if _sound_alike(written, idx.village[code].name)]
    return (written, close[0]) if len(close) == 1 else None
