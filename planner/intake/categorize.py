"""Infer a letter's problem category (问题类别) from its text when the register has none, with the reason.

Keyword rules, not a model: every inference names the words that decided it (``反映内容含“桉树”“采伐”``) and how
sure it is, so a clerk can see why and correct it. A word counts once however often it occurs, and words that
overlap in the text count once (采石场); a category needs at least one strong word, and the margin over the runner-up
sets how sure it is. Words of a matter in general (好处费, 殴打, 收了…的钱) name 干部作风 only where the letter is
about a cadre or an office and no word of a particular matter (低保, 危改补助, 林权) is there, and such a guess is
always flagged for checking. A letter with no clear sign stays 未分类.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Category -> (strong words, weak words). A strong word alone decides; weak words only add weight. A county
#: register words one matter in many ways (采砂, 抽砂, 盗采河砂; 大操大办, 大摆宴席; 危改补助款): the everyday
#: variants are here, each a sign of its matter and not of another (walk W28: 32% of a register came out 未分类).
#: Where a matter has no category of its own the office's usage decides: digging sand, stone and ore (采砂, 矿山)
#: is 环境 (生态环境和资源保护, checked on the site), a cadre's conduct towards the people and in office (违反群众、
#: 廉洁、工作、生活纪律: 吃拿卡要, 收受红包礼金, 大操大办, 违规经商, 赌博) is 干部作风, a village election (贿选,
#: 拉票) is 村务 (村务财务), the 惠民惠农 funds paid by 一卡通 (高龄津贴, 计生奖扶, 危改补助) are 惠农补贴.
_RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "林业": (("林业站", "林业局", "山林", "林地", "林木", "采伐", "盗伐", "毁林", "公益林", "林权", "桉树", "砍伐",
              "护林", "造林", "砍树", "伐木", "森林", "偷砍", "滥伐", "乱砍", "林区", "林场", "退耕还林", "苗木",
              "封山育林", "防火林带", "森林防火", "木材检查站", "收购木材", "生态林", "林业", "责任山林",
              "运木材", "红树林"),
             ("林农", "木材", "竹林", "果树", "树木", "树苗", "山火", "偷运")),
    "扶贫资金": (("扶贫", "脱贫户", "脱贫", "贫困户", "雨露计划", "帮扶资金", "乡村振兴资金", "产业奖补", "防返贫",
                  "返贫", "监测对象", "帮扶干部", "结对帮扶", "帮扶手册", "衔接资金", "小额信贷", "到户资金",
                  "易地搬迁", "建档立卡"),
                 ("合作社", "光伏", "帮扶", "困难户")),
    "征地拆迁": (("征地", "征收", "拆迁", "强拆", "安置房", "青苗补偿", "地上附着物", "过渡费", "被征地", "土地补偿",
                  "占地补偿", "征迁", "征拆", "补偿面积", "安置面积", "拆迁面积", "征收面积", "确权面积", "征用",
                  "旧村改造", "城中村改造", "棚户区改造", "棚改", "移民安置", "搬迁安置", "旧改", "旧城改造",
                  "三旧改造", "拆迁补偿", "征收补偿", "安置补偿"),
                 ("补偿款", "补偿标准", "安置", "丈量", "评估", "推平", "修路", "补偿")),
    "低保": (("低保", "特困", "供养金", "五保", "临时救助", "最低生活保障", "孤儿", "基本生活费",
              "事实无人抚养", "分散供养", "集中供养", "敬老院", "低收入", "救助金"),
             ("救助", "残疾人", "救灾物资", "困难群众")),
    "村务财务": (("村财", "村务公开", "财务公开", "白条", "招待费", "集体资金", "村务监督", "账目",
                  "贿选", "拉票", "发包", "集体资产", "集体店面", "村民代表大会", "承包款", "私分",
                  "承包费", "海域使用金", "鱼塘承包", "集体鱼塘", "集体山林承包", "不入账", "账外账", "小金库",
                  "集体收入", "集体收益", "集体山场", "集体厂房", "集体池塘", "集体股份", "集体企业", "村办企业",
                  "集体经济", "集体利益", "三资", "清产核资", "村级财务", "查账", "村账", "集体债务", "村级债务",
                  "低价出租", "低价变卖", "低价承包", "集体负债", "集体渔船", "选举", "四议两公开", "集体账户",
                  "虚列开支", "村级收入"),
                 ("公开", "审计", "去向不明", "换届", "租金", "截留", "经费", "海域", "养殖", "鱼塘", "出租",
                  "集体土地", "挪用", "变卖", "续租", "担保", "报销", "开支")),
    "工程建设": (("工程", "施工", "承建", "招标", "工程款", "偷工减料", "农民工工资", "一事一议", "工地", "包工头",
                  "违法分包", "围标", "串标", "中标", "豆腐渣", "高标准农田", "道路硬化", "硬化", "防洪堤",
                  "水渠", "水利设施", "讨薪", "水泥路", "招投标", "施工队", "材料款", "工程质量", "修路款", "工程资金",
                  "完工", "竣工"),
                 ("质量", "造价", "开裂", "验收", "项目", "拖欠工资", "停工", "修路", "道路", "村道", "转包")),
    "环境": (("排污", "污水", "偷排", "采砂", "垃圾", "臭气", "养猪场", "污染", "开采石料", "噪音", "粉尘", "抽砂",
              "挖砂", "洗砂", "盗采", "河砂", "海砂", "砂场", "砂石场", "采矿", "矿山", "开矿", "私挖", "盗挖",
              "稀土", "浸矿", "采石", "石场", "非法开采", "废水", "废气", "废渣", "黑烟", "焚烧", "扬尘", "噪声",
              "恶臭", "发臭", "刺鼻", "倾倒", "渣土", "粪水", "粪便", "水源地", "饮用水源", "复绿", "水土流失",
              "电镀", "化工厂", "死鱼", "生态环境", "排放", "挖沙", "采沙", "抽沙", "河沙", "海沙", "洗沙",
              "沙场", "尾矿", "重金属", "采石场", "填埋场", "渗滤液", "冒黑烟", "烟尘"),
             ("河水", "环保", "生态", "河道", "砂石", "堤坝", "堤岸", "山体", "鸭场", "养殖场", "水源", "异味",
              "臭味", "牛粪", "猪粪", "鸡粪")),
    "干部作风": (("上班时间", "打牌", "吃拿卡要", "公车私用", "开公车", "婚宴", "礼金", "态度粗暴", "辱骂",
                  "违规经商", "经商办企业", "入股", "不作为", "刁难", "办事难", "跑了", "一拖再拖", "回扣",
                  "收受", "赌博", "赌钱", "打麻将", "吃喝", "宴请", "酒驾", "保护费", "乱收费", "违规收费",
                  "服务费", "管理费", "城管", "选择性执法", "执法不公", "暴力执法", "乱罚款", "饮酒", "喝酒",
                  "醉驾", "酒后驾驶", "公款旅游", "索贿", "受贿", "索要", "收红包", "办案不公", "随意罚款",
                  "罚款不开票", "不开票", "不开收据", "大操大办", "大摆宴席", "婚丧喜庆", "升学宴", "乔迁宴",
                  "购物卡", "消费卡", "干股", "私车公养", "公车", "公务车", "推诿", "扯皮", "乱作为",
                  "慢作为", "脱岗", "吃空饷", "白吃白拿", "不付钱", "保护伞", "态度恶劣", "门难进", "脸难看",
                  "庸懒散", "工作作风", "酒席", "宴席", "摆酒", "骂人", "收钱放行", "包庇", "纵容",
                  "失职", "渎职"),
                 ("干部", "工作人员", "群众办事", "收费", "执法", "罚款", "押金", "好处", "红包")),
    "惠农补贴": (("耕地地力保护补贴", "农机购置补贴", "种粮补贴", "危房改造", "惠农", "农业补贴", "补贴", "危改",
                  "补助款", "补助金", "补助资金", "津贴", "高龄津贴", "高龄补贴",
                  "地力补贴", "奖励扶助", "奖扶", "燃油补助", "改厕", "一卡通",
                  "惠民", "修缮补助", "修缮补贴", "维修补助", "维修补贴", "保护补助", "建房补助", "改造补助"),
                 ("补助",)),
    "医疗社保": (("医保", "社保", "养老金", "养老保险", "医疗救助", "新农合", "医院", "卫生院", "卫生室", "村医",
                  "合作医疗", "骗保", "挂床", "医疗保险", "大病救助", "行医", "社会保险"),
                 ("医生", "诊所", "报销", "药品", "住院", "参保")),
    "教育": (("学校", "教师", "学生", "学费", "营养餐", "校长", "择校", "幼儿园", "小学", "中学", "教育局",
              "班主任", "老师", "助学金", "贫困生", "补课", "辅导班", "校服", "教辅", "校舍", "入学", "招生",
              "体罚", "家长"),
             ("食堂", "学位", "赞助费")),
    "土地纠纷": (("宅基地", "权属纠纷", "土地纠纷", "山地权属", "地界", "土地承包", "山地纠纷", "土地权属",
                  "集体土地被", "私自租", "占用耕地", "乱占耕地", "违规建房", "违建", "基本农田", "违规建设",
                  "违法建设", "违章建筑", "违章搭建", "非法占地", "违法占地", "承包地", "责任田", "土地确权",
                  "土地流转", "流转合同", "退地", "界线", "山界", "田界", "口粮田", "自留地", "自留山", "责任山",
                  "权属", "归属"),
                 ("租给", "建厂", "侵占", "霸占", "种植", "确权", "建房", "占地")),
}
#: Category -> words of a matter in general that name this category only when no word of a particular matter does:
#: a cadre who takes money, favours kin or strikes a petitioner is 干部作风 (群众纪律, 廉洁纪律), but the same words
#: about 低保 or 林权 name that matter (``低保名额给关系户，收好处费`` is 低保). They weigh less than a strong word.
_FALLBACK: dict[str, tuple[str, ...]] = {
    "干部作风": ("好处费", "优亲厚友", "利用职务之便", "利用职权", "以权谋私", "殴打", "打人", "威胁", "恐吓",
                 "摊派", "强买强卖", "挂名", "冒名顶替", "据为己有", "挪作他用", "虚报", "优厚亲友", "关系户",
                 "违规办理", "违规审批", "违规发放", "突击入党", "长期不在村", "私自带回家", "要好处", "收钱", "要钱",
                 "动手打", "打了", "亲戚", "亲属", "承接", "承揽", "暗箱操作", "送礼", "收礼", "公款", "不管不问",
                 "睁一只眼闭一只眼", "强行"),
}
#: A cadre, an official or an office the letter is about: words of _FALLBACK need one.
_OFFICIAL = re.compile(r"干部|书记|支书|主任|村长|组长|会计|报账员|委员|镇长|乡长|所长|站长|局长|科长|队长|院长|校长"
                       r"|领导|民警|警察|交警|辅警|城管|工作人员|公职人员|镇里|乡里|镇政府|乡政府|村委|党员")
#: Category -> (strong, weak) patterns: what they match counts as a strong or weak word of it. A county register
#: writes these in many ways (侵占村集体山地, 霸占组里的耕地, 非法占用村民小组土地; 多算面积, 虚增了安置面积); an
#: area counted too large is only weak: it may be a subsidy's area (多报种粮面积) as well as a compensation's.
_OCCUPY = re.compile(r"(?:侵占|霸占|强占|私占|抢占|非法占用|违规占用|擅自占用|占用)"
                     r"[^。；，,！？]{0,8}?"
                     r"(?:山地|土地|耕地|林地|荒地|荒山|山场|田地|坡地|滩涂|园地|自留山|自留地|用地|村里的地|组里的地)")
_AREA = re.compile(r"(?:多算|多报|多量|多丈量|虚增|虚报|虚构|虚列|重复计算)了?[^。；，,！？]{0,6}?面积")
#: Land, a house or an orchard taken with nothing paid for it (占地不给补偿, 把我家果园推平了，一分钱没补).
_UNPAID = re.compile(r"(?:占地|占用|占了|征用|征了|推平|推倒|挖掉|毁掉|铲平)[^。；！？]{0,12}?"
                     r"(?:补偿|赔偿|没补|不补|没赔|不赔|一分钱)")
#: Money asked of a person before a cadre signs or acts (要了四千块钱才签字): 吃拿卡要 in everyday words.
_ASKED = re.compile(r"(?:要了|收了|拿了|索取|收取)[^。；，,！？]{0,6}?(?:钱|元|块)[^。；！？]{0,6}?(?:才|就)")
#: A village's collective property written apart (村集体的山场, 集体的厂房): 三资 (land and hill forest are their own
#: matters: 土地纠纷, 林业).
_COLLECTIVE = re.compile(r"集体的?(?:山场|厂房|店面|鱼塘|池塘|资产|资金|收入|股份|企业|渔船|房产|仓库|水库|矿产)"
                         r"|(?:村委会|村里|村集体|村级|村部)的?(?:账|钱|公款|收入|收益|资金|经费|店面|厂房|山场|鱼塘|池塘|资产"
                         r"|仓库)")
#: A fee levied without ground (违规向村民收取卫生保洁费, 乱收取管理费): 乱收费 (群众纪律).
_FEE = re.compile(r"(?:违规|乱|强行|擅自|私自|变相)[^。；，,！？]{0,6}?收取?[^。；，,！？]{0,10}?费")
#: A feast told by its tables (办了八十桌, 摆了60多桌): 大操大办.
_TABLES = re.compile(r"(?:办了|摆了|请了|开了)?(?:\d+|[一二三四五六七八九十百几]+)多?桌")
_PATTERNS: dict[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]] = {
    "土地纠纷": ((_OCCUPY,), ()),
    "村务财务": ((_COLLECTIVE,), ()),
    "征地拆迁": ((_UNPAID,), (_AREA,)),
    "干部作风": ((_TABLES, _FEE), ()),
}
#: Money or gifts a cadre took (村干部收了电站老板的钱, 收了好处): a matter in general, like 好处费.
_TAKEN = re.compile(r"收了[^。；，,！？]{0,8}?(?:钱|好处|红包|礼)")
#: Category -> patterns of a matter in general (as :data:`_FALLBACK`).
_FALLBACK_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {"干部作风": (_ASKED, _TAKEN)}
#: Equal weights: a particular matter (a fund, a sector) before conduct in general (危改补助扣了管理费 is 惠农补贴).
_ORDER = {c: i for i, c in enumerate(sorted(_RULES, key=lambda c: c in _FALLBACK))}
#: Words that point to one category even when another category's words are also present.
_DECISIVE = frozenset(("吃拿卡要", "桉树", "贿选", "强拆", "低保", "危房改造", "扶贫", "脱贫户", "宅基地", "盗伐",
                       "偷排", "征地", "权属纠纷", "雨露计划", "公车私用", "大操大办", "违规经商", "采砂", "抽砂",
                       "盗采", "挖砂", "河砂", "海砂", "洗砂", "挖沙", "采沙", "抽沙", "河沙", "海沙",
                       "退耕还林", "防返贫", "耕地地力保护补贴", "地力补贴", "种粮补贴",
                       "农机购置补贴", "高龄津贴", "高龄补贴", "危改", "最低生活保障", "骗保", "助学金"))
_STRONG = 2.0
_FALLBACK_WEIGHT = 1.5
_WEAK = 0.5
#: Below this certainty an inference is flagged for a clerk to check.
CHECK_BELOW = 0.6
#: The most certainty words of a matter in general (:data:`_FALLBACK`) give alone: below :data:`CHECK_BELOW`.
_GENERAL_AT_MOST = 0.55


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


def _distinct(words: list[str], text: str, taken: list[tuple[int, int]]) -> list[str]:
    """The words (in their order) with an occurrence in ``text`` that no word counted before overlaps (decisive and
    longer words first): 林业站 and 林业 count once, 采石场 is one word and not 采石 and 石场, 违规经商办企业 is
    违规经商. ``taken`` gathers the spans counted."""
    keep: set[str] = set()
    for w in sorted(dict.fromkeys(words), key=lambda w: (w not in _DECISIVE, -len(w))):
        spans = [m.span() for m in re.finditer(re.escape(w), text)]
        if any(not any(s < e and b < t for b, e in taken) for s, t in spans):
            keep.add(w)
            taken.extend(spans)
    return [w for w in dict.fromkeys(words) if w in keep]


def _scores(text: str) -> dict[str, tuple[float, list[str], bool]]:
    """Category -> (weight, the words found, whether a word of its own matter was found rather than general ones)."""
    out: dict[str, tuple[float, list[str], bool]] = {}
    official = bool(_OFFICIAL.search(text))
    for category, (strong, weak) in _RULES.items():
        strong_p, weak_p = _PATTERNS.get(category, ((), ()))
        taken: list[tuple[int, int]] = []
        found_strong = _distinct([w for w in strong if w in text]
                                 + [m.group(0) for p in strong_p for m in p.finditer(text)], text, taken)
        # Words of a matter in general name 干部作风 only where the letter is about a cadre or an office.
        general = _FALLBACK.get(category, ()) if official or found_strong else ()
        general_p = _FALLBACK_PATTERNS.get(category, ()) if official or found_strong else ()
        found_general = _distinct([w for w in general if w in text]
                                  + [m.group(0) for p in general_p for m in p.finditer(text)], text, taken)
        if not found_strong and not found_general:
            continue
        found_weak = _distinct([w for w in weak if w in text]
                               + [m.group(0) for p in weak_p for m in p.finditer(text)], text, taken)
        score = (sum(2 * _STRONG if w in _DECISIVE else _STRONG for w in found_strong)
                 + _FALLBACK_WEIGHT * len(found_general) + _WEAK * len(found_weak))
        out[category] = (score, found_strong + found_general + found_weak, bool(found_strong))
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
    # A category named by words of a matter in general only (_FALLBACK) comes after any named by its own words.
    ranked = sorted(scores.items(), key=lambda kv: (not kv[1][2], -kv[1][0], _ORDER[kv[0]]))
    best, (score, words, particular) = ranked[0]
    second = ranked[1][1][0] if len(ranked) > 1 else 0.0
    lead = max(0.0, (score - second) / score)
    amount = min(1.0, score / (2 * _STRONG))
    confidence = round(0.35 + 0.4 * lead + 0.25 * amount, 2)
    # Words of a matter in general only (好处费, 殴打): a clerk is asked to check.
    return CategoryGuess(best, min(confidence, 0.99 if particular else _GENERAL_AT_MOST), tuple(words))


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
