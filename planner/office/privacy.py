"""Masking petitioners' identities (fields and free text); neutralising text bound for spreadsheets, HTML, Markdown."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def mask_name(name: str | None) -> str:
    """Mask a person's name, keeping the surname: 张三丰 -> 张**.

    Parameters
    ----------
    name
        The full name; None or blank gives an empty string.

    Returns
    -------
    str
        First character followed by one ``*`` per remaining character (at least one).
    """
    if not name or not name.strip():
        return ""
    name = name.strip()
    # Compound surnames are rare; keeping one character reveals less, which is the safe side. At most three stars: a
    # long cell (张三（村民代表）) would tell its length (walk E).
    return name[0] + "*" * min(3, max(1, len(name) - 1))


_NAME_BRACKETS = re.compile(r"[（(【\[《<][^）)】\]》>]*[）)】\]》>]")
_NAME_SEPARATORS = re.compile(r"[、,，;；/／|\s]+")
_NAME_HEAD = re.compile(r"^[\u4e00-\u9fff·]{2,6}(?![\u4e00-\u9fff·])")  # a longer run is no name


def name_forms(cell: str | None) -> frozenset[str]:
    """The names a 信访人 cell holds, as a letter's text may write them: the cell itself and each name in it
    (``张三（村民代表）`` -> 张三; ``张三、李四`` -> 张三, 李四; ``张三 138…`` -> 张三); two characters or more.
    Walk E: a cell holding more than the bare name was looked for whole, so the name in the text went unmasked."""
    cell = shown_plain(cell or "").strip()
    out = {cell} if len(cell) >= 2 else set()
    for part in _NAME_SEPARATORS.split(_NAME_BRACKETS.sub(" ", cell)):
        if m := _NAME_HEAD.match(part.strip()):
            out.add(m.group(0))
    return frozenset(out)


#: Common surnames (the hundred or so most common in China, and Fujian's own: 庄 洪 柯 赖 游 蓝 卓 阮 骆 翁 詹 连 巫
#: 简 ...), for :func:`self_named`. Characters that are mostly words (于 向 万 付 白 方 石 高 成 和 从) are left out:
#: 本人于去年 is no name.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭"
    "陆汪范金廖贾夏韦邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤庄洪施柯涂赖游蓝卓阮骆颜欧康翁"
    "詹连温巫童简傅甘俞鲍郝葛岳尤黎戚谷易苗凌饶庞纪欧阳"
)
_DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "司徒", "慕容", "令狐")
#: The first characters a masked name (赖**) may start with, besides the letter's own names': see :func:`field_text`.
_SURNAME_CHARS = _SURNAMES | {s[0] for s in _DOUBLE_SURNAMES}
#: How a letter's writer names themself: 我叫 / 本人 / 我是…村民 / 举报人： / 署名 … followed by the name and then a
#: break or what usually follows a name (电话, 身份证, 家住, 反映, and the verbs of saying: 反映人林海生称…).
_SELF_CUE = re.compile(
    r"(?:我叫|我名叫|本人叫|本人名叫|我是|本人是|本人系|本人|实名举报人|举报人|反映人|信访人|来信人|署名|落款|联系人)"
    r"[:：\s]*(?:[\u4e00-\u9fff]{0,12}?(?:村民|居民|群众|职工|党员|教师|村医|农民|户主))?"
    r"((?:" + "|".join(_DOUBLE_SURNAMES) + r")[\u4e00-\u9fff]{1,2}|[\u4e00-\u9fff]{2,3})"
    # 林海称， / 林海诉称 / 林海又说 is 林海 and a verb, not a name 林海称 or 林海诉 (names rarely end in these).
    r"(?<![称说讲])(?!(?<=[诉述自辩宣又还也就都却再])[称说讲])"
    r"(?=[，,。.；;、:：\s(（]|$|电话|手机|联系|身份证|家住|现住|住在|反映|举报|实名|等人|男|女|今年|现年|\d"
    r"|称|说|讲|表示|诉称|述称|自称|辩称|宣称|声称|来信|来电|来访|投诉|控告|陈述|[又还也就都却再][称说讲])"
)
#: What follows a cue in a letter's own words and starts like a name (a surname character) but is an ordinary word:
#: 本人曾多次反映, 反映人郑重表示, 举报人马上说 name nobody.
_NOT_NAMES = (
    *(f"曾{c}" for c in "经多向于在到找去来反举说称讲表写打给被把对与跟将因两几为是要先又也上通提投电口书当亲拨致前"),
    "郑重", "严正", "严肃", "严重", "马上", "尤其", "连续", "连日", "连夜", "连忙", "连同", "任何", "简直", "周边",
    "周围", "凌晨", "黄昏",
)


def self_named(text: str | None) -> frozenset[str]:
    """Names a letter's writer gives themself in its text (``我叫王小明，`` ``本人林某某（身份证…）``
    ``我是前进村村民赖春生，电话…`` ``举报人：陈某``), whatever the 信访人 column says (stop 32 noted that such names,
    in a row whose 信访人 cell was empty or 匿名, reached officers). Only a surname-first run of two or three characters
    after such a cue counts: ``本人现年70岁``, ``我是村民代表`` and ``本人反映`` name nobody."""
    found = set()
    for m in _SELF_CUE.finditer(shown_plain(text or "")):
        name = m.group(1)
        if name.startswith(_NOT_NAMES):
            continue
        if name[:2] in _DOUBLE_SURNAMES or name[0] in _SURNAMES:
            found.add(name)
    return frozenset(found)


#: Who wrote the letter, as headers name them; 被反映人… is the other side.
WRITER_WORDS = ("信访人", "来信人", "来电人", "举报人", "反映人", "来访人", "投诉人", "申诉人", "控告人",
                "检举人", "当事人")
#: What a header holds that identifies a person wherever it stands (a second phone, the home, the ID, the age).
_IDENTITY_WORDS = ("住址", "家庭地址", "家庭住址", "户籍", "身份证", "证件", "手机", "电话", "联系方式", "微信", "qq",
                   "邮箱", "email", "出生", "年龄", "性别", "民族", "籍贯", "工作单位", "职业", "号码")
#: People named beside the writer (walk W22: 联系人 "沈金花的儿子 王小明" reached an account that may not unmask).
_CONTACT_WORDS = ("联系人", "家属", "亲属", "代理人", "委托人", "陪同", "监护人", "知情人", "证人")
#: The office's own people (承办联系人, 经办人): not the writer's side.
_OFFICE_HEADS = ("承办", "经办", "办理", "责任", "督办", "录入", "登记人")
#: A 号码 that numbers the letter, not a person (信访件号码, 登记号码, 文件号码).
_LETTER_NUMBERS = ("件号码", "登记号码", "文件号码", "流水号码", "批次号码")


#: What a screen or file shows in place of a register column that holds the petitioner's identity.
IDENTITY_WITHHELD = "[已隐去]"


def header_key(header: object) -> str:
    """A register header as compared: NFKC, no spaces, stars or colons, lower case (``联系电话：`` -> ``联系电话``)."""
    return re.sub(r"[\s*＊:：]+", "", unicodedata.normalize("NFKC", "" if header is None else str(header))).lower()


def personal_header(header: object) -> bool:
    """Whether a register column no field took holds the petitioner's identity (信访人住址, 举报人工作单位, 备用电话,
    年龄, 身份证复印件, 来电人, 来信人, 备用号码, or a person beside the writer: 联系人, 家属, 代理人 …): its cells are
    withheld wherever identities are (import preview, rejected rows, the case's register columns, the register
    export). A column about the reported side (被反映人电话),
    a count (反映人数) or the letter's own number (信访件号码) is not."""
    h = header_key(header)
    if not h or h.startswith("被") or h.endswith("数"):
        return False
    if any(w in h for w in WRITER_WORDS):  # 来电人, 来信人住址: the writer whatever follows
        return True
    if any(w in h for w in _CONTACT_WORDS) and not h.startswith(_OFFICE_HEADS):
        return True  # 联系人, 紧急联系人, 家属, 代理人: a person beside the writer
    words = [w for w in _IDENTITY_WORDS if w in h]
    if words == ["号码"] and any(n in h for n in _LETTER_NUMBERS):
        return False
    return bool(words)


