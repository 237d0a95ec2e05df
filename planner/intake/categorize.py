"""Infer a letter's problem category (问题类别) from its text when the register has none, with the reason.

Keyword rules, not a model: every inference names the words that decided it (``反映内容含“桉树”“采伐”``) and how
sure it is, so a clerk can see why and correct it. A word counts once however often it occurs; a category needs
at least one strong word, and the margin over the runner-up sets how sure it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Category -> (strong words, weak words). A strong word alone decides; weak words only add weight.
_RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "林业": (("林业站", "林业局", "山林", "林地", "林木", "采伐", "盗伐", "毁林", "公益林", "林权", "桉树", "砍伐",
              "护林", "造林", "砍树", "伐木"), ("林农", "木材", "竹林", "果树")),
    "扶贫资金": (("扶贫", "脱贫户", "脱贫", "贫困户", "雨露计划", "帮扶资金", "乡村振兴资金", "产业奖补"),
                 ("合作社", "光伏")),
    "征地拆迁": (("征地", "征收", "拆迁", "强拆", "安置房", "青苗补偿", "地上附着物", "过渡费", "被征地", "土地补偿",
                  "占地补偿", "征迁", "征拆", "补偿面积", "安置面积", "拆迁面积", "征收面积", "确权面积"),
                 ("补偿款", "补偿标准", "安置", "丈量", "评估")),
    "低保": (("低保", "特困供养", "特困人员", "供养金", "五保", "临时救助"), ("救助", "残疾人")),
    "村务财务": (("村财", "村务公开", "财务公开", "白条", "招待费", "集体资金", "村务监督", "账目",
                  "贿选", "拉票", "发包", "集体资产", "集体店面", "挪用", "去向不明", "村民代表大会", "承包款", "私分",
                  "承包费", "海域使用金", "鱼塘承包", "集体鱼塘", "集体山林承包", "不入账", "账外账", "小金库",
                  "集体收入"),
                 ("公开", "审计", "换届", "租金", "截留", "经费", "海域", "养殖", "鱼塘", "出租", "集体土地")),
    "工程建设": (("工程", "施工", "承建", "招标", "验收", "工程款", "偷工减料", "农民工工资", "一事一议", "项目"),
                 ("质量", "造价", "开裂")),
    "环境": (("排污", "污水", "偷排", "采砂", "垃圾", "臭气", "养猪场", "污染", "开采石料", "噪音", "粉尘"),
             ("河水", "环保", "生态")),
    "干部作风": (("上班时间", "打牌", "吃拿卡要", "公车私用", "开公车", "婚宴", "礼金", "态度粗暴", "辱骂",
                  "违规经商", "经商办企业", "入股", "不作为", "刁难", "办事难", "跑了", "一拖再拖", "回扣",
                  "收受", "赌博", "赌钱", "打麻将", "吃喝", "宴请", "酒驾", "保护费", "乱收费", "违规收费",
                  "服务费", "管理费", "城管", "选择性执法", "执法不公", "暴力执法", "乱罚款", "饮酒", "喝酒",
                  "醉驾", "酒后驾驶", "公款旅游", "索贿", "受贿", "索要", "收红包", "办案不公", "随意罚款",
                  "罚款不开票", "不开票", "不开收据"),
                 ("干部", "工作人员", "群众办事", "收费", "执法", "罚款", "押金", "好处", "红包")),
    "惠农补贴": (("耕地地力保护补贴", "农机购置补贴", "种粮补贴", "危房改造", "惠农", "农业补贴", "补贴"),
                 ("补助",)),
    "医疗社保": (("医保", "社保", "养老金", "养老保险", "医疗救助", "新农合"), ("医院", "卫生院")),
    "教育": (("学校", "教师", "学生", "学费", "营养餐", "校长", "择校"), ("幼儿园",)),
    "土地纠纷": (("宅基地", "权属纠纷", "土地纠纷", "山地权属", "地界", "土地承包", "山地纠纷", "土地权属",
                  "集体土地被", "私自租", "占用耕地", "乱占耕地", "违规建房", "违建", "基本农田", "违规建设",
                  "违法建设", "违章建筑", "违章搭建", "非法占地", "违法占地"),
                 ("租给", "建厂", "侵占", "霸占", "种植")),
}
#: Category -> (strong, weak) patterns: what they match counts as a strong or weak word of it. A county register
#: writes these in many ways (侵占村集体山地, 霸占组里的耕地, 非法占用村民小组土地; 多算面积, 虚增了安置面积); an
#: area counted too large is only weak: it may be a subsidy's area (多报种粮面积) as well as a compensation's.
_OCCUPY = re.compile(r"(?:侵占|霸占|强占|私占|抢占|非法占用|违规占用|擅自占用)[^。；，,！？]{0,8}?"
                     r"(?:山地|土地|耕地|林地|荒地|荒山|山场|田地|坡地|滩涂|园地|自留山|自留地)")
_AREA = re.compile(r"(?:多算|多报|多量|多丈量|虚增|虚报|虚构|虚列|重复计算)了?[^。；，,！？]{0,6}?面积")
_PATTERNS: dict[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]] = {
    "土地纠纷": ((_OCCUPY,), ()),
    "征地拆迁": ((), (_AREA,)),
}
#: Words that point to one category even when another category's words are also present.
_DECISIVE = frozenset(("吃拿卡要", "桉树", "贿选", "强拆", "低保", "危房改造", "扶贫", "脱贫户", "宅基地", "盗伐",
                       "偷排", "征地", "权属纠纷", "雨露计划"))
_STRONG = 2.0
_WEAK = 0.5
#: Below this certainty an inference is flagged for a clerk to check.
CHECK_BELOW = 0.6


@dataclass(frozen=True, slots=True)
class CategoryGuess:
    """An inferred category, why, and how sure (0..1); ``category`` is "" when nothing matched."""

    category: str
    confidence: float
    words: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why, in Chinese: ``按反映内容推断：含“桉树”“采伐”（把握较大）``."""
        if not self.category:
            return "反映内容没有可判断类别的词，未分类"
        quoted = "".join(f"“{w}”" for w in self.words[:4])
        return f"按反映内容推断：含{quoted}（{self.sureness}）"

    @property
    def sureness(self) -> str:
        """How sure, in words."""
        return sureness(self.confidence)


