"""Every reading of a town by one of ``aliases.csv``'s old or other names is said, and an unsure one asked to check.

Walk W23: 诏安县梅州乡 (a common miswriting the table marks unsure) was read as 梅洲乡 with no word of it, and
龙海市角尾金山村 lost the note 龙海市角尾 alone carries (“角尾”按内置旧称、俗称表读作角美镇) because the village
answer builds its own note. :func:`alias_reading` runs after the resolver's answer, whatever branch built it: when the
town was reached by an alias the address writes (and not by the town's own name), the note says so; when the table
marks the alias unsure and it is not the same town under another kind (角美街道 for 角美镇 is the same place either
way), the note asks a check (请核对), so the letter is counted 待核对.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import geodata
from planner.places.check_notes import CHECK_WORDS
from planner.places.normalise import normalize
from planner.places.resolution import Resolution

_KINDS = ("街道", "镇", "乡")


@functools.lru_cache(maxsize=1)
def _town_aliases() -> dict[str, tuple[geodata.Alias, ...]]:
    """Town aliases by town code, longest first (梅州乡 before a shorter form of it)."""
    out: dict[str, list[geodata.Alias]] = {}
    for a in geodata.aliases():
        if a.level == "town" and a.code and a.alias != a.name:
            out.setdefault(a.code, []).append(a)
    return {code: tuple(sorted(v, key=lambda a: -len(a.alias))) for code, v in out.items()}


def _core(name: str) -> str:
    for kind in _KINDS:
        if name.endswith(kind) and len(name) > len(kind) + 1:
            return name[: -len(kind)]
    return name


def alias_reading(address: str, res: Resolution) -> Resolution:
    """``res`` with the alias its town was read by said in the note (and 请核对 when the alias is unsure)."""
    aliases = _town_aliases().get(res.town_code, ()) if res.town_code and not res.ambiguous else ()
    s = normalize(address)
    alias = next((a for a in aliases if a.alias in s and a.alias not in (res.village or "")), None)
    if alias is None:
        return res
    name = geodata.town_by_code(res.town_code).name
    if name in s:  # the town's own name is written: no alias reading
        return res
    unsure = alias.unsure and _core(alias.alias) != _core(name)
    said = f"“{alias.alias}”按内置旧称、俗称表读作{name}"
    doubt = alias.note.replace("（", "，").replace("）", "") if unsure and alias.note else ""
    note = said + (f"（此读法未确证：{doubt}）" if doubt else "") + (f"，{CHECK_WORDS}" if unsure else "")
    if said in res.message:  # the town's own answer said it (龙海市角尾): only the doubt is added
        return replace(res, message=res.message.replace(said, note, 1)) if unsure else res
    zone, _, rest = res.message.partition("；") if res.unit_code else ("", "", res.message)
    return replace(res, message="；".join(p for p in (zone, note, rest) if p))