_URL_RE = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.)[^\s，。；、）)】」]*")


def analysis_text(text: str, names: Iterable[str] = ()) -> str:
    """A letter's words as the analysis of related letters reads them: no petitioner name (:func:`without_names`),
    no phone or ID number, no web address and no hidden control characters. Walk F found petitioners' phones in
    关联分析's labels (13905961000身份证: the segmenter glued the number to the next word) and pieces of a URL
    (evil、example、http) among a group's shared words. Each is replaced by a space, so no placeholder word becomes a
    word two letters share."""
    text = half_width(shown_plain(text or ""))
    text = without_names(text, (*names, *self_named(text)))
    for _kind, pattern in IDENTITY_PATTERNS:
        text = pattern.sub(" ", text)
    return _URL_RE.sub(" ", text)


def without_names(text: str, names: Iterable[str]) -> str:
    """``text`` with every form of ``names`` (:func:`name_forms`) taken out, longest first: what the analysis of
    related letters reads, so that no keyword, label or explanation of it carries a petitioner's name."""
    forms = sorted({f for n in names for f in name_forms(n)}, key=len, reverse=True)
    for form in forms:
        text = text.replace(form, "")
    return text


def mask_phone(phone: str | None) -> str:
    """Mask a phone number, keeping the first 3 and last 4 digits: 13812341234 -> 138****1234.

    Parameters
    ----------
    phone
        Any phone text; non-digits are dropped first.

    Returns
    -------
    str
        The masked number; short numbers keep only their last 2 digits.
    """
    if not phone:
        return ""
    digits = re.sub(r"\D", "", str(phone))
    if not digits:
        return ""
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) >= 7:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def mask_id_number(id_number: str | None) -> str:
    """Hide an ID number completely except its length class: field packets show no ID digits.

    Returns
    -------
    str
        ``"******************"`` style mask, or an empty string when there is none.
    """
    if not id_number or not str(id_number).strip():
        return ""
    return "*" * len(str(id_number).strip())


