"""Application settings with typed defaults, stored as JSON in the ``settings`` table (tiles, travel model, weights).

``load_settings(session) -> AppSettings`` returns the defaults for anything not stored yet;
``save_settings(session, settings, *, actor)`` writes every group (audited; the caller commits).
Other areas read what they need: ``load_settings(s).travel.model()`` gives a
``planner.routing.travel.OfflineTravelModel``; ``.weights`` is a ``planner.selection.ranking.SelectionWeights``;
``.tiles`` a ``planner.field.maps.MapTiles``; ``.at_risk_days`` the deadline warning horizon;
``.return_delay_days`` the days after which a 回访 falls due (:func:`return_delay_days` reads it alone).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from sqlalchemy.orm import Session

from planner.errors import InputError
from planner.field.maps import MapTiles

KEY_TILES = "map_tiles"
KEY_TRAVEL = "travel_model"
KEY_WEIGHTS = "selection_weights"
KEY_GENERAL = "general"
KEY_LEXICON = "cluster_lexicon"
#: An older group, set by hand before 设置 had the field: its ``return_delay_days`` counts when ``general`` has none.
KEY_FOLLOWUP = "followup"

#: Days after a letter is resolved, or a 整改 deadline passes, before its 回访 falls due.
DEFAULT_RETURN_DELAY_DAYS = 30
#: The whole days an office may choose: at least the next day, at most a year.
RETURN_DELAY_RANGE = (1, 365)


#: The range 设置 offers for each travel setting; :class:`TravelSettings` refuses a value outside it.
TRAVEL_RANGES: dict[str, tuple[float, float]] = {
    "circuity_plain": (1.0, 3.0), "circuity_hill": (1.0, 3.0), "speed_plain_kmh": (5.0, 130.0),
    "speed_hill_kmh": (5.0, 130.0), "trunk_kmh": (5.0, 130.0), "local_km": (0.0, 200.0),
}
#: The whole days 期限预警 may look ahead (:class:`AppSettings` refuses others).
AT_RISK_RANGE = (0, 60)
#: The range 设置 offers for a 选件 weight (各项满分分值); the ranking itself takes any weight from 0.
WEIGHT_RANGE = (0.0, 100.0)

#: What the travel settings are called on the 设置 page, for error messages.
_TRAVEL_LABELS = {"circuity_plain": "平原绕行系数", "circuity_hill": "山区绕行系数", "speed_plain_kmh": "平原车速",
                  "speed_hill_kmh": "山区车速", "trunk_kmh": "干线车速", "local_km": "按乡道计的距离"}


#: What the selection weights are called on the 设置 page.
WEIGHT_LABELS = {
    "deadline": "办理期限临近",
    "repeat": "重复举报",
    "cluster": "关联问题（同类多件）",
    "systemic": "跨县系统性问题",
    "severity": "问题严重程度",
    "people": "涉及群众人数",
    "site_visit": "需现场核查",
    "return_due": "回访到期",
    "rectification": "整改到期",
    "urgency": "登记表标注特急/紧急",
}


@dataclass(frozen=True, slots=True)
class TravelSettings:
    """Parameters of the offline travel-time model: straight line × circuity ÷ speed (PRODUCT.md figures)."""

    circuity_plain: float = 1.25
    circuity_hill: float = 1.45
    speed_plain_kmh: float = 45.0
    speed_hill_kmh: float = 32.0
    trunk_kmh: float = 80.0  # expressways and national roads, for the part of a leg beyond local_km
    local_km: float = 15.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or math.isnan(value):
                raise InputError(f"路程设置「{_TRAVEL_LABELS[f.name]}」（{f.name}）应为数字，收到 {value!r}")
        for name in ("circuity_plain", "circuity_hill"):
            if not 1.0 <= getattr(self, name) <= 3.0:
                raise InputError(f"路程设置「{_TRAVEL_LABELS[name]}」（{name}）应在 1.0 到 3.0 之间，"
                                 f"收到 {getattr(self, name)!r}")
        for name in ("speed_plain_kmh", "speed_hill_kmh", "trunk_kmh"):
            if not 5.0 <= getattr(self, name) <= 130.0:
                raise InputError(f"路程设置「{_TRAVEL_LABELS[name]}」（{name}）应在 5 到 130 km/h 之间，"
                                 f"收到 {getattr(self, name)!r}")
        if not 0 <= self.local_km <= 200:
            raise InputError(f"路程设置「{_TRAVEL_LABELS['local_km']}」（local_km）应在 0 到 200 km 之间，"
                             f"收到 {self.local_km!r}")

    def model(self):
        """The ``OfflineTravelModel`` these settings describe."""
        from planner.routing.travel import OfflineTravelModel

        return OfflineTravelModel(
            circuity={"plain": self.circuity_plain, "hill": self.circuity_hill},
            speed_kmh={"plain": self.speed_plain_kmh, "hill": self.speed_hill_kmh},
            trunk_kmh=self.trunk_kmh,
            local_km=self.local_km,
        )


def check_return_delay_days(value: object, *, what: str = "回访间隔") -> int:
    """``value`` as the number of days after which a 回访 falls due, if it is a whole number in
    :data:`RETURN_DELAY_RANGE` (``45.0`` read from JSON counts as 45).

    Parameters
    ----------
    value
        The days, as typed on 设置, given to ``--delay`` or stored.
    what
        What the value is called in the message (``--delay`` for the CLI).

    Returns
    -------
    int
        The days.

    Raises
    ------
    InputError
        If ``value`` is not a whole number of days from 1 to 365, showing it.
    """
    lo, hi = RETURN_DELAY_RANGE
    whole = (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
             and value == int(value))
    if not whole or not lo <= value <= hi:
        raise InputError(f"{what}应为 {lo} 到 {hi} 之间的整天数（化解或整改期限届满后多少天回访），收到 {value!r}")
    return int(value)


def _stored_return_delay(rows: dict[str, Any]) -> int:
    """The stored 回访 interval: group ``general`` (the 设置 page) first, then the older ``followup`` group.

    A value the page could not have saved (0, 400, text, edited by hand) is passed over rather than refused, so that
    neither 设置 nor the daily 回访 check stops on it; saving 设置 once replaces it.
    """
    for key in (KEY_GENERAL, KEY_FOLLOWUP):
        value = (rows.get(key) or {}).get("return_delay_days")
        if value is None:
            continue
        try:
            return check_return_delay_days(value)
        except InputError:
            continue
    return DEFAULT_RETURN_DELAY_DAYS


def return_delay_days(session: Session) -> int:
    """Days after a letter is resolved, or a 整改 deadline passes, before its 回访 falls due: the setting, else 30.

    The one reading of the setting: 设置 shows it, 回访跟踪 names it, proposals (page and CLI) use it.
    """
    from sqlalchemy import select

    from planner.store.models import SettingRow

    wanted = select(SettingRow.key, SettingRow.value).where(SettingRow.key.in_((KEY_GENERAL, KEY_FOLLOWUP)))
    return _stored_return_delay(dict(session.execute(wanted).all()))


_WORD_RE = re.compile(r"^[\u3400-\u9fffA-Za-z0-9]{2,20}$")
_PAIR_SPLIT_RE = re.compile(r"\s*(?:->|→|=|＝|,|，|、|\s)\s*")
MAX_LEXICON_PAIRS = 1000
MAX_PROGRAMMES = 300


@dataclass(frozen=True, slots=True)
class ClusterLexicon:
    """The office's own words for 关联分析: ``pairs`` of (说法, 标准词) counted as one matter word
    (公益性岗位 -> 公益岗), and ``programmes``: names of public programmes whose letters from several places may be
    one county-wide matter (see ``planner.analysis.textmine.set_office_lexicon``)."""

    pairs: tuple[tuple[str, str], ...] = ()
    programmes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        pairs = tuple((str(a).strip(), str(b).strip()) for a, b in self.pairs)
        programmes = tuple(dict.fromkeys(str(w).strip() for w in self.programmes))
        object.__setattr__(self, "pairs", pairs)
        object.__setattr__(self, "programmes", programmes)
        if len(pairs) > MAX_LEXICON_PAIRS or len(programmes) > MAX_PROGRAMMES:
            raise InputError(f"关联分析词表最多 {MAX_LEXICON_PAIRS} 组同义词、{MAX_PROGRAMMES} 个项目名称，"
                             f"收到 {len(pairs)} 组、{len(programmes)} 个")
        seen: dict[str, str] = {}
        for k, (a, b) in enumerate(pairs, start=1):
            for w in (a, b):
                if not _WORD_RE.match(w):
                    raise InputError(
                        f"关联分析词表第 {k} 组：{w!r} 不是一个词（2 到 20 个汉字、字母或数字，不含空格和标点）"
                    )
            if a == b:
                raise InputError(f"关联分析词表第 {k} 组：说法和标准词相同（{a}）")
            if seen.get(a, b) != b:
                raise InputError(f"关联分析词表第 {k} 组：{a!r} 已对应 {seen[a]!r}，不能再对应 {b!r}")
            seen[a] = b
        for w in programmes:
            if not _WORD_RE.match(w):
                raise InputError(f"关联分析词表的项目名称 {w!r} 不是一个词（2 到 20 个汉字、字母或数字）")

    @classmethod
    def from_text(cls, pairs_text: str, programmes_text: str = "") -> ClusterLexicon:
        """Read the 设置 page's fields: one pair per line (``公益性岗位 公益岗``, also ``→``, ``=`` or a comma between),
        ``#`` starts a comment; programme names separated by spaces, commas or new lines.

        Raises
        ------
        InputError
            Naming the line of a pair that is not two words.
        """
        pairs = []
        for n, line in enumerate(pairs_text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = [p for p in _PAIR_SPLIT_RE.split(line) if p]
            if len(parts) != 2:
                raise InputError(f"同义词第 {n} 行 {line!r}：应为“说法 标准词”两个词，中间用空格隔开")
            pairs.append((parts[0], parts[1]))
        programmes = [w for w in re.split(r"[\s,，、;；]+", programmes_text) if w]
        return cls(tuple(pairs), tuple(programmes))

    def pairs_text(self) -> str:
        """The pairs as the 设置 page shows them, one per line."""
        return "\n".join(f"{a} {b}" for a, b in self.pairs)

    def key(self) -> str:
        """A short fingerprint (cache keys of analysis results)."""
        import hashlib

        return hashlib.sha256(repr((self.pairs, self.programmes)).encode()).hexdigest()[:12]


def _default_weights():
    from planner.selection.ranking import SelectionWeights

    return SelectionWeights()


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Every setting of the app."""

    tiles: MapTiles = field(default_factory=MapTiles)
    travel: TravelSettings = field(default_factory=TravelSettings)
    weights: Any = field(default_factory=_default_weights)  # planner.selection.ranking.SelectionWeights
    at_risk_days: int = 10
    #: The plan policy 路线规划 starts with (``planner.routing.problem.POLICIES``): 集中出行 by default.
    plan_policy: str = "compact"
    #: 地名校准 may geocode towns and villages once with the office's 天地图 key (off: nothing leaves the machine).
    place_calibration: bool = False
    #: The office's own words for 关联分析 (同义词, 公共项目名称).
    lexicon: ClusterLexicon = field(default_factory=ClusterLexicon)
    #: Days after a letter is resolved, or a 整改 deadline passes, before its 回访 (and 整改回访) falls due.
    return_delay_days: int = DEFAULT_RETURN_DELAY_DAYS

    def __post_init__(self) -> None:
        if self.tiles.tianditu and not self.tiles.tianditu_key.strip():
            # 天地图 tiles cannot load without a key: the switch is off, as stored and as 设置 shows it (walk 1: the
            # default said on, the checkbox showed off, and saving recorded 天地图瓦片 开 → 关 nobody had made).
            object.__setattr__(self, "tiles", replace(self.tiles, tianditu=False))
        if not isinstance(self.at_risk_days, int) or not AT_RISK_RANGE[0] <= self.at_risk_days <= AT_RISK_RANGE[1]:
            raise InputError(f"临近期限天数应为 0 到 60 的整数，收到 {self.at_risk_days!r}")
        object.__setattr__(self, "return_delay_days", check_return_delay_days(self.return_delay_days))
        from planner.routing.problem import POLICIES

        if self.plan_policy not in POLICIES:
            raise InputError(f"规划方式应为 {'、'.join(f'{k}（{v}）' for k, v in POLICIES.items())} 之一，"
                             f"收到 {self.plan_policy!r}")


