"""Demo register of Zhangzhou petition letters (fake people, real places), written as an office keeps it.

``generate_letters(seed, letters)`` builds the letters; ``register_xlsx_bytes`` writes them as an office keeps
its register (Chinese headers, a title row, mixed address styles, some GPS columns); ``write_demo`` writes the
register and optionally the ground truth (``id, issue, repeat_of``) used by the clustering tests.
``planner.intake.demo_seed.load_demo_if_empty(engine)`` fills an empty database with it.

Every personal field is invented: names are drawn from common surnames, phone numbers are 13x/15x/18x numbers
with random digits, ID numbers carry a valid check digit but a random birth date and sequence.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from planner.domain import HANDLING_DAYS
from planner.errors import InputError
from planner.intake.identity import id_check_digit
from planner.intake.workbooks import FIXED_STAMP as _FIXED_STAMP
from planner.intake.workbooks import deterministic_xlsx

log = logging.getLogger(__name__)

#: Columns of the demo register, in order, as an office writes them.
REGISTER_HEADERS: tuple[str, ...] = (
    "编号", "收件日期", "办理期限", "来源", "问题类别", "信访人", "联系电话", "身份证号",
    "反映内容", "被反映人", "被反映单位", "地址", "经度", "纬度", "坐标系", "办理状态",
)
TRUTH_HEADERS: tuple[str, ...] = ("id", "issue", "repeat_of")

#: The register covers the year up to this day (fixed, so the same seed gives the same file on any day).
REGISTER_END = dt.date(2026, 11, 20)
REGISTER_START = REGISTER_END - dt.timedelta(days=364)

#: Approximate resident population (10,000s, 2020 census, current boundaries): weights for where letters come from.
COUNTY_POPULATION: dict[str, float] = {
    "350602": 64, "350603": 28, "350604": 90, "350605": 22, "350622": 43, "350623": 81,
    "350624": 58, "350626": 21, "350627": 33, "350628": 50, "350629": 16,
}
# Old names people still write (and old 6-digit codes that older ID cards carry).
_OLD_COUNTY_NAME = {"350604": "龙海市", "350605": "长泰县"}
_OLD_COUNTY_CODE = {"350604": "350681", "350605": "350625"}

_SURNAMES = (
    "陈", "陈", "陈", "林", "林", "林", "黄", "黄", "张", "李", "王", "吴", "刘", "蔡", "杨", "郑", "许", "洪",
    "曾", "周", "谢", "苏", "叶", "庄", "江", "何", "沈", "戴", "卢", "方", "郭", "游", "赖", "詹", "朱", "邱",
    "徐", "高", "罗", "柯", "钟", "魏", "汤", "姚", "康", "涂", "韩", "余", "胡", "孙", "马", "蓝", "钟", "卓",
)
_GIVEN = (
    "建华", "志明", "国平", "文彬", "秀英", "丽华", "海燕", "金水", "阿明", "荣辉", "振南", "宝珠", "清风",
    "美玲", "德胜", "水生", "春花", "炳坤", "耀宗", "少华", "新民", "明辉", "雅琴", "火旺", "招娣", "淑贞",
    "永福", "添财", "丽娟", "伟", "强", "敏", "静", "芳", "杰", "勇", "军", "磊", "婷", "鹏", "燕", "斌",
    "文龙", "锦池", "木兰", "瑞祥", "玉霞", "世杰", "亚妹", "福来", "庆丰", "晓东", "翠华", "宗元", "良才",
)
_SOURCES = (("来信", 30), ("网络举报", 28), ("来访", 14), ("12388电话", 12), ("上级转办", 10), ("巡察移交", 6))
_CATEGORY_WEIGHTS = (
    ("村务财务", 15), ("干部作风", 12), ("征地拆迁", 11), ("工程建设", 11), ("低保", 10), ("林业", 9),
    ("扶贫资金", 8), ("环境", 9), ("惠农补贴", 6), ("土地纠纷", 5),
)
_COMPANY_WORDS = ("鑫源", "宏达", "闽南", "九龙", "恒盛", "永兴", "华誉", "金港", "顺发", "联建", "圣元", "天和")
_PROJECTS = ("村道硬化", "农田水利", "排洪渠", "自来水管网", "村部综合楼", "文化广场", "河道护岸", "安置房",
             "污水管网", "机耕路", "路灯安装", "小学操场")
_LAND_PROJECTS = ("高速公路连接线", "工业园区", "水库扩容", "国道改线", "物流园", "安置区", "光伏电站",
                  "乡村振兴示范片")
_ROLES = ("村党支部书记", "村委会主任", "村会计", "村委委员", "村报账员", "村党支部副书记", "村妇女主任")
_COMMUNITY_ROLES = {"村党支部书记": "社区党委书记", "村委会主任": "社区居委会主任", "村会计": "社区会计",
                    "村委委员": "社区居委会委员", "村报账员": "社区报账员", "村党支部副书记": "社区党委副书记",
                    "村妇女主任": "社区妇联主席"}
_DEPTS = ("财政所", "农业服务中心", "社会事务服务中心", "综治中心", "自然资源所", "林业站", "村镇建设服务中心")
_SERVICES = ("建房审批", "低保申请", "林木采伐证", "宅基地审批", "户口迁移证明", "残疾人补贴")
_OPENINGS = ("", "", "", "本人是{t}{v}{villager}，现反映如下：", "我们是{v}的群众，", "现将有关情况反映如下：",
             "尊敬的纪委领导：",
             "反映{v}的问题：", "{v}群众联名反映：", "我是{v}人，")
_CLOSINGS = ("", "", "恳请上级纪委调查处理。", "希望领导重视，还群众一个公道。", "请求纪委监委核实查处。",
             "请纪委派人下来看看。", "群众意见很大，望早日答复。", "以上情况属实，请调查。")

# Templates per category. Slots: t town, v village, c county, role, p person, amt/amt_small/wan amounts,
# mu area, n count, yr year, comp company, proj project, land land project, dept, service.
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "林业": (
        "{v}{role}{p}利用职务之便，将村集体山林约{mu}亩低价发包给亲戚经营，承包合同未经村民代表大会讨论。",
        "{t}林业站工作人员在办理林木采伐许可时向林农索要好处费，每张采伐证{amt_small}元，不给就拖着不办。",
        "{v}后山生态公益林被人盗伐约{mu}亩，{t}林业站和村里都知道但不管，怀疑有人收了好处。",
        "集体林权改革中，{v}{role}{p}把部分林地登记在自己和家人名下，群众意见很大。",
        "{v}的林地被外地老板毁林开垦种植果树，面积约{mu}亩，村干部收钱后默许。",
        "{yr}年生态公益林补偿金{v}村民至今没有领到，每亩{amt_small}元被村里截留。",
    ),
    "扶贫资金": (
        "{v}{yr}年产业扶贫资金{amt}元，{role}{p}以合作社名义领取后没有分给脱贫户，账目不公开。",
        "{v}脱贫户到户产业奖补资金被{role}{p}以“统一管理”为由扣留，一年多没有兑现。",
        "{t}扶贫车间建成后一直闲置，投入的{wan}万元扶贫资金打了水漂，{role}{p}从中谋利。",
        "{v}雨露计划教育补助被{role}{p}冒领，真正困难家庭的孩子没有拿到。",
        "{v}光伏扶贫电站收益{amt}元没有按规定分配给脱贫户，去向不明。",
    ),
    "征地拆迁": (
        "{t}征收{v}土地约{mu}亩用于{land}，补偿标准每亩{amt}元，比周边低很多，补偿款至今未全部发放。",
        "{v}在{land}征地中，{role}{p}虚报地上附着物，套取青苗补偿款约{amt}元。",
        "{t}拆迁工作人员强拆{v}村民房屋，没有出具书面决定，补偿协议也没签。",
        "{v}被征地农民的安置房迟迟不交付，过渡费从{yr}年起停发，群众生活困难。",
        "{v}集体土地征收补偿款{wan}万元去向不明，{role}{p}拒不公开分配方案。",
    ),
    "低保": (
        "{v}{role}{p}把自己的亲属纳入低保，真正困难的村民却评不上。",
        "{v}有村民家有小车、有楼房，仍然享受低保多年，{t}审核走过场。",
        "{t}社会事务服务中心工作人员办理低保时每户收取“手续费”{amt_small}元。",
        "{v}低保评议没有召开村民代表会议，名单也没有公示，由{role}{p}一人说了算。",
        "{v}一户残疾人家庭申请低保多次被拒，{role}{p}暗示要先送礼。",
        "{v}一名特困供养人员已去世{n}个月，供养金仍被冒领。",
    ),
    "村务财务": (
        "{v}{yr}年村财收支不公开，{role}{p}用白条入账，招待费高达{amt}元。",
        "{v}村集体店面每年租金约{amt}元，去向不明，{role}{p}与承租人是亲戚。",
        "{v}村集体鱼塘、果园发包没有公开招标，{role}{p}暗箱操作低价包给亲戚。",
        "{v}村务监督委员会形同虚设，{yr}年修路账目{wan}万元没人监督，村民要求审计。",
        "{v}{role}{p}挪用村集体资金{wan}万元放贷，至今未归还。",
        "{v}换届选举中{p}拉票贿选，每票{amt_small}元，{t}明知不管。",
        "{v}村财务公开栏长期不更新，{yr}年度的收支明细村民看不到，{role}{p}推说账在镇里。",
    ),
    "工程建设": (
        "{v}{proj}工程由{comp}承建，质量很差，才用{n}个月就开裂下沉，{role}{p}和老板关系密切。",
        "{t}{proj}项目没有公开招标，直接指定{comp}施工，造价{wan}万元明显偏高。",
        "{v}{proj}项目验收时工程量虚报，实际长度不到合同的一半，{t}有关负责人签字验收。",
        "{v}{proj}工程拖欠农民工工资{amt}元，{comp}和村里互相推诿。",
        "{v}“一事一议”财政奖补项目被{role}{p}拆分发包给自己的亲戚。",
    ),
    "环境": (
        "{v}附近一家工厂夜间偷排污水，河水发黑发臭，向{t}投诉后无人处理。",
        "{v}附近河段非法采砂日夜作业，河岸塌方，怀疑有干部充当保护伞。",
        "{v}垃圾堆放点离居民区不到{n}百米，臭气熏天，{t}多次承诺整改没有兑现。",
        "{v}养猪场污水直排农田，庄稼受损，村民反映多次无人管。",
        "{v}山上非法开采石料，炮声不断，{role}{p}收取“管理费”后放任不管。",
    ),
    "干部作风": (
        "{t}{dept}工作人员{p}上班时间打牌，群众办事经常找不到人。",
        "{t}{dept}办事“吃拿卡要”，办理{service}跑了{n}趟还办不成。",
        "{t}干部{p}经常开公车办私事，周末开公车去钓鱼。",
        "{t}干部{p}违规操办儿子婚宴，摆酒{tables}桌，收受管理对象礼金。",
        "{v}{role}{p}态度粗暴，群众反映问题时被辱骂，还说“你去告也没用”。",
        "{t}{dept}{p}违规经商办企业，在{v}入股砂场。",
    ),
    "惠农补贴": (
        "{v}耕地地力保护补贴被村里以“统筹”名义每亩扣{amt_small}元。",
        "{v}农机购置补贴被{role}{p}虚报冒领，实际没有购买农机。",
        "{v}种粮补贴发放名单与实际种植户不符，外出多年的人也领了补贴。",
        "{v}农村危房改造补助{amt}元被{role}{p}优亲厚友，真正的危房户没有得到。",
    ),
    "土地纠纷": (
        "{v}村民与邻村因山地权属纠纷多年，{t}调处时偏袒一方，{role}{p}收了好处。",
        "{v}宅基地审批不公，{role}{p}给亲戚多批，本人申请{n}年没有结果。",
        "{v}集体土地被{role}{p}私自租给外地老板建厂，租金没有进村集体账户。",
    ),
}

# Templates telling a public programme's money kept, docked, drawn falsely or not paid out: every letter of one
# programme is one matter of the office, wherever it is written (each village its own hotspot), as the clustering
# reads them (planner.analysis.evidence._astray_programmes) for the programmes it ships (cluster_programmes.txt;
# 特困供养
# is not one of them, so its letters stay each village's). Favouritism in choosing recipients (低保, 危房改造 given
# to relatives), charges for a service and a cadre's own conduct stay each place's matter.
_ASTRAY_PROGRAMME: dict[str, str] = {
    _TEMPLATES["林业"][5]: "公益林",
    _TEMPLATES["扶贫资金"][0]: "产业扶贫", _TEMPLATES["扶贫资金"][1]: "产业扶贫",
    _TEMPLATES["扶贫资金"][3]: "雨露计划", _TEMPLATES["扶贫资金"][4]: "光伏",
    _TEMPLATES["征地拆迁"][1]: "青苗补偿款", _TEMPLATES["征地拆迁"][3]: "过渡费",
    _TEMPLATES["征地拆迁"][4]: "征地补偿款",
    _TEMPLATES["惠农补贴"][0]: "耕地地力保护补贴", _TEMPLATES["惠农补贴"][1]: "农机购置补贴",
    _TEMPLATES["惠农补贴"][2]: "耕地地力保护补贴",
}

_REPEAT_PREFIXES = (
    "本人于{prev}已反映过此事，至今没有答复，现再次反映：",
    "再次反映！",
    "{prev}来信反映的问题仍未解决，",
    "此前反映的问题，镇里只是走过场，",
    "第{k}次反映：",
    "上次反映后没有任何结果，",
)

_REPEAT_TAILS = (
    "", "上次反映后{t}只派人来问了一下，没有任何处理结果。", "问题到现在还是老样子。",
    "请纪委不要转回镇里办理。", "如果再不处理，我们只能向省纪委反映。", "群众意见越来越大。",
)
# Rewording of repeat letters: the same facts, other words.
_REWORDS = (
    ("至今", "到现在"), ("没有", "未"), ("群众", "老百姓"), ("村民", "乡亲们"), ("怀疑", "我们认为"),
    ("不公开", "从来不公布"), ("去向不明", "不知道用到哪里去了"), ("拖着不办", "一直不给办"),
    ("被", "遭"), ("多次", "好几次"), ("意见很大", "非常不满"), ("请求", "恳请"),
)


def _reword(rng: random.Random, body: str) -> str:
    out = body
    for old, new in _REWORDS:
        if old in out and rng.random() < 0.6:
            out = out.replace(old, new, 1)
    return out


# The seed's story: forestry stations in four counties charged an illegal eucalyptus-felling deposit.
_EUCALYPTUS_TEMPLATES = (
    "{t}林业站违规向林农收取“桉树砍伐保证金”，每亩{dep}元，说是砍完补种后退还，补种一年多了也不退。",
    "我们{v}林农办理桉树采伐证时，{t}林业站要求先交保证金，{n}户共交了{amt}元，没有正式收据，只给白条。",
    "公益林里的桉树改造，林业站要每亩交{dep}元押金才让砍，这笔钱有没有依据？去哪了？",
    "{t}林业站以“迹地更新保证金”名义收取桉树采伐押金，至今未退，请求纪委查处。",
    "{v}群众反映：砍伐桉树前必须先交保证金，{c}林业局和{t}林业站互相推诿，退款遥遥无期。",
    "{t}林业站收取的桉树采伐保证金{amt}元已经{n}年了，问了几次都说等文件，怀疑被挪用。",
    "{v}林农砍自家承包山上的桉树，被{t}林业站收了每亩{dep}元“砍伐保证金”，别的地方没听说要交。",
)
_EUCALYPTUS_PLACES = (
    # (county code, town, preferred village or "") — the first is the village from the seed article.
    ("350628", "山格镇", "土田村"), ("350628", "安厚镇", ""), ("350628", "九峰镇", ""), ("350628", "小溪镇", ""),
    ("350627", "书洋镇", ""), ("350627", "梅林镇", ""), ("350627", "金山镇", ""),
    ("350629", "华丰镇", ""), ("350629", "仙都镇", ""), ("350629", "沙建镇", ""),
    ("350605", "岩溪镇", ""), ("350605", "枋洋镇", ""), ("350605", "坂里乡", ""), ("350628", "霞寨镇", ""),
)

# Other matters raised from several places (same scheme, different villages or towns).
_MULTI_ISSUES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    # (category, scope 'town'|'county'|'two', county codes, templates)
    ("惠农补贴", "town", ("350624",), (
        "{v}耕地地力保护补贴被村里以“村级统筹”名义每亩扣{amt_small}元，{t}其他村也一样。",
        "{t}各村扣发耕地地力保护补贴搞“统筹”，{v}每户被扣几十到上百元，没有任何文件。",
        "{v}今年的耕地地力保护补贴少发了，村里说是{t}统一要求扣的“统筹款”。",
    )),
    ("惠农补贴", "county", ("350623",), (
        "{v}危房改造补助下来后，{t}经办人员要每户交{amt_small}元“手续费”才给验收。",
        "农村危房改造验收时{t}有人收取好处费，{v}几户都交了钱，不交就说不合格。",
        "{v}申请危房改造补助，被要求先交“评估费”{amt_small}元，没有收据。",
    )),
    ("工程建设", "county", ("350604",), (
        "{v}高标准农田建设由{comp}承建，沟渠刚修好就垮了，{t}验收走过场。",
        "{comp}在{t}承建的高标准农田项目偷工减料，{v}田间道路只铺了薄薄一层。",
        "高标准农田项目在{v}施工质量差，听说同一家公司在其他镇也是这样。",
        "{v}高标准农田灌溉渠不通水，{comp}拿了钱就走，{t}不追究。",
    )),
    ("干部作风", "two", ("350622", "350626"), (
        "{v}老人去世后申请生态安葬奖补资金，{t}民政经办人员一拖再拖，至今没有发放。",
        "生态安葬奖补资金被{t}截留，{v}多户村民没有拿到。",
        "{t}殡葬改革奖补资金发放不透明，{v}群众反映领不到钱。",
    )),
    ("扶贫资金", "county", ("350627",), (
        "{v}村协管员代缴城乡居民养老保险，多收每人{amt_small}元“代办费”。",
        "{t}有村干部借代缴养老保险之机收取费用，{v}村民不知道交的是多少。",
        "{v}养老保险代缴费用不公开，村协管员每年多收钱，{t}社保所不管。",
    )),
)

# The 漳浦 story: a petitioner kept writing after the cadres were punished, because a hill-land dispute was unsettled.
_LAND_CHAIN = (
    "{v}{role}{p}侵占我家承包的山地约{mu}亩，并伪造签名变更承包合同，请求查处。",
    "我反映的{v}山地被侵占问题，听说{p}已受到处分，但我家的山地至今没有退还，纠纷没有处理。",
    "再次反映：虽然村干部已受到党纪处分，但我家与邻居的山地纠纷一直没有处理，{t}也不出面调解。",
    "山地纠纷拖了{n}年，{t}党委政府一直没有结论，我只能继续反映，请纪委督促镇里解决。",
)


@dataclass(frozen=True, slots=True)
class DemoLetter:
    """One row of the demo register plus its ground truth (``issue``, ``repeat_of``)."""

    case_no: str
    received_date: dt.date
    deadline: dt.date
    source: str
    category: str
    name: str
    phone: str
    id_number: str
    content: str
    reported_persons: str
    reported_units: str
    address: str
    lon: float | None
    lat: float | None
    datum_label: str
    issue: str
    repeat_of: str
    county_code: str
    date_as_text: bool = False
    status: str = "已登记"

    def register_row(self) -> list[object]:
        """The row as written to the register, in :data:`REGISTER_HEADERS` order."""
        received: object = self.received_date
        if self.date_as_text:
            # Some clerks type dates as text; the importer must read them too.
            received = f"{self.received_date.year}年{self.received_date.month}月{self.received_date.day}日"
        return [
            self.case_no, received, self.deadline, self.source, self.category, self.name, self.phone,
            self.id_number, self.content, self.reported_persons, self.reported_units, self.address,
            "" if self.lon is None else self.lon, "" if self.lat is None else self.lat, self.datum_label, self.status,
        ]


@dataclass(slots=True)
class _Draft:
    """A letter before numbering (mutable while the generator assembles it)."""

    group: str  # true issue key
    chain: str  # repeat chain key, "" when not a repeat
    received: dt.date
    category: str
    content: str
    place: tuple[str, str, str]  # county code, town, village
    persons: str
    units: str
    petitioner: tuple[str, str, str]
    source: str
    programme: str = ""  # a public programme whose money goes astray: one matter wherever it is written



def _weighted(rng: random.Random, pairs: Sequence[tuple[object, float]]) -> object:
    items = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(items, weights=weights, k=1)[0]


class _Places:
    """Real towns and villages from ``geodata`` (read once per generator)."""

    def __init__(self) -> None:
        import geodata

        self.counties = {c.code: c for c in geodata.counties()}
        self.towns_by_county: dict[str, list] = {}
        self.town_by_name: dict[tuple[str, str], object] = {}
        name_count: dict[str, int] = {}
        for t in geodata.towns():
            self.towns_by_county.setdefault(t.county_code, []).append(t)
            self.town_by_name[(t.county_code, t.name)] = t
            name_count[t.name] = name_count.get(t.name, 0) + 1
        self.unique_town_names = {n for n, k in name_count.items() if k == 1}
        self.villages_by_town: dict[str, list] = {}
        self.communities_by_town: dict[str, list] = {}
        for v in geodata.villages():
            if v.virtual or not v.town_code or v.kind == "生活区":
                continue
            target = self.villages_by_town if v.kind == "村" else self.communities_by_town
            target.setdefault(v.town_code, []).append(v)

    def pick(self, rng: random.Random, county_code: str, *, urban: bool = False) -> tuple[str, str, str]:
        towns = self.towns_by_county[county_code]
        if not urban:
            # Forestry, land and subsidy letters come from towns with villages, not from city streets.
            towns = [t for t in towns if self.villages_by_town.get(t.code)] or towns
        town = rng.choices(towns, weights=[max(1, t.village_count) for t in towns], k=1)[0]
        return self.pick_in_town(rng, town, urban=urban)

    def pick_in_town(self, rng: random.Random, town, *, urban: bool = False) -> tuple[str, str, str]:
        villages = self.villages_by_town.get(town.code, [])
        communities = self.communities_by_town.get(town.code, [])
        pool = (communities or villages) if urban and rng.random() < 0.6 else (villages or communities)
        village = rng.choice(pool).name if pool else ""
        return town.county_code, town.name, village


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "13", "15", "18")) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99_999_999):08d}"


def _id_number(rng: random.Random, county_code: str) -> str:
    area = _OLD_COUNTY_CODE.get(county_code, county_code)
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 48))
    first17 = f"{area}{birth:%Y%m%d}{rng.randint(1, 999):03d}"
    return first17 + id_check_digit(first17)


def _petitioner(rng: random.Random, county_code: str, *, anonymous_p: float = 0.28) -> tuple[str, str, str]:
    if rng.random() < anonymous_p:
        return ("匿名", "", "") if rng.random() < 0.8 else ("", "", "")
    name = _person(rng)
    phone = _phone(rng) if rng.random() < 0.92 else ""
    ident = _id_number(rng, county_code) if rng.random() < 0.7 else ""
    return name, phone, ident


def _slots(rng: random.Random, place: tuple[str, str, str], places: _Places) -> dict[str, object]:
    county = places.counties[place[0]]
    community = place[2].endswith("社区")
    role = rng.choice(_ROLES)
    if community:
        role = _COMMUNITY_ROLES.get(role, role)
    return {
        "c": county.name, "t": place[1], "v": place[2] or place[1], "role": role, "p": _person(rng),
        "villager": "居民" if community else "村民",
        "committee": f"{place[2]}居民委员会" if community else f"{place[2] or place[1]}村民委员会",
        "tables": rng.choice((20, 30, 40, 50, 60)),
        "amt": rng.choice((3600, 5800, 12000, 18500, 26000, 48000, 76000, 130000, 8600, 21500)),
        "amt_small": rng.choice((20, 30, 50, 80, 100, 150, 200, 300, 500)),
        "wan": rng.choice((3.5, 8, 12, 15.6, 28, 45, 60, 120)),
        "mu": rng.choice((12, 20, 35, 50, 80, 120, 200, 300)), "n": rng.randint(2, 9),
        "yr": rng.choice((2023, 2024, 2025, 2026)),
        "comp": f"漳州市{rng.choice(_COMPANY_WORDS)}建设工程有限公司", "proj": rng.choice(_PROJECTS),
        "land": rng.choice(_LAND_PROJECTS), "dept": rng.choice(_DEPTS), "service": rng.choice(_SERVICES),
        "dep": rng.choice((200, 300, 400, 500, 600)),
    }


def _units_for(category: str, slots: dict[str, object], rng: random.Random) -> str:
    t, c = slots["t"], slots["c"]
    options = {
        "林业": (f"{t}林业站", str(slots["committee"]), f"{c}林业局"),
        "扶贫资金": (str(slots["committee"]), f"{t}人民政府", f"{c}乡村振兴局"),
        "征地拆迁": (f"{t}人民政府", str(slots["committee"]), f"{c}自然资源局"),
        "低保": (str(slots["committee"]), f"{t}社会事务服务中心", f"{c}民政局"),
        "村务财务": (str(slots["committee"]), str(slots["committee"]), f"{t}农村经营管理站"),
        "工程建设": (str(slots["comp"]), f"{t}村镇建设服务中心", str(slots["committee"])),
        "环境": (f"{t}人民政府", f"{c}生态环境局", str(slots["committee"])),
        "干部作风": (f"{t}{slots['dept']}", f"{t}人民政府", str(slots["committee"])),
        "惠农补贴": (str(slots["committee"]), f"{t}农业服务中心", f"{t}财政所"),
        "土地纠纷": (str(slots["committee"]), f"{t}人民政府", f"{t}自然资源所"),
    }[category]
    return rng.choice(options) if rng.random() < 0.85 else ""


def _persons_for(template: str, slots: dict[str, object], rng: random.Random) -> str:
    if "{p}" not in template:
        return ""
    person = str(slots["p"])
    if "{role}" in template and rng.random() < 0.6:
        return f"{person}（{slots['role']}）"
    return person


def _compose(rng: random.Random, template: str, slots: dict[str, object], *, framing: bool = True) -> str:
    body = template.format(**slots)
    if not framing:
        return body
    opening = rng.choice(_OPENINGS).format(**slots)
    closing = rng.choice(_CLOSINGS)
    return f"{opening}{body}{closing}"


def _address(rng: random.Random, place: tuple[str, str, str], places: _Places) -> str:
    code, town, village = place
    county = places.counties[code]
    county_name = county.name
    if code in _OLD_COUNTY_NAME and rng.random() < 0.4:
        county_name = _OLD_COUNTY_NAME[code]
    tail = village
    r = rng.random()
    if r < 0.08:
        tail += f"{rng.randint(1, 12)}组"
    elif r < 0.13:
        tail += f"{rng.randint(1, 180)}号"
    elif r < 0.16:
        tail += "附近"
    style = rng.random()
    if style < 0.38:
        text_ = f"{county_name}{town}{tail}"
    elif style < 0.58:
        text_ = f"漳州市{county_name}{town}{tail}"
    elif style < 0.68:
        text_ = f"福建省漳州市{county_name}{town}{tail}"
    elif style < 0.78 and town in places.unique_town_names:
        text_ = f"{town}{tail}"  # town without county, only when the town name is unique in the city
    elif style < 0.86:
        text_ = f"{county.short}{town}{tail}"  # short county name: 平和山格镇土田村
    elif style < 0.92:
        text_ = f"{county_name} {town} {tail}"  # spaces, as typed
    else:
        text_ = f"{county_name}{town}{tail}"
    return text_


def _gps(rng: random.Random, place: tuple[str, str, str], places: _Places) -> tuple[float | None, float | None, str]:
    """Some rows carry a GPS point near the village's town seat; some are declared GCJ-02 (from Amap)."""
    if rng.random() >= 0.16:
        return None, None, ""
    from geodata import datum

    town = places.town_by_name[(place[0], place[1])]
    lon = town.lon + rng.uniform(-0.008, 0.008)
    lat = town.lat + rng.uniform(-0.008, 0.008)
    if rng.random() < 0.4:
        glon, glat = datum.wgs84_to_gcj02(lon, lat)
        return round(glon, 6), round(glat, 6), rng.choice(("GCJ-02", "高德", "GCJ02"))
    return round(lon, 6), round(lat, 6), rng.choice(("WGS-84", "WGS84", "GPS", ""))