def safe_cell(value: object) -> object:
    """Neutralise a value for Excel/CSV so a cell can never be read as a formula.

    Strings starting with ``= + - @`` (or tab/CR, or their full-width forms) get a leading apostrophe,
    as OWASP recommends; numbers and dates pass through unchanged.
    """
    if isinstance(value, str) and (
        value.startswith(_FORMULA_PREFIXES) or (value.startswith("'") and value[1:].startswith(_FORMULA_PREFIXES))
    ):
        return "'" + value  # the second case keeps plain_cell(safe_cell(v)) == v for a value that had one already
    return value


def escape_html(value: object) -> str:
    """Escape any value for HTML text or attribute context (quotes included)."""
    return html.escape(shown_plain("" if value is None else str(value)), quote=True)


def safe_row(values) -> list:
    """Every cell of a row through :func:`safe_cell`: the one call each CSV/xlsx writer makes per row."""
    return [safe_cell(v) for v in values]


def plain_cell(value: str) -> str:
    """Undo :func:`safe_cell` when reading back a file this program wrote (``'=x`` -> ``=x``)."""
    if isinstance(value, str) and value.startswith("'"):
        rest = value[1:]
        if rest.startswith(_FORMULA_PREFIXES) or (rest.startswith("'") and rest[1:].startswith(_FORMULA_PREFIXES)):
            return rest
    return value


# Markdown (CommonMark + GFM), HTML and Streamlit's own syntax: these characters get a backslash wherever they are,
# so a register value like ``![m](http://x/y.png)`` shows as those characters and never loads anything. Characters
# that only mean something at the start of a line (lists, headings, quotes) are escaped there; line breaks go.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]!<>$~]|:(?=[A-Za-z]))")
# A backslash does not stop GFM's autolinks (checked in Chromium: http\://x, www\.x and a@b.c all became links, and
# walk E found a letter's URL live on an officer's 行程): the colon of ``://``, the dot of ``www.`` and the ``@`` of an
# address are shown full-width instead, which no autolink reads.
_AUTOLINKS = ((re.compile(r"(?<=[A-Za-z]):(?=//)"), "："), (re.compile(r"(?i)(?<![A-Za-z0-9])(www)\."), r"\1．"),
              (re.compile(r"(?<=[\w.+-])@(?=[\w-]+\.)"), "＠"))