def _build(cls: type, values: dict | None, what: str) -> Any:
    """An instance of ``cls`` from stored values; unknown keys are ignored (older/newer versions)."""
    known = {f.name for f in fields(cls)}
    kept = {k: v for k, v in (values or {}).items() if k in known}
    try:
        return cls(**kept)
    except TypeError as exc:
        raise InputError(f"保存的设置 {what!r} 格式有误：{exc}") from exc


def load_tiles(rows: dict[str, Any]) -> MapTiles:
    """The map tiles stored in ``rows`` (settings by key)."""
    tiles_raw = dict(rows.get(KEY_TILES) or {})
    return MapTiles(
        osm=bool(tiles_raw.get("osm", False)),
        tianditu_key=str(tiles_raw.get("tianditu_key", "") or ""),
        amap=bool(tiles_raw.get("amap", False)),
        tianditu=bool(tiles_raw.get("tianditu", True)),  # saved before the switch existed: a key meant tiles
    )


def load_settings(session: Session) -> AppSettings:
    """The stored settings, with defaults for whatever is not stored.

    Raises
    ------
    InputError
        If a stored value is invalid (e.g. edited by hand in the database).
    """
    from planner.selection.ranking import SelectionWeights
    from planner.store.models import SettingRow

    rows = {r.key: r.value for r in session.query(SettingRow).all()}
    tiles = load_tiles(rows)
    known = {f.name for f in fields(SelectionWeights)}
    weights_raw = {k: v for k, v in (rows.get(KEY_WEIGHTS) or {}).items() if k in known}
    general = rows.get(KEY_GENERAL) or {}
    return AppSettings(
        tiles=tiles,
        travel=_build(TravelSettings, rows.get(KEY_TRAVEL), KEY_TRAVEL),
        weights=SelectionWeights.from_mapping(weights_raw),
        at_risk_days=int(general.get("at_risk_days", 10)),
        plan_policy=str(general.get("plan_policy", "compact")),
        place_calibration=bool(general.get("place_calibration", False)),
        lexicon=_lexicon(rows.get(KEY_LEXICON)),
        return_delay_days=_stored_return_delay(rows),
    )