def _random_day(rng: random.Random, start: dt.date = REGISTER_START, end: dt.date = REGISTER_END) -> dt.date:
    span = (end - start).days
    for _ in range(10):
        day = start + dt.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:  # letters are registered on working days
            return day
    return day


def _clip(day: dt.date) -> dt.date:
    return min(day, REGISTER_END)


def generate_letters(seed: int = 7, letters: int = 600) -> list[DemoLetter]:
    """Generate a demo register: letters with real Zhangzhou places, invented people, and a ground truth.

    Parameters
    ----------
    seed
        Random seed; the same seed and count give the same letters.
    letters
        Number of letters (rows), at least 1.

    Returns
    -------
    list[DemoLetter]
        Letters in register order (by received date), numbered ``ZZXF-<year>-<seq>``.

    Raises
    ------
    InputError
        When ``letters`` is not a positive number no larger than 200,000.
    """
    if not isinstance(letters, int) or not 1 <= letters <= 200_000:
        raise InputError(f"演示信件数应为 1 到 200000，收到 {letters!r}")
    rng = random.Random(seed)
    places = _Places()
    counties = sorted(COUNTY_POPULATION)
    drafts: list[_Draft] = []

    # 1. The eucalyptus-deposit story: one matter, forestry stations in four counties.
    n_story = min(len(_EUCALYPTUS_PLACES), max(4, letters // 40)) if letters >= 8 else 0
    story_units = {}
    for i, (code, town_name, village) in enumerate(_EUCALYPTUS_PLACES[:n_story]):
        town = places.town_by_name[(code, town_name)]
        place = places.pick_in_town(rng, town)
        if village:
            place = (code, town_name, village)
        slots = _slots(rng, place, places)
        template = _EUCALYPTUS_TEMPLATES[i % len(_EUCALYPTUS_TEMPLATES)]
        unit = story_units.setdefault((code, town_name), f"{places.counties[code].name}林业局{town_name}林业站")
        day = _random_day(rng, dt.date(2026, 2, 2), dt.date(2026, 7, 31))
        drafts.append(_Draft(
            group="eucalyptus", chain="", received=day, category="林业",
            content=_compose(rng, template, slots), place=place,
            persons=f"{slots['p']}（林业站站长）" if rng.random() < 0.5 else "",
            units=unit if rng.random() < 0.8 else f"{town_name}林业站",
            petitioner=_petitioner(rng, code, anonymous_p=0.4), source=str(_weighted(rng, _SOURCES)),
        ))

    # 2. Other matters raised from several places.
    n_multi = min(len(_MULTI_ISSUES), letters // 100)
    for k, (category, scope, codes, templates) in enumerate(_MULTI_ISSUES[:n_multi]):
        shared = _slots(rng, places.pick(rng, codes[0]), places)
        base_town = places.towns_by_county[codes[0]][rng.randrange(len(places.towns_by_county[codes[0]]))]
        start = _random_day(rng, REGISTER_START, REGISTER_END - dt.timedelta(days=120))
        for j, template in enumerate(templates):
            if scope == "town":
                place = places.pick_in_town(rng, base_town)
            elif scope == "two":
                place = places.pick(rng, codes[j % len(codes)])
            else:
                place = places.pick(rng, codes[0])
            slots = {**_slots(rng, place, places), "comp": shared["comp"], "amt_small": shared["amt_small"]}
            drafts.append(_Draft(
                group=f"multi{k}", chain="", received=_clip(start + dt.timedelta(days=rng.randint(0, 100))),
                category=category, content=_compose(rng, template, slots), place=place,
                persons=_persons_for(template, slots, rng), units=_units_for(category, slots, rng),
                petitioner=_petitioner(rng, place[0]), source=str(_weighted(rng, _SOURCES)),
                programme="耕地地力保护补贴" if "耕地地力保护补贴" in template else "",  # the town's 统筹 docking
            ))

    # 3. Repeat chains: the same petitioner writes again weeks later, in other words.
    n_chains = letters // 50
    for k in range(n_chains):
        if k == 0:
            code, templates, category = "350623", _LAND_CHAIN, "土地纠纷"
        else:
            code = str(_weighted(rng, [(c, COUNTY_POPULATION[c]) for c in counties]))
            category = str(_weighted(rng, _CATEGORY_WEIGHTS))
            templates = (rng.choice(_TEMPLATES[category]),)
        place = places.pick(rng, code)
        slots = _slots(rng, place, places)
        who = _petitioner(rng, code, anonymous_p=0.0)
        if not who[2]:
            who = (who[0], who[1] or _phone(rng), _id_number(rng, code))
        length = len(_LAND_CHAIN) if k == 0 else rng.choice((2, 2, 3))
        day = _random_day(rng, REGISTER_START, REGISTER_END - dt.timedelta(days=150))
        persons = _persons_for(templates[0], slots, rng)
        units = _units_for(category, slots, rng)
        first_day = day
        for j in range(length):
            if k == 0:
                body = templates[j].format(**slots)
            else:
                # The same matter again, in other words: a "again" preface, reworded body, a complaint about handling.
                body = templates[0].format(**slots)
                if j > 0:
                    prefix = rng.choice(_REPEAT_PREFIXES).format(prev=f"{first_day:%Y年%m月%d日}", k=j + 1)
                    tails = [t for t in _REPEAT_TAILS if not ("上次" in prefix and "上次" in t)]
                    body = prefix + _reword(rng, body) + rng.choice(tails).format(**slots)
            drafts.append(_Draft(
                group=f"chain{k}", chain=f"chain{k}", received=day, category=category, content=body,
                place=place, persons=persons, units=units, petitioner=who,
                source="来信" if j == 0 else str(_weighted(rng, _SOURCES)),
                programme=_ASTRAY_PROGRAMME.get(templates[0], "") if k else "",
            ))
            day = _clip(day + dt.timedelta(days=rng.randint(14, 60)))

    # 4. Ordinary letters, one matter each.
    county_weights = [(c, COUNTY_POPULATION[c]) for c in counties]
    single = 0
    same_single: dict[tuple, str] = {}
    while len(drafts) < letters:
        code = str(_weighted(rng, county_weights))
        category = str(_weighted(rng, _CATEGORY_WEIGHTS))
        place = places.pick(rng, code, urban=category in ("干部作风", "工程建设", "环境"))
        slots = _slots(rng, place, places)
        template = rng.choice(_TEMPLATES[category])
        received, content = _random_day(rng), _compose(rng, template, slots)
        persons = _persons_for(template, slots, rng)
        # The same complaint drawn again at the same place (one body, framing aside) is one matter, not two.
        group = same_single.setdefault((place, template.format(**slots)), f"single{single}")
        drafts.append(_Draft(
            group=group, chain="", received=received, category=category,
            content=content, place=place, persons=persons,
            units=_units_for(category, slots, rng), petitioner=_petitioner(rng, code),
            source=str(_weighted(rng, _SOURCES)), programme=_ASTRAY_PROGRAMME.get(template, ""),
        ))
        single += 1
    drafts = drafts[:letters]

    # Number in register order; the truth's issue ids are numbered by first appearance.
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i].received, i))
    # A separate stream, so that adding statuses left every other generated value unchanged.
    status_rng = random.Random(seed * 1_000 + 17)
    seq_by_year: dict[int, int] = {}
    issue_ids: dict[str, str] = {}
    chain_first: dict[str, str] = {}
    out: list[DemoLetter] = []
    for i in order:
        d = drafts[i]
        seq_by_year[d.received.year] = seq_by_year.get(d.received.year, 0) + 1
        case_no = f"ZZXF-{d.received.year}-{seq_by_year[d.received.year]:04d}"
        issue = issue_ids.setdefault(f"programme:{d.programme}" if d.programme else d.group,
                                     f"ISSUE-{len(issue_ids) + 1:04d}")
        repeat_of = ""
        if d.chain:
            if d.chain in chain_first:
                repeat_of = chain_first[d.chain]
            else:
                chain_first[d.chain] = case_no
        lon, lat, datum_label = _gps(rng, d.place, places)
        status = _status(status_rng, d)
        extended = rng.random() < 0.08
        out.append(DemoLetter(
            case_no=case_no, received_date=d.received,
            deadline=d.received + dt.timedelta(days=HANDLING_DAYS + (30 if extended else 0)),
            source=d.source, category=d.category, name=d.petitioner[0], phone=d.petitioner[1],
            id_number=d.petitioner[2], content=d.content, reported_persons=d.persons, reported_units=d.units,
            address=_address(rng, d.place, places), lon=lon, lat=lat, datum_label=datum_label, issue=issue,
            repeat_of=repeat_of, county_code=d.place[0], date_as_text=rng.random() < 0.04, status=status,
        ))
    return out


