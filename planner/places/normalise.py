"""Address text as the resolver reads it: full-width, traditional characters, typos, punctuation, numerals."""

from __future__ import annotations

import re
import unicodedata

# Look-alike characters people type for the official ones (佘 for 畲 in 畲族乡).
_TYPOS = (("佘族", "畲族"),)
# Traditional characters of place and address words (letters from elders and from overseas relatives).
# None of them occurs in an official name of Zhangzhou (a test checks), so mapping them is safe.
_TRAD = str.maketrans(
    "縣鎮鄉區龍東長華雲詔門頭後嶺溝灣橋陳澤豐馬鳳寧廣興園場陽黃葉劉蘇楊鄭謝許張趙來閩開發臺號組會莊庫頂聖雙島嶼壩壇"
    "濱潯塢鶴麗盤樓樂藍碼鰲崗邊環圍寶貴賢錦銅鐵鋪錢羅廈蓮陸嶽紅經濟農業魚漁實壽鄒學觀徑韓蕭盧灘淵溫湯峽戶廟廠龜齊"
    "雞鳥飛鳴處辦務國際衛醫團書條義應峯員電聯圖爐隊壟塗廳礎陝嶇竈穩營驛閣闊關廬舊鄰樹總軍輝進運遠達選鄧魯傑縫紗線"
    "綠縱雜歲勝樸彎塊壢埡塹壠韋鍾沒"
    # Found in real addresses (tests/data/addresses_real): 薌城區, 蘆溪鎮, 懸鐘村, 顏厝鎮, 船場鎮 ...
    "薌顏設車綏曇蘆宮強畝產親侖崙倉傳倫僑儲蘭吳圓壘壺復孫層嶠師慶懸揚擲搖時棗梘楓歐瀝滄滸漸愛獅鹽種積窯筆繡綿"
    "腳臘榮萊蘊蝦蟬詩課貝貢貿軋轅遼過連鑾缽鑽銘銀鋒鏡鴨鴻鱗麥風烏喬萬優駿鯉鷹順賴譚蔣蠣礬磯禮禪簡紀純練細紹綜緣"
    "聶視講論訪證評識貞財貫輪還閘隱隨難領題館澗潤淺潔滿燦煉煙熱豬現瓊療競粵墳塤劍蓋蔥藥蘿虧蠔裏襯覽認議護讓豎"
    "質贈轉鎖陰階靈頌飯髮鬥齡鐘憲轄橫於臨將鏞駐資術瀘體藝內側",
    "县镇乡区龙东长华云诏门头后岭沟湾桥陈泽丰马凤宁广兴园场阳黄叶刘苏杨郑谢许张赵来闽开发台号组会庄库顶圣双岛屿坝坛"
    "滨浔坞鹤丽盘楼乐蓝码鳌岗边环围宝贵贤锦铜铁铺钱罗厦莲陆岳红经济农业鱼渔实寿邹学观径韩萧卢滩渊温汤峡户庙厂龟齐"
    "鸡鸟飞鸣处办务国际卫医团书条义应峰员电联图炉队垅涂厅础陕岖灶稳营驿阁阔关庐旧邻树总军辉进运远达选邓鲁杰缝纱线"
    "绿纵杂岁胜朴弯块坜垭堑垄韦钟没"
    "芗颜设车绥昙芦宫强亩产亲仑仑仓传伦侨储兰吴圆垒壶复孙层峤师庆悬扬掷摇时枣枧枫欧沥沧浒渐爱狮盐种积窑笔绣绵"
    "脚腊荣莱蕴虾蝉诗课贝贡贸轧辕辽过连銮钵钻铭银锋镜鸭鸿鳞麦风乌乔万优骏鲤鹰顺赖谭蒋蛎矾矶礼禅简纪纯练细绍综缘"
    "聂视讲论访证评识贞财贯轮还闸隐随难领题馆涧润浅洁满灿炼烟热猪现琼疗竞粤坟埙剑盖葱药萝亏蚝里衬览认议护让竖"
    "质赠转锁阴阶灵颂饭发斗龄钟宪辖横于临将镛驻资术泸体艺内侧",
)

# Pinyin that web pages print after characters: 山格鎮(zhèn)新陂村, 長泰(tai)縣(xian).
_PINYIN_NOTE = re.compile(r"[(（][a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,7}[)）]")
_PUNCT = re.compile(r"[\s,，、。.;；:：·•\-—_/\\|()（）\[\]【】{}<>《》\"'“”‘’#＃*]+")


def normalize(text: str) -> str:
    """Normalise an address: NFKC (full-width -> half-width), no spaces or punctuation.

    Parameters
    ----------
    text
        Free text as typed.

    Returns
    -------
    str
        The text the resolver matches against.
    """
    t = _PINYIN_NOTE.sub("", unicodedata.normalize("NFKC", str(text))).translate(_TRAD)
    for wrong, right in _TYPOS:
        if wrong in t:
            t = t.replace(wrong, right)
    return _PUNCT.sub("", t)


def breaks(text: str) -> frozenset[int]:
    """Where :func:`normalize` removed spaces or punctuation, as positions in the normalised text.

    ``合浦 （来信地址）`` reads 合浦来信地址: the break after 合浦 says that 合浦 ends there (a bare village name is
    not the head of a longer word “合浦来”).
    """
    t = _PINYIN_NOTE.sub("", unicodedata.normalize("NFKC", str(text))).translate(_TRAD)
    for wrong, right in _TYPOS:
        if wrong in t:
            t = t.replace(wrong, right)
    out, removed = set(), 0
    for m in _PUNCT.finditer(t):
        out.add(m.start() - removed)
        removed += m.end() - m.start()
    return frozenset(out)


_NUMERALS = dict(zip("零〇一二三四五六七八九", "00123456789", strict=True))


def _cn_number(run: str) -> str:
    """"十二" -> "12", "九二零" -> "920" (digit by digit when there is no 十)."""
    if "十" not in run:
        return "".join(_NUMERALS[c] for c in run)
    tens, _, ones = run.partition("十")
    return str((int(_NUMERALS[tens]) if tens else 1) * 10 + (int(_NUMERALS[ones]) if ones else 0))


def _arabic_core(core: str) -> str:
    """Arabic-digit spelling people use for numbered communities: 九二零 -> 920, 新港城第三 -> 新港城第3; else ''."""
    numeral = "零〇一二三四五六七八九十"
    if len(core) >= 3 and all(c in numeral for c in core):
        return _cn_number(core)
    m = re.search(f"第([{numeral}]+)$", core)
    if m:
        return core[: m.start(1)] + _cn_number(m.group(1))
    return ""


__all__ = ["breaks", "normalize"]
