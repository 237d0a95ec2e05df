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
_TOWN_HEAD = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:街道办事处|街道办|街道|镇|乡)")
# "三坪村", "中芬居委会": a village-like word right after the town that no village of it is called.
_VILLAGE_HEAD = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:村民委员会|村委会|村|社区居委会|社区|居委会|居民委员会)")
#: Suffixes of one kind: a town written 乡 for 镇 (书阳乡 for 书洋镇) or a community written 居委会 for 社区 is the
#: same kind of place; a 村 is never read as a 社区 by sound (nor a town as a village).
_TOWN_KINDS = (("畲族乡", "民族乡", "街道办事处", "街道办", "街道", "镇", "乡"),)
_VILLAGE_KINDS = (("村民委员会", "村委会", "村"), ("社区居委会", "居民委员会", "社区", "居委会"))


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


def _split(name: str, kinds: tuple[tuple[str, ...], ...]) -> tuple[str, int]:
    """``(core, kind)`` of a name by its suffix (中芬居委会: ``("中芬", 1)``); kind -1 when it has none of them."""
    for k, suffixes in enumerate(kinds):
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[:-len(suffix)], k
    return name, -1


def _sound_alike_core(written: str, name: str, *, town: bool) -> bool:
    """True when ``written`` is ``name`` with one character of its core replaced by one that sounds the same, written
    with any suffix of the same kind (书阳乡 for 书洋镇, 中芬居委会 for 钟芬社区)."""
    kinds = _TOWN_KINDS if town else _VILLAGE_KINDS
    (w_core, w_kind), (n_core, n_kind) = _split(written, kinds), _split(name, kinds)
    return w_kind == n_kind >= 0 and _sound_alike(w_core, n_core)


def _typo_town(s: str, at: int, county_code: str, idx: Any) -> tuple[str, str] | None:
    """``(written, town_code)`` when the word at ``at`` reads as exactly one town of the county written with one
    character that sounds the same ("书阳镇" for 书洋镇); None when no town or several towns are that close.
    ``county_code`` "" looks among all the towns of the city (西侨街道 with no county written)."""
    head = _TOWN_HEAD.match(s, at)
    if head is None:
        return None
    written = head.group(0)
    scope = idx.towns_of_county.get(county_code, frozenset()) if county_code else idx.town_county.keys()
    close = [code for code in scope if _sound_alike_core(written, idx.town[code].name, town=True)]
    return (written, close[0]) if len(close) == 1 else None


def _typo_town_suffix(s: str, start: int, end: int, name: str) -> str:
    """The town's one-character suffix when its bare name ``s[start:end]`` is followed by a character that sounds
    like it ("角美真东美村": 真 for 镇, "湖林相" for 乡), else ``""``; the caller takes the reading only when a
    village of that town follows (walk W14: 角美真东美村 stayed at the town as "没有真东美村")."""
    written, suffix = s[start:end], name[end - start:]
    if not name.startswith(written) or len(suffix) != 1 or end >= len(s) or s[end] == suffix:
        return ""
    return suffix if _sounds(s[end]) & _sounds(suffix) else ""


def _typo_village(s: str, at: int, scope: frozenset[str], idx: Any) -> tuple[str, str] | None:
    """``(written, village_code)`` when the word at ``at`` reads as exactly one village of ``scope`` written with
    one character that sounds the same ("三坪村" for 三平村, "中芬居委会" for 钟芬社区)."""
    head = _VILLAGE_HEAD.match(s, at)
    if head is None:
        return None
    written = head.group(0)
    close = [code for code in scope if _sound_alike_core(written, idx.village[code].name, town=False)]
    return (written, close[0]) if len(close) == 1 else None