def _status(rng: random.Random, d: _Draft) -> str:
    """Most older ordinary letters are closed in the office's register; related matters stay open."""
    age = (REGISTER_END - d.received).days
    if not d.group.startswith("single"):
        return "已登记"
    closed_p = 0.85 if age > 100 else 0.3 if age > 60 else 0.0
    if rng.random() >= closed_p:
        return "已登记"
    return str(_weighted(rng, (("已办结", 60), ("已化解", 25), ("已澄清", 15))))


def register_xlsx_bytes(letters: Sequence[DemoLetter], *, title: str | None = None) -> bytes:
    """Write letters as an xlsx register (title row, Chinese headers, one row per letter).

    Parameters
    ----------
    letters
        Letters from :func:`generate_letters`.
    title
        Title in the first row; default names the city and the period.

    Returns
    -------
    bytes
        The xlsx file; identical bytes for identical letters.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "信访件登记表"
    wb.properties.creator = "xiafang demo"
    wb.properties.created = _FIXED_STAMP
    wb.properties.modified = _FIXED_STAMP
    ws.append([title or f"漳州市纪委监委信访举报件登记表（{REGISTER_START:%Y年%m月}—{REGISTER_END:%Y年%m月}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(REGISTER_HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(list(REGISTER_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for letter in letters:
        ws.append(letter.register_row())
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=3):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    widths = {"A": 17, "B": 12, "C": 12, "D": 10, "E": 10, "F": 8, "G": 13, "H": 20, "I": 60, "J": 18,
              "K": 26, "L": 34, "M": 11, "N": 10, "O": 8, "P": 10}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_xlsx(buf.getvalue())


def truth_csv_text(letters: Sequence[DemoLetter]) -> str:
    """The ground truth as CSV text: ``id, issue, repeat_of`` (one row per letter, register order)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(TRUTH_HEADERS)
    for letter in letters:
        writer.writerow((letter.case_no, letter.issue, letter.repeat_of))
    return buf.getvalue()