# Direction overrides and invisible characters disguise text (‮RTL文本‬ reads 本文LTR; walk E): dropped from what is
# shown.
_HIDDEN_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def shown_plain(text: str) -> str:
    """``text`` without direction overrides and invisible characters (what any page or file shows of user text)."""
    return _HIDDEN_CONTROLS.sub("", text)


_MD_LINE_START = re.compile(r"^(\s*)([-+#=>|]|\d+(?=[.)]))")


def md_text(value: object) -> str:
    """Any value as Markdown that renders as exactly its text (for ``st.markdown``, captions, labels, alerts).

    Images, links, HTML, emphasis, math (``$``), Streamlit colour/icon directives (``:red[...]``) and line-start
    syntax are all neutralised; ordinary punctuation (``-``, ``.``, ``(``) mid-text is left as typed.
    """
    text = shown_plain("" if value is None else str(value))
    text = re.sub(r"[\r\n\t\u2028\u2029]+", " ", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    for pattern, repl in _AUTOLINKS:
        text = pattern.sub(repl, text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                      else m.group(2) + "\\"), text, count=1)


# --- identities written inside free text (反映内容, titles, notes) ------------------------------------------------

# 18-digit (and old 15-digit) resident ID numbers, also written in 6-8-4 groups with spaces or hyphens; any other run
# of 17 digits and a check character is taken for one too (a miswritten birth date is still somebody's number).
_ID_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:[1-9]\d{5}[\s\-]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[\s\-]?\d{3}[\dXx]"
    r"|\d{17}[\dXx]"
    r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
# Mobile numbers (optionally +86), written whole or in 3-4-4 groups.
_MOBILE_RE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d{4}){2}(?![0-9])")
# Landlines with an area code: 0596-1234567, (0596)12345678, 0596 1234 5678.
_LANDLINE_RE = re.compile(r"(?:[(（]0\d{2,3}[)）]|(?<![0-9])0\d{2,3})[\s\-]?\d{3,4}[\s\-]?\d{4}(?![0-9])")
ID_PLACEHOLDER = "[身份证号已隐去]"
#: The one pattern set for identities written in text, as (kind, pattern) with kind ``"id"`` or ``"phone"``: free
#: text on pages and in files (:func:`mask_free_text`) and the log filter (``planner.office.logs``) both use it.
IDENTITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (("id", _ID_RE), ("phone", _MOBILE_RE),
                                                             ("phone", _LANDLINE_RE))


#: Full-width digits and signs (１３８５９６１８８９９, ＋８６) as the ASCII ones the patterns read: an office PC's
#: input method types either, and a number typed full-width is the same number (walk D: one went out unmasked).
_HALF_WIDTH = str.maketrans({**{chr(0xFF10 + k): str(k) for k in range(10)}, "＋": "+", "－": "-", "　": " ",
                             "Ｘ": "X", "ｘ": "x"})


def half_width(text: str) -> str:
    """``text`` with full-width digits, ``＋``, ``－``, ``Ｘ`` and the ideographic space written as ASCII."""
    return text.translate(_HALF_WIDTH)


def mask_free_text(
    text: str | None, names: tuple[str, ...] | list[str] = (), *, keep_names: bool = False, keep_phones: bool = False
) -> str:
    """Mask identities written inside free text: ID numbers always, phones and the given names unless kept.

    Parameters
    ----------
    text
        反映内容, a title, a note.
    names
        The letter's own petitioner names (two characters or more are masked wherever they occur).
    keep_names, keep_phones
        For a reader allowed to see the identity (an unmasked export, audited elsewhere). ID numbers are masked
        whatever the reader: field sheets never carry them.

    Returns
    -------
    str
        The text with ``[身份证号已隐去]``, ``138****1234`` and ``张**`` in place of the identities.
    """
    if not text:
        return ""
    out = str(text)
    if not out.isascii():
        out = half_width(shown_plain(out))  # walk F: ‮RTL‬ text still read reversed in popups and 关联分析
    out = _ID_RE.sub(ID_PLACEHOLDER, out)
    if not keep_phones:
        out = _MOBILE_RE.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))[-11:]), out)
        out = _LANDLINE_RE.sub(lambda m: mask_phone(m.group(0)), out)
    if not keep_names:
        names = (*names, *self_named(out))  # the writer's own name in the text, whatever the 信访人 column says
        for name in sorted({f for n in names for f in name_forms(n)}, key=len, reverse=True):
            out = out.replace(name, mask_name(name))
    return out