def usable_settings(session: Session) -> tuple[AppSettings, tuple[StoredValueNote, ...]]:
    """The settings the office's work runs on, and what of them could not be used as stored.

    :func:`load_settings` refuses every setting for one stored value out of range (set by hand, by the CLI or an
    older version): 案件地图, 选件, 路线规划, 关联分析 and 地名校准 then ran on every default — the office's weights,
    its travel model and its own words gone without a word. Here only such values are replaced, as 设置 shows them
    (:func:`load_settings_for_edit`), and each is named."""
    try:
        return load_settings(session), ()
    except InputError:
        return load_settings_for_edit(session)


@dataclass(frozen=True, slots=True)
class StoredValueNote:
    """A stored setting 设置 cannot show as stored (set by hand in the database, by the CLI or an older version):
    what is stored, why it cannot be shown, and what 设置 shows instead, which saving 设置 stores."""

    group: str  # KEY_TRAVEL, KEY_WEIGHTS, KEY_GENERAL, KEY_LEXICON
    name: str  # the field in the group
    setting: str  # as labelled on 设置
    stored: str
    why: str
    shown: str

    def text(self) -> str:
        """``「绕行系数（山区）」已保存为 3.5（应在 1 到 3 之间），这里显示为 3``."""
        return f"「{self.setting}」已保存为 {self.stored}（{self.why}），这里显示为 {self.shown}"