def write_demo(out: str | Path, *, seed: int = 7, letters: int = 600, truth: str | Path | None = None) -> int:
    """Write the demo register (xlsx, or csv when ``out`` ends in .csv) and optionally the ground truth.

    Parameters
    ----------
    out
        Register path (``.xlsx`` or ``.csv``; CSV is written UTF-8 with BOM so Excel opens it).
    seed, letters
        See :func:`generate_letters`.
    truth
        Optional path for the truth CSV (``id, issue, repeat_of``).

    Returns
    -------
    int
        Number of letters written.

    Raises
    ------
    InputError
        When the output suffix is not .xlsx or .csv, or ``letters`` is invalid.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"--out：登记表文件名须以 .xlsx 或 .csv 结尾，收到 {str(out)!r}")
    rows = generate_letters(seed, letters)
    if suffix == ".xlsx":
        out.write_bytes(register_xlsx_bytes(rows))
    else:
        out.write_bytes(register_csv_bytes(rows))
    if truth is not None:
        Path(truth).write_text(truth_csv_text(rows), encoding="utf-8")
    return len(rows)


def register_csv_bytes(letters: Sequence[DemoLetter], *, encoding: str = "utf-8-sig") -> bytes:
    """Write letters as a CSV register (no title row), UTF-8 with BOM by default."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(REGISTER_HEADERS)
    for letter in letters:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v
                         for v in letter.register_row()])
    return buf.getvalue().encode(encoding)


def letters_with(letters: Sequence[DemoLetter], **changes: object) -> list[DemoLetter]:
    """Return copies of letters with fields replaced (used to build later versions of a register in tests)."""
    return [replace(letter, **changes) for letter in letters]