#: What a field sheet writes where a letter's text named its writer or a phone: nothing of either is left.
NAME_IN_TEXT_WITHHELD = "[姓名已隐去]"
PHONE_IN_TEXT_WITHHELD = "[电话已隐去]"
# What :func:`mask_free_text` leaves (138****1234, ****1234, 赖**): on a field sheet even these go, since a surname,
# a village and a phone's last four digits name a person in a village. Plans saved earlier hold such fragments too.
_MASKED_PHONE = re.compile(r"(?<![0-9])(?:\d{3})?\*{3,}\d{2,4}(?![0-9])")
_MASKED_NAME = re.compile(r"[\u4e00-\u9fff]\*{1,3}(?![*\d])")


def field_text(text: str | None, names: tuple[str, ...] | list[str] = ()) -> str:
    """A letter's words for a field sheet and an officer's screen: no identity at all, not even a masked part.

    ID numbers, phones and ``names`` (the letter's petitioners) are masked as :func:`mask_free_text` does, then the
    masked parts themselves are replaced: ``我是前进村村民赖**，电话139****1234`` reads
    ``我是前进村村民[姓名已隐去]，电话[电话已隐去]``.
    """
    out = mask_free_text(text, keep_names=True, keep_phones=True)  # ID numbers, hidden characters, full width
    if not out:
        return ""
    out = _MOBILE_RE.sub(PHONE_IN_TEXT_WITHHELD, out)
    out = _LANDLINE_RE.sub(PHONE_IN_TEXT_WITHHELD, out)
    forms = {f for n in (*names, *self_named(out)) for f in name_forms(n)}
    for name in sorted(forms, key=len, reverse=True):
        out = out.replace(name, NAME_IN_TEXT_WITHHELD)
    # Fragments an earlier masking left in a saved plan (赖**, 139****1234); a letter's own bold **粗体** or
    # 某村**虚报**低保 is no name (walks H and 1: they read **粗[姓名已隐去] and 某[姓名已隐去]虚[姓名已隐去]低保).
    out = _MASKED_PHONE.sub(PHONE_IN_TEXT_WITHHELD, out)
    initials = _SURNAME_CHARS | {f[0] for f in forms}
    return "\n".join(_withhold_masked_names(line, initials) for line in out.split("\n"))


_STAR_RUN = re.compile(r"\*+")


def _punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _bold_marks(line: str, initials: frozenset[str] | set[str]) -> set[int]:
    """Where ``line``'s ``**`` runs mark bold text: pairs of a run that may open and a later one that may close
    (CommonMark's flanking rules), unless both stand after a surname (赖**和陈**: two masked names, not bold 和陈)."""
    marks: set[int] = set()
    openers: list[int] = []
    for m in _STAR_RUN.finditer(line):
        if len(m.group(0)) != 2:
            continue
        prev = line[m.start() - 1] if m.start() else ""
        nxt = line[m.end()] if m.end() < len(line) else ""
        opens = bool(nxt) and not nxt.isspace() and (not _punctuation(nxt) or not prev or prev.isspace()
                                                     or _punctuation(prev))
        closes = bool(prev) and not prev.isspace() and (not _punctuation(prev) or not nxt or nxt.isspace()
                                                        or _punctuation(nxt))
        if closes and openers:
            start = openers.pop()
            before_open = line[start - 1] if start else ""
            if not (before_open in initials and prev in initials):
                marks |= {start, m.start()}
        elif opens:
            openers.append(m.start())
    return marks


def _withhold_masked_names(line: str, initials: frozenset[str] | set[str]) -> str:
    """``line`` with each masked name (赖**, 陈*) withheld whole, except a character before a bold mark."""
    # A name withheld already reads as letters around a mark (村**[姓名已隐去]**: bold), as the name did.
    bold = _bold_marks(line.replace(NAME_IN_TEXT_WITHHELD, "某" * len(NAME_IN_TEXT_WITHHELD)), initials)
    return _MASKED_NAME.sub(lambda m: m.group(0) if m.start() + 1 in bold else NAME_IN_TEXT_WITHHELD, line)