def load_settings_for_edit(session: Session) -> tuple[AppSettings, tuple[StoredValueNote, ...]]:
    """What 设置 shows: the stored settings, each stored value they cannot hold replaced by the nearest one they
    can (a number out of range by its bound, anything else by its default), and a note for each such value.

    :func:`load_settings` refuses the whole lot for one such value; 设置 showed every default instead and saving
    then replaced every stored setting (the 天地图 key too) without a word. Here every other value is kept as stored.
    """
    from planner.routing.problem import POLICIES
    from planner.selection.ranking import SelectionWeights
    from planner.store.models import SettingRow

    rows = {r.key: r.value for r in session.query(SettingRow).all()}
    notes: list[StoredValueNote] = []

    def group(key: str) -> dict[str, Any]:
        raw = rows.get(key)
        return raw if isinstance(raw, dict) else {}

    def number(key: str, name: str, raw: object, default: float, lo: float, hi: float, *, whole: bool = False):
        if raw is None:
            return default
        is_number = isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw)
        if is_number and lo <= raw <= hi and (not whole or raw == int(raw)):
            return int(raw) if whole else float(raw)
        shown = min(max(raw, lo), hi) if is_number else default
        shown = round(shown) if whole else float(shown)
        why = (f"应在 {lo:g} 到 {hi:g} 之间" if is_number and not lo <= raw <= hi
               else "应为整数" if is_number else "不是数字")
        label = WEIGHT_LABELS[name] if key == KEY_WEIGHTS else _FIELD_LABELS[key].get(name, name)
        notes.append(StoredValueNote(key, name, label, _stored_text(raw), why, f"{shown:g}"))
        return shown

    travel_raw = group(KEY_TRAVEL)
    defaults = TravelSettings()
    travel = TravelSettings(**{
        name: number(KEY_TRAVEL, name, travel_raw.get(name), getattr(defaults, name), lo, hi)
        for name, (lo, hi) in TRAVEL_RANGES.items()
    })
    weights_raw, default_weights = group(KEY_WEIGHTS), SelectionWeights()
    weights = SelectionWeights(**{
        f.name: number(KEY_WEIGHTS, f.name, weights_raw.get(f.name), getattr(default_weights, f.name), *WEIGHT_RANGE)
        for f in fields(SelectionWeights)
    })
    general = group(KEY_GENERAL)
    at_risk = number(KEY_GENERAL, "at_risk_days", general.get("at_risk_days"), AppSettings().at_risk_days,
                     *AT_RISK_RANGE, whole=True)
    policy = general.get("plan_policy", "compact")
    if policy not in POLICIES:
        notes.append(StoredValueNote(KEY_GENERAL, "plan_policy", _FIELD_LABELS[KEY_GENERAL]["plan_policy"],
                                     _stored_text(policy), "不是可选的规划方式", POLICIES["compact"]))
        policy = "compact"
    delay = _stored_return_delay(rows)
    for key in (KEY_GENERAL, KEY_FOLLOWUP):
        value = group(key).get("return_delay_days")
        if value is None:
            continue
        try:
            check_return_delay_days(value)
        except InputError:
            lo, hi = RETURN_DELAY_RANGE
            notes.append(StoredValueNote(KEY_GENERAL, "return_delay_days", "回访天数", _stored_text(value),
                                         f"应为 {lo} 到 {hi} 之间的整天数，回访建议一直按 {delay} 天计算", f"{delay}"))
            continue
        break
    tiles = load_tiles(rows)
    return AppSettings(
        tiles=tiles, travel=travel, weights=weights, at_risk_days=at_risk, plan_policy=str(policy),
        place_calibration=bool(general.get("place_calibration", False)),
        lexicon=_readable_lexicon(rows.get(KEY_LEXICON), notes), return_delay_days=delay,
    ), tuple(notes)


