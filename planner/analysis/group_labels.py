"""Labels that tell groups apart.

A group's label names its matter by the words its letters share, places left out (a place is no matter word). Groups
the engine keeps apart although their letters read alike — each village's 镇干部违规收受施工方礼金 is that village's
own matter — then all read 礼金、收受、施工方, and a picker listing them could not tell one from another (walk W13:
I0059, I0008 and I0004, at 珪后村, 官洋村 and 高层村). Groups sharing a label are named with their places (as their
hotspots name them: 礼金、收受、施工方 · 珪后村); those still alike with the county before each place; those still
alike with their number. A label no other group carries is left as it is.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from planner.analysis.evidence import _county_name
from planner.analysis.summaries import _NO_PLACE, _TITLE_PLACE, _TITLE_PLACES
from planner.domain import Cluster

#: A hotspot's place and its counties' codes.
_Place = tuple[str, tuple[str, ...]]


def distinct_labels(issues: Sequence[Cluster], hotspots: Sequence[Cluster]) -> list[Cluster]:
    """``issues`` (in their order) with every label that several of them share made their own (see the module)."""
    places: dict[str, list[_Place]] = defaultdict(list)
    for h in sorted(hotspots, key=lambda h: (-h.size, h.cluster_id)):  # the largest place first
        places[h.parent_id].append((h.cluster_id.split("@", 1)[1], h.county_codes))
    labels = {c.cluster_id: c.label for c in issues}
    steps: tuple[Callable[[Cluster, str, list[_Place]], str], ...] = (_with_places, _with_counties, _with_number)
    for step in steps:
        count = Counter(labels.values())
        shared = [c for c in issues if count[labels[c.cluster_id]] > 1]
        if not shared:
            break
        for c in shared:
            labels[c.cluster_id] = step(c, labels[c.cluster_id], places.get(c.cluster_id, []))
    return [c if labels[c.cluster_id] == c.label else dataclasses.replace(c, label=labels[c.cluster_id])
            for c in issues]


def _matter(label: str) -> str:
    """The matter part of a label (a practice's title names its places after ``_TITLE_PLACE``)."""
    return label.partition(_TITLE_PLACE)[0]


def _named(names: list[str]) -> str:
    """Places as a title lists them: 珪后村、官洋村、高层村等 5 处."""
    names = list(dict.fromkeys(names))
    shown = "、".join(names[:_TITLE_PLACES])
    return shown if len(names) <= _TITLE_PLACES else f"{shown}等 {len(names)} 处"


def _with_places(c: Cluster, _label: str, places: list[_Place]) -> str:
    names = [p for p, _c in places if p != _NO_PLACE] or [p for p, _c in places]
    return _matter(c.label) + _TITLE_PLACE + _named(names) if names else c.label


def _with_counties(c: Cluster, label: str, places: list[_Place]) -> str:
    """Each place with its county before it (长泰区珪后村), a county's own name as it is."""
    names = []
    for place, counties in places:
        county = _county_name(counties[0]) if len(counties) == 1 else ""
        names.append(place if not county or place == _NO_PLACE or place.startswith(county) else county + place)
    real = [n for n in names if n != _NO_PLACE] or names
    return _matter(c.label) + _TITLE_PLACE + _named(real) if real else label


def _with_number(c: Cluster, label: str, _places: list[_Place]) -> str:
    return f"{label}（{c.cluster_id}）"