# A petitioner's request that their identity be kept from the people they report (保密) — in a register column
# (备注: 保密 / 要求保密; 是否保密: 是) or in the letter itself (请为我保密, 不要透露我的身份 ...).
_NEGATED = re.compile(r"(不|无需|无须|不需|不用|不必|没有|无)(要求)?(需要)?保密|保密[:：]?\s*(否|无|不需要)")
_ASKS = re.compile(
    r"(要求|请求|恳请|希望|请|务必|一定要|麻烦)[^。！？!?\n]{0,8}保密"
    r"|为(我|本人|举报人|信访人)[^。！？!?\n]{0,6}保密"
    r"|(不要|别|切勿|请勿|不得)(透露|泄露|暴露|公开|告诉)[^。！？!?\n]{0,10}(我|本人|举报人|信访人|身份|姓名|名字)"
)
_MARK = re.compile(r"(^|[，,；;、。\s(（])(举报人|信访人)?(需|要求|注意|请|须|申请|需要)?保密($|[，,；;、。\s)）])")
_YES = frozenset({"是", "y", "yes", "√", "✓", "✔", "1", "需要", "要求", "要", "需保密", "要求保密", "保密", "true"})


def confidentiality_request(extra: Mapping[str, object] | Iterable[tuple[str, object]] | None,
                            content: str = "") -> str:
    """Why a letter's petitioner asks for confidentiality, in words (``登记表“备注”列注明保密``), or ``""``.

    A register column whose header says 保密 with an affirmative value, any column whose text asks for it (not
    ``不需保密``), or the letter's own words (``请为我保密``, ``不要透露我的身份``). Field sheets print the warning:
    the officers must not tell the people reported, or the village cadres they meet, who wrote. The words never
    quote the cell or the letter (they may hold a name).
    """
    items = extra.items() if isinstance(extra, Mapping) else (extra or ())
    for header, value in items:
        h, v = str(header or "").strip(), str(value or "").strip()
        if not v or _NEGATED.search(v):
            continue
        if ("保密" in h and v.lower() in _YES) or _MARK.search(v) or _ASKS.search(v):
            return f"登记表“{h}”列注明保密"
    text = str(content or "")
    if (m := _ASKS.search(text)) and not _NEGATED.search(m.group(0)):
        return "来信中要求为信访人保密"
    return ""


# --- searching letters by what the reader can see -------------------------------------------------------------------

def search_words(query: str | None) -> list[str]:
    """The words of a search box (split on any whitespace, full-width space included), in order, without repeats."""
    return list(dict.fromkeys(str(query or "").split()))


def visible_search_text(
    visible: Iterable[object] = (), free_text: Iterable[object] = (), names: Iterable[str] = (), *,
    unmasked: bool = False,
) -> str:
    """The text a search may look in for one letter: exactly what its reader can see, lower-cased.

    Parameters
    ----------
    visible
        Fields every reader sees as they are (number, county, town, village, category).
    free_text
        The letter's own words (反映内容, title, address, notes): masked by :func:`mask_free_text` with ``names``, as
        every page shows them — so an ID number, a phone or a petitioner's name written in a letter cannot be typed
        into a search to find out who wrote it (the display masked it; the search must not confirm it).
    names
        The letter's own petitioner names (masked wherever they occur in ``free_text``).
    unmasked
        Only for an account that has the unmask right *and* has revealed identities on that page (audited there):
        names and phones are searched as written. ID numbers stay masked, as on every page.
    """
    names = tuple(n for n in names if n)
    parts = [str(v) for v in visible if v]
    parts += [mask_free_text(str(t), names, keep_names=unmasked, keep_phones=unmasked) for t in free_text if t]
    return "\n".join(parts).casefold()


def matches_search(
    query: str | None, visible: Iterable[object] = (), free_text: Iterable[object] = (), names: Iterable[str] = (),
    *, unmasked: bool = False,
) -> bool:
    """Whether every word of ``query`` occurs (ignoring case) in :func:`visible_search_text` of one letter.

    The one rule for every search box that matches letters' words (回访跟踪, and any other page that adds one):
    a search matches only what the reader can see. No words: True.
    """
    words = [w.casefold() for w in search_words(query)]
    if not words:
        return True
    text = visible_search_text(visible, free_text, names, unmasked=unmasked)
    return all(w in text for w in words)