def _stored_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    return f"“{value}”"


def _readable_lexicon(raw: object, notes: list[StoredValueNote]) -> ClusterLexicon:
    """The stored 关联分析词表 without the pairs and names it cannot hold, each of them noted."""
    raw = raw if isinstance(raw, dict) else {}
    pairs: tuple[tuple[str, str], ...] = ()
    for pair in raw.get("pairs", ()) or ():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            try:
                ClusterLexicon((*pairs, (pair[0], pair[1])))
            except InputError as exc:
                reason = str(exc).split("：", 1)[-1]
            else:
                pairs = (*pairs, (str(pair[0]).strip(), str(pair[1]).strip()))
                continue
        else:
            reason = "应为“说法 标准词”两个词"
        text = " ".join(map(str, pair)) if isinstance(pair, list | tuple) else str(pair)
        notes.append(StoredValueNote(KEY_LEXICON, "pairs", "关联分析同义词", f"“{text}”", reason, "（不列出）"))
    programmes: tuple[str, ...] = ()
    for word in raw.get("programmes", ()) or ():
        try:
            ClusterLexicon(pairs, (*programmes, word))
        except InputError as exc:
            reason = "不是一个词：应为 2 到 20 个汉字、字母或数字" if "不是一个词" in str(exc) else str(exc)
            notes.append(StoredValueNote(KEY_LEXICON, "programmes", "公共项目名称", _stored_text(word), reason,
                                         "（不列出）"))
        else:
            programmes = (*programmes, str(word).strip())
    return ClusterLexicon(pairs, programmes)