def _scores(text: str) -> dict[str, tuple[float, list[str]]]:
    out: dict[str, tuple[float, list[str]]] = {}
    for category, (strong, weak) in _RULES.items():
        found_strong = [w for w in strong if w in text]
        strong_p, weak_p = _PATTERNS.get(category, ((), ()))
        found_strong = list(dict.fromkeys(found_strong + [m.group(0) for p in strong_p for m in p.finditer(text)]))
        # A word inside a longer found word counts once (林业站 and 林业 do not both count).
        found_strong = [w for w in found_strong if not any(w != o and w in o for o in found_strong)]
        if not found_strong:
            continue
        found_weak = [w for w in (*weak, *(m.group(0) for p in weak_p for m in p.finditer(text)))
                      if w in text and not any(w in s or s in w for s in found_strong)]
        score = sum(2 * _STRONG if w in _DECISIVE else _STRONG for w in found_strong) + _WEAK * len(found_weak)
        out[category] = (score, found_strong + found_weak)
    return out


def infer_category(*texts: str) -> CategoryGuess:
    """Guess the category of a letter from its title, content and reported units.

    Parameters
    ----------
    texts
        The letter's texts (title, content, reported units ...); empty ones are ignored.

    Returns
    -------
    CategoryGuess
        The category with the most weight, the words that decided it and a confidence in 0..1: higher with more
        words and a clearer lead over the runner-up. ``category`` is "" when no rule matched.
    """
    text = re.sub(r"\s+", "", "。".join(t for t in texts if t))
    scores = _scores(text)
    if not scores:
        return CategoryGuess("", 0.0, ())
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], list(_RULES).index(kv[0])))
    best, (score, words) = ranked[0]
    second = ranked[1][1][0] if len(ranked) > 1 else 0.0
    lead = (score - second) / score
    amount = min(1.0, score / (2 * _STRONG))
    confidence = round(0.35 + 0.4 * lead + 0.25 * amount, 2)
    return CategoryGuess(best, min(confidence, 0.99), tuple(words))


#: How the import keeps the register's own word when it reads it as one of this product's categories
#: (``原文：三资管理`` on a letter stored as 村务财务): the basis of the category, and what people read.
WRITTEN_PREFIX = "原文："
#: After the written word, how the letter's text decided a word several categories share
#: (``原文：资金（按反映内容含“扶贫”，读作扶贫资金）``, :mod:`planner.intake.category_words`).
TEXT_READING = "（按反映内容"


def sureness(confidence: float | None) -> str:
    """How sure an inference is, in words (``把握较大`` …); ``""`` when no figure is known."""
    if confidence is None:
        return ""
    if confidence >= 0.8:
        return "把握较大"
    if confidence >= CHECK_BELOW:
        return "把握一般"
    return "把握较小，请核对"


def category_as_written(source: str, reason: str) -> str:
    """The register's own word for a category the import read as one of this product's (``三资管理``), or ``""``
    when the register wrote the product's word itself, the category was inferred or a person corrected it."""
    if source or not reason.startswith(WRITTEN_PREFIX):
        return ""
    return reason.removeprefix(WRITTEN_PREFIX).split(TEXT_READING, 1)[0].strip()


def category_label(category: str, source: str = "", reason: str = "", confidence: float | None = None, *,
                   grouped: bool = False) -> str:
    """A letter's category as people read it: the register's word as written, and an inference said to be one.

    Parameters
    ----------
    category
        The stored category (this product's word, ``村务财务``).
    source, reason, confidence
        How it was set (``category_source``, ``category_reason``, ``category_confidence`` of the case).
    grouped
        Also name the product's category a register word is counted under, where lists are filtered and figures
        grouped by it (选件, 案件地图): ``三资管理（按村务财务统计）``.

    Returns
    -------
    str
        ``三资管理`` (the office's own word, never silently replaced), ``林业（按内容推断，把握较大）``, the category
        as stored, or ``未分类``.
    """
    if not category:
        return "未分类"
    written = category_as_written(source, reason)
    if written and written != category:
        return f"{written}（按{category}统计）" if grouped else written
    if source == "inferred":
        sure = sureness(confidence)
        return f"{category}（按内容推断{'，' + sure if sure else ''}）"
    return category