def _lexicon(raw: object) -> ClusterLexicon:
    raw = raw if isinstance(raw, dict) else {}
    try:
        return ClusterLexicon(tuple(tuple(p) for p in raw.get("pairs", ()) if len(p) == 2),
                              tuple(raw.get("programmes", ())))
    except TypeError as exc:
        raise InputError(f"保存的设置 {KEY_LEXICON!r} 格式有误：{exc}") from exc


def save_settings(session: Session, settings: AppSettings, *, actor: object = None) -> None:
    """Store every group of ``settings`` and audit who changed what (the 天地图 key is never logged).

    Parameters
    ----------
    session
        Open session; the caller commits.
    settings
        The complete settings.
    actor
        A ``planner.office.security.Actor``; when given, it must have the ``settings`` permission.

    Raises
    ------
    PermissionDenied
        If ``actor`` may not change settings, or is the demo visitor (settings outlive the demo).
    """
    from planner.store.models import SettingRow

    if actor is not None and type(actor).__name__ == "Actor":
        from planner.errors import PermissionDenied
        from planner.office.security import is_demo, require

        if is_demo(actor):
            raise PermissionDenied("演示模式下不能修改设置：设置在演示结束后仍会生效，请由管理员或协调员修改")
        require(actor, "settings")
    try:
        # What 设置 showed before this save: a difference from it, and nothing else, is a change made.
        shown_before: dict[str, Any] | None = stored_values(load_settings(session))
    except InputError:
        shown_before = None  # a stored value edited by hand: compare with the stored values themselves
    values = stored_values(settings)
    edits: list[dict[str, str]] = []
    changed = []
    for key, value in values.items():
        row = session.get(SettingRow, key)
        if shown_before is not None:
            before = shown_before[key]
        elif row is None:
            before = _stored_or_default(key)
        else:
            # A key the stored group lacks (saved before 设置 had it) held its default.
            before = {**_stored_or_default(key), **row.value} if isinstance(row.value, dict) else row.value
        if row is None:
            session.add(SettingRow(key=key, value=value))
        elif row.value != value:
            row.value = value  # also a group only written in an older form, which changes nothing shown
        group_edits = setting_changes(key, before, value)
        if group_edits:
            edits += group_edits
            changed.append(key)
    session.flush()
    if changed and actor is not None:
        from planner.office import audit

        shown = {k: v for k, v in values.items() if k in changed}
        if KEY_TILES in shown:
            shown[KEY_TILES] = {**shown[KEY_TILES], "tianditu_key": "***" if settings.tiles.tianditu_key else ""}
        audit.record(session, actor, "settings_change", detail={"changed": shown, "fields": edits})


def stored_values(settings: AppSettings) -> dict[str, Any]:
    """Every group of ``settings`` as stored in the ``settings`` table (JSON values by key)."""
    return {
        KEY_TILES: {"osm": settings.tiles.osm, "tianditu_key": settings.tiles.tianditu_key.strip(),
                    "amap": settings.tiles.amap, "tianditu": settings.tiles.tianditu},
        KEY_TRAVEL: asdict(settings.travel),
        KEY_WEIGHTS: asdict(settings.weights),
        KEY_GENERAL: {"at_risk_days": settings.at_risk_days, "plan_policy": settings.plan_policy,
                      "place_calibration": settings.place_calibration,
                      "return_delay_days": settings.return_delay_days},
        KEY_LEXICON: {"pairs": [list(p) for p in settings.lexicon.pairs],
                      "programmes": list(settings.lexicon.programmes)},
    }


def check_tianditu_tiles(switched_on: bool, key: str) -> None:
    """Refuse 天地图 tiles switched on without a key: they could not load, and would be stored off.

    Raises
    ------
    InputError
        If ``switched_on`` and ``key`` is blank.
    """
    if switched_on and not str(key or "").strip():
        raise InputError("天地图瓦片需要本单位的天地图密钥：请在“天地图密钥”中填写，或取消勾选“天地图瓦片”")


def check_place_calibration(switched_on: bool, key: str) -> None:
    """Refuse 在线校准地名 switched on without a 天地图 key: 地名校准 queries 天地图 with it, and would have no button.

    Raises
    ------
    InputError
        If ``switched_on`` and ``key`` is blank.
    """
    if switched_on and not str(key or "").strip():
        raise InputError("在线校准地名要用本单位的天地图密钥查询天地图：请在“天地图密钥”中填写，"
                         "或取消勾选“在线校准地名”。未保存任何设置。")


#: What each stored setting is called on the 设置 page, by group and key (the audit row names them).
_FIELD_LABELS: dict[str, dict[str, str]] = {
    KEY_TILES: {"osm": "OpenStreetMap 瓦片", "tianditu": "天地图瓦片", "tianditu_key": "天地图密钥",
                "amap": "高德地图瓦片"},
    KEY_TRAVEL: {"circuity_plain": "绕行系数（平原）", "circuity_hill": "绕行系数（山区）",
                 "speed_plain_kmh": "车速 km/h（平原乡村道路）", "speed_hill_kmh": "车速 km/h（山区乡村道路）",
                 "trunk_kmh": "车速 km/h（高速、国省道）", "local_km": "每段前多少 km 按乡村道路计"},
    KEY_WEIGHTS: {k: f"选件权重「{v}」" for k, v in WEIGHT_LABELS.items()},
    KEY_GENERAL: {"at_risk_days": "距办理期限几天内提示“临近期限”", "plan_policy": "默认规划方式",
                  "place_calibration": "在线校准地名", "return_delay_days": "回访天数"},
    KEY_LEXICON: {"pairs": "关联分析同义词", "programmes": "公共项目名称"},
}
#: Settings whose values are never written in the audit: only whether one is set, changed or cleared.
_SECRET = frozenset({(KEY_TILES, "tianditu_key")})
_SHOWN_CHARS = 60


def _stored_or_default(key: str) -> dict[str, Any]:
    """A group's values before it was first stored: the defaults :func:`load_settings` gave for it."""
    return stored_values(AppSettings()).get(key, {})


def _value_text(key: str, name: str, value: object) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "开" if value else "关"
    if isinstance(value, int | float):
        return f"{value:g}"
    if (key, name) == (KEY_GENERAL, "plan_policy"):
        from planner.routing.problem import POLICIES

        return POLICIES.get(str(value), str(value))
    if isinstance(value, list):
        text = "；".join(" ".join(map(str, v)) if isinstance(v, list | tuple) else str(v) for v in value)
    else:
        text = str(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


def setting_changes(key: str, old: object, new: object) -> list[dict[str, str]]:
    """Each setting of group ``key`` that differs between ``old`` and ``new`` (stored values), for the audit row.

    Returns
    -------
    list of dict
        ``{"setting": "距办理期限几天内提示“临近期限”", "old": "10", "new": "7"}`` per changed setting, in the
        group's order. A secret (the 天地图 key) is never written: ``未设置``, ``已设置``, ``已更换``, ``已清除``.
    """
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    labels = _FIELD_LABELS.get(key, {})
    out: list[dict[str, str]] = []
    for name in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if (key, name) in _SECRET:
            was, now = bool(str(before or "").strip()), bool(str(after or "").strip())
            shown = ("已设置" if was else "未设置",
                     "已更换" if was and now else "已设置" if now else "已清除")
        else:
            shown = (_value_text(key, name, before), _value_text(key, name, after))
        out.append({"setting": labels.get(name, name), "old": shown[0], "new": shown[1]})
    return out
