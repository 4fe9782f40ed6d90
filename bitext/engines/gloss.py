"""The built-in ``gloss`` engine: a word-by-word English gist, offline, everywhere.

Chinese runs are cut into words by jieba (a private tokenizer that keeps glossary terms
whole); each word becomes its glossary target, else a short CC-CEDICT sense, else pinyin.
Latin runs and numbers are copied verbatim — the term-enforcement layer
(``bitext.terms.enforce``) has already put the glossary's English targets into the input, and
they must come out unchanged. Dates, ``亿``/``万`` amounts, ordinals and enumerations get
English forms; punctuation is mapped to its English counterpart. The result is a gist,
not a translation (``is_gist``), and every output labels it so.

The dictionaries (jieba, CC-CEDICT) load on first use, once per engine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import regex

from bitext.engines.base import Engine, EngineContext, TermEntry, Translation
from bitext.zh import cedict
from bitext.zh.numerals import CURRENCIES, NUMBER, parse_decimal, parse_int, render, render_value
from bitext.zh.text import HAN, HAN_RUN, fold, unspace

log = logging.getLogger(__name__)

# fmt: off
# Function words and frequent words whose first CC-CEDICT sense reads badly in a gist.
# An empty string drops the word (particles with no English counterpart).
OVERRIDES: dict[str, str] = {
    "的": "", "地": "", "得": "", "了": "", "着": "", "过": "", "们": "", "所": "",
    "把": "", "被": "", "呢": "", "吧": "", "啊": "", "么": "", "嘛": "", "个": "",
    "之": "of", "其": "its", "该": "the", "此": "this", "这": "this", "那": "that",
    "这些": "these", "那些": "those", "这个": "this", "这种": "this kind of",
    "我": "I", "我们": "we", "你": "you", "您": "you", "他": "he", "她": "she", "它": "it",
    "他们": "they", "她们": "they", "它们": "they", "我国": "China", "各": "each",
    "每": "every", "各类": "all kinds of", "各种": "various", "各方": "all parties",
    "是": "is", "有": "have", "在": "in", "于": "in", "对": "to", "对于": "for",
    "从": "from", "向": "to", "以": "with", "为": "for", "为了": "in order to",
    "和": "and", "与": "and", "及": "and", "以及": "and", "并": "and", "并且": "and",
    "或": "or", "或者": "or", "而": "and", "但": "but", "但是": "but", "却": "but",
    "也": "also", "还": "also", "都": "all", "就": "then", "才": "only", "又": "again",
    "再": "again", "更": "more", "更加": "more", "最": "most", "很": "very", "非常": "very",
    "不": "not", "没": "not", "没有": "no", "无": "no", "未": "not yet", "非": "non-",
    "将": "will", "会": "will", "要": "must", "应": "should", "应当": "should",
    "应该": "should", "必须": "must", "需要": "need", "可以": "can", "可": "can",
    "能": "can", "能够": "can", "已": "already", "已经": "already", "曾": "once",
    "正在": "is", "等": "etc.", "等等": "etc.", "中": "in", "上": "on", "下": "under",
    "内": "within", "外": "outside", "后": "after", "前": "before", "时": "when",
    "里": "in", "吗": "", "一个": "a", "一些": "some", "一项": "a", "一道": "together",
    "多": "many", "年": "year", "月": "month", "日": "day", "亿": "hundred million",
    "万": "ten thousand", "处": "impose", "由": "by", "拒不": "refuse to", "给予": "give",
    "除外": "excepted", "作出": "make", "一刀切": "one size fits all", "网络": "network", "网上": "online", "线上": "online",
    "安全": "security", "表示": "said", "指出": "pointed out", "强调": "stressed",
    "提出": "put forward", "认为": "believes", "据悉": "reportedly", "日前": "recently",
    "近日": "recently", "今年": "this year", "去年": "last year", "明年": "next year",
    "目前": "currently", "当前": "currently", "截至": "as of", "截至目前": "so far",
    "如若": "if", "请": "please", "愿": "is willing to", "广": "wide", "事": "matter",
    "体制": "system", "机制": "mechanism", "工作": "work", "企业": "enterprise",
    "个人": "individual", "全社会": "whole society", "经济社会": "economy and society",
    "强国": "great power", "复兴": "rejuvenation", "运行": "operation", "当": "when",
    "通过": "through", "进行": "carry out", "贯彻落实": "implement", "深入学习": "study",
    "领会": "grasp", "共筑": "jointly build", "生产生活": "production and life",
    "民族": "nation", "政府": "government", "用户": "user", "方面": "aspect",
    "防护": "protection", "度": "degree", "人次": "person-times", "据": "according to",
    "如": "such as", "如果": "if", "因此": "therefore", "因为": "because", "所以": "so",
    "同时": "at the same time", "此外": "in addition", "其中": "among them",
    "以上": "above", "以下": "below", "之一": "one of", "之间": "between",
    "方式": "way", "问题": "issue", "情况": "situation", "相关": "relevant",
    "有关": "relevant", "依法": "in accordance with the law", "规定": "provisions",
    "办法": "measures", "条例": "regulations", "意见": "opinions", "通知": "notice",
    "单位": "unit", "组织": "organization", "境内": "within the territory", "境外": "overseas",
    "提供者": "provider", "主任": "director", "副": "deputy", "一是": "first",
    "国家": "state", "引领": "lead", "革命": "revolution", "筑": "build", "筑牢": "build solid",
    "备案": "filing", "服务": "service", "致辞": "deliver a speech", "生产": "production",
    "生活": "life", "重点": "key", "自": "from", "起": "on", "联合": "jointly",
    "依赖性": "dependence", "数字化": "digitalization", "监管": "supervision",
    "深入": "in-depth", "学习": "study", "建设": "development", "修复": "fix",
    "施行": "take effect", "实行": "implement", "打造": "build", "主题": "theme",
    "社会": "society", "事件": "incident", "信息": "information", "数据": "data",
    "技术": "technology", "产品": "product", "行业": "industry", "领域": "field",
    "治理": "governance", "风险": "risk", "保护": "protection", "评估": "assessment",
    "监测": "monitoring", "制度": "system", "体系": "system", "能力": "capability",
    "水平": "level", "合规": "compliance", "标准": "standard", "规范": "norms",
    "要求": "requirements", "责任": "responsibility", "义务": "obligation",
    "处理": "processing", "使用": "use", "收集": "collect", "存储": "store",
    "传输": "transmit", "共享": "share", "公开": "disclose", "删除": "delete",
    "泄露": "leak", "篡改": "tamper with", "攻击": "attack", "防范": "guard against",
    "应对": "respond to", "违法": "illegal", "违规": "non-compliant", "处罚": "penalty",
    "罚款": "fine", "整改": "rectify", "约谈": "summon for talks", "指导": "guidance",
    "规划": "plan", "战略": "strategy", "政策": "policy", "法律": "law", "法规": "regulations",
    "部署": "deploy", "开幕式": "opening ceremony", "大会": "conference", "会议": "meeting",
    "论坛": "forum", "举办": "host", "举行": "hold", "召开": "convene", "出席": "attend",
    "讲话": "speech", "发展": "development", "创新": "innovation", "应用": "application",
    "场景": "scenario", "模型": "model", "训练": "training", "生成": "generate",
    "内容": "content", "标识": "label", "平台": "platform",
    "机构": "institution", "运营者": "operator", "主管部门": "competent department",
    "有关部门": "relevant departments", "相关部门": "relevant departments", "部门": "department",
    "说": "said", "约": "about", "元": "yuan", "同比": "year on year", "增长": "growth",
    "市场": "market", "发现": "discover", "大家": "everyone", "公众": "public",
    "共同": "jointly", "完成": "complete", "建立": "establish", "健全": "improve",
    "完善": "improve", "加快": "accelerate", "推进": "advance", "推动": "promote",
    "强化": "strengthen", "加强": "strengthen", "提升": "enhance", "提高": "raise",
    "开发": "develop", "利用": "use", "开发利用": "development and use", "本": "this",
    "本法": "this Law", "正当": "legitimate", "采取": "adopt", "管理": "management",
    "会同": "together with", "主体责任": "primary responsibility", "落实": "implement",
    "活动": "activities", "利益": "interests", "许可": "permit", "行政": "administrative",
    "一般": "general", "维护": "maintain", "内部": "internal", "确定": "determine",
    "运营": "operate", "侵入": "intrude", "访问": "access", "未经": "without", "审查": "review", "坚持": "adhere to",
    "并重": "give equal weight to", "不得": "must not", "禁止": "prohibit",
    "任何": "any", "其他": "other", "下列": "following", "依照": "in accordance with",
    "方可": "only then may", "经": "upon", "周岁": "years of age",
    "市": "city", "本市": "this Municipality", "特别行政区": "Special Administrative Region",
    "工作日": "working day", "项": "item", "前款": "the preceding paragraph",
    "本款": "this paragraph", "本条": "this Article", "董事": "director", "监事": "supervisor",
    "担任": "serve as", "上一年度": "the previous year", "上年度": "the previous year",
    "本年度": "this year", "年度": "annual", "交通": "traffic", "驾驶": "drive",
    "驾驶人": "driver", "暂扣": "temporarily suspend", "至": "to", "报送": "submit",
    "一起": "together", "开放": "open", "年代": "era",
    "公布之日": "the date of promulgation", "发布之日": "the date of issuance",
    "印发之日": "the date of issuance", "施行之日": "the date of entry into force",
    # a saved page's furniture (menus, buttons, footers are translated too)
    "首页": "Home", "登录": "log in", "注册": "sign up", "退出": "log out", "返回顶部": "back to top",
    "返回": "back", "分享": "share", "分享到": "share to", "收藏": "bookmark", "点赞": "like",
    "评论": "comment", "转发": "repost", "关于我们": "about us", "联系我们": "contact us",
    "隐私政策": "privacy policy", "网站地图": "site map", "友情链接": "links", "投稿": "submit an article",
    "查看更多": "see more", "更多": "more", "上一篇": "previous", "下一篇": "next", "搜索": "search",
    "相关推荐": "related articles", "相关阅读": "related reading", "阅读原文": "read the original",
    "查看原文": "see the original", "责任编辑": "editor", "来源": "source", "作者": "author",
}

PUNCT: dict[str, str] = {
    "。": ".", "，": ",", "、": ",", "；": ";", "：": ":", "？": "?", "！": "!",
    "（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]",
    "｛": "{", "｝": "}", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"',
    "『": "'", "』": "'", "《": '"', "》": '"', "〈": '"', "〉": '"', "…": "...",
    "⋯": "...", "—": "—", "～": "~", "·": " ", "・": " ", "．": ".", "｜": "|",
    "〜": "~", "〃": '"', "﹏": "_", "＂": '"', "＇": "'",
}
OPENING = {"(", "[", "{"}
CLOSING = {")", "]", "}", ",", ".", ";", ":", "?", "!", "%", "...", "…"}
OPEN_QUOTES = {"“": '"', "‘": "'", "「": '"', "『": "'", "《": '"', "〈": '"'}
CLOSE_QUOTES = {"”": '"', "’": "'", "」": '"', "』": "'", "》": '"', "〉": '"'}

SKIP_SENSE = regex.compile(
    r"^(?:surname\b|(?:old |archaic |japanese |erhua |ancient |obscure )?variant of\b|"
    r"see\b|used in\b|cl:|abbr\.|also written\b|also pr\.|classifier\b|"
    r"\(classifier|taiwan pr\.|\(tw\)|\(old\)|\(literary\)|\(archaic\)|\(dialect\)|"
    r"\(cantonese\)|\(onom\.\)|\(slang\)|\(derog|\(vulgar\)|\(loanword\)|"
    r"\(bound form\) \w+-$|pr\.\s)",
    regex.IGNORECASE,
)
RADICAL = regex.compile(
    r"radical in chinese characters|kangxi radical|\((?:original meaning|archaic|old|literary|"
    r"obsolete|dialect|classical)\b",
    regex.IGNORECASE,
)
LABEL_TAIL = regex.compile(r",?\s*\b(?:esp|e\.g|i\.e|usu|abbr)\..*$", regex.IGNORECASE)
"""Dictionary annotations after a sense ("non-Han people, esp. from central Asia")."""
LABELS = regex.compile(r"\b(?:lit|esp|fig|abbr|CL)[.:]|\bused in\b|\bclassifier\b", regex.IGNORECASE)
"""CC-CEDICT labels that must never reach a gist."""
PAREN = regex.compile(r"\s*(?:\([^()]*\)|\[[^\]]*\])")
PLACE_TAIL = regex.compile(
    r"(?:\s+(?:sub-?provincial|prefecture-level|county-level)?\s*(?:city|municipality|county|district|prefecture)"
    r"(?:\s+and\s+capital\s+of\s+.*|\s+in\s+.*)?"
    r"|\s+in\s+(?:(?:north|south|east|west|central|northeast|northwest|southeast|southwest)\w*\s+)+China\b.*)$"
)
"""CC-CEDICT's description after a place name (上海市 "Shanghai municipality in southeast
China", 杭州市 "Hangzhou subprovincial city and capital of Zhejiang province …")."""
PLACEHOLDER = regex.compile(r"\b(?:sb|sth|sb's|sth's|one's|oneself)\b", regex.IGNORECASE)

CN_NUM = "零〇一二两三四五六七八九十百千"
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                "nine", "ten"]
ORDINAL_WORDS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth",
                 "seventh", "eighth", "ninth", "tenth"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ORD_UNIT = {"条": "Article", "章": "Chapter", "节": "Section", "款": "Paragraph",
            "项": "Item", "部分": "Part"}
ORD_AFTER = {"批": "batch", "期": "phase", "轮": "round", "季度": "quarter", "阶段": "stage"}
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤庄"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容")
# fmt: on

UNIT_WORDS = {"日": "day", "天": "day", "年": "year", "个月": "month", "小时": "hour", "周岁": "year",
              "个工作日": "working day", "工作日": "working day",
              "周": "week", "倍": "time", "次": "time", "人": "person", "名": "person",
              "家": "", "个": "", "项": "", "件": "", "户": "", "所": "",
              "平方公里": "square kilometer", "平方米": "square meter", "公里": "kilometer",
              "千米": "kilometer", "厘米": "centimeter", "毫米": "millimeter", "米": "meter",
              "公斤": "kilogram", "千克": "kilogram", "吨": "ton", "克": "gram", "升": "liter",
              "分钟": "minute", "辆": "vehicle", "起": "case"}
"""Measure words after a quantity in legal ranges: English unit (singular; "" drops it)."""
_UNIT = "|".join(sorted(list(CURRENCIES) + [u for u in UNIT_WORDS if u != "起"], key=len, reverse=True))
FRACTION = rf"(?:[{CN_NUM}]+|\d+)分之(?:[{CN_NUM}]+|\d+)"
"""``三分之二`` (two thirds); ``百分之`` is a percentage (its own pattern)."""


def _qty_pattern(units: str) -> str:
    """A quantity: a percentage, a fraction, or a number with one of ``units``."""
    return rf"(?:百分之{NUMBER}|(?!百分之){FRACTION}|{NUMBER}(?:多|余)?(?:{units}|(?<=[万亿])))"


_QTY = _qty_pattern(_UNIT)
_QTYL = _qty_pattern(_UNIT + "|起")
"""A quantity in a legal phrase (五起以上: five cases; alone, 一起 is "together")."""
LEGAL = {"lo": "not less than", "ge": "not less than", "le": "not more than",
         "lt": "less than", "gt": "more than", "win": "within",
         "nl": "not less than", "nm": "not more than"}
"""Chinese legal number phrases (以上/以下 include the number, 不满/超过 exclude it)."""

EDGE_OF = {"底": "end of", "末": "end of", "初": "early"}
"""A period's edge after a date (2024年6月底: end of June 2024)."""

_BEFORE = r"(?P<bef>之前|以前|前(?![期列款项述三两]))?"
"""A date followed by 前 (``十二月三十一日前`` → before December 31)."""

SPECIAL = regex.compile(
    r"(?P<hence>[（(](?:以下简称|以下称|下称|简称)[“\"]?(?P<hx>[^（()）“”\"]{1,40})[”\"]?[）)])"
    rf"|(?P<eff>自(?P<effd>[^自起。，；,;]{{2,20}}?)起(?:(?P<effn>{NUMBER}(?:日|天|个月|年))后)?(?:施行|生效))"
    r"|(?P<prevyr>上一?年度|上一年)"
    r"|(?P<dec>(?:上世纪|(?P<dc>二十一|二十|十九|\d{2})世纪)?(?P<dn>[一二三四五六七八九]十|[1-9]0)年代)"
    r"|(?P<lastc>上世纪)|(?P<cent>(?P<cn>二十一|二十|十九|十八|\d{2})世纪)"
    rf"|(?P<to>(?P<to1>{_QTY})(?:至|到|—|－|-|~|～)(?P<to2>{_QTY}))"
    rf"|(?P<rng>(?P<lo>{_QTYL})以上(?P<hi>{_QTYL})以下)"
    rf"|(?P<ge>(?P<ge1>{_QTYL})以上)|(?P<le>(?P<le1>{_QTYL})以下)"
    rf"|(?P<nl>(?:不得少于|不得低于|不得小于|不少于|不低于|不小于|(?<![年充圆])满)(?P<nl1>{_QTYL}))"
    rf"|(?P<nm>(?:不得超过|不得大于|不超过|不多于|不高于|不大于)(?P<nm1>{_QTYL}))"
    rf"|(?P<lt>(?:不满|不足|未满|低于|少于|小于)(?P<lt1>{_QTYL}))|(?P<gt>(?:超过|高于|多于|大于)(?P<gt1>{_QTYL}))"
    rf"|(?P<win>在?(?P<win1>{_QTY})以?内)"
    rf"|(?P<ordr>第\s*(?P<or1>\d+|[{CN_NUM}]+)\s*(?:条|章|节|款|项)?\s*(?:至|到|—|-)\s*第?\s*(?P<or2>\d+|[{CN_NUM}]+)\s*(?P<oru>条|章|节|款|项))"
    rf"|(?P<clock>(?P<ampm>上午|下午|晚上|凌晨|早上)(?P<hh>[{CN_NUM}]+|\d{{1,2}})(?:时|点)(?:(?P<mi>[{CN_NUM}]+|\d{{1,2}})分|(?P<half>半))?"
    r"|(?<![\d.])(?P<hh2>\d{1,2})\s*时(?:\s*(?P<mi2>\d{1,2})\s*分)?)"
    rf"|(?P<dom>每月(?P<dd>\d{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])" + _BEFORE
    + r"|(?P<past>近(?P<pn2>[一二两三四五六七八九十]|\d+)(?P<pu>年|个月|日|天))"
    rf"|(?P<speed>每小时(?P<sp1>{_QTY}))"
    r"|(?P<ymd>(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号]|(?P<me>底|末|初))?)" + _BEFORE
    + r"|(?P<md>(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号])" + _BEFORE
    + r"|(?P<cymd>(?P<cy>[〇零一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月"
    r"(?:(?P<cd>[一二三四五六七八九十]{1,3})日)?)" + _BEFORE
    + r"|(?P<cmd>(?<![一二三四五六七八九十百千万亿零两〇第])(?P<cm3>十[一二]?|[一二三四五六七八九])月"
    r"(?P<cd3>[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])[日号])" + _BEFORE
    + r"|(?P<mon>(?<!\d)(?<!\d\s*年\s*)(?P<m4>1[0-2]|0?[1-9])\s*月(?P<me2>底|末|初|份)?(?!\s*\d|\p{Han}*[日号]))" + _BEFORE
    + r"|(?P<year>(?P<y3>\d{4})\s*年(?P<yp>底|末|初(?!步)|以来|度)?(?!\s*\d))"
    r"|(?P<ord>第\s*(?P<op>[（(])?(?P<o>\d{1,3}(?:,\d{3})+|\d+|["
    + CN_NUM
    + r"]+)(?(op)[）)])\s*(?P<ou>届|次|条|章|节|款|项|批|期|轮|个|位|名|季度|阶段|部分)?)(?!方)"
    r"|(?P<pct>百分之(?P<p>\d+(?:\.\d+)?|[" + CN_NUM + r"点]+))"
    r"|(?P<unit>(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<u>万亿|亿|万)(?P<um>多|余)?(?:[个家项名位件台户所](?!\p{Han}*[量数]))?)"
    r"|(?P<more>(?P<n2>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:多|余)\s*(?:个|家|项|名|位|款|批|件|台|种|类)?)"
    r"|(?P<cls>(?P<n3>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:个(?!月|工作日|小时)|家|项|名|位|款|批|件|台))"
    r"|(?P<enum>(?:(?<=^)|(?<=[\s，,；;：:。！？“\"「（(*]))(?P<e>[一二三四五六七八九十])(?P<es>是|要|、))"
    r"|(?P<paren>[（(](?P<pn>[一二三四五六七八九十]{1,3})[）)])"
    r"|(?P<cnnum>(?:(?<!\p{Han})|(?<=[有是为达和与及的了共近约这那每前后出]))"
    r"[一二两三四五六七八九十](?P<cc>个|项|点(?![零〇一二三四五六七八九])|条|种|类|家|名|位|方面|大))"
    rf"|(?P<qty>{_QTY})"
)
"""Patterns that straddle digits and Han (dates, amounts, ordinals, enumerations)."""

ASCII_PUNCT = regex.compile(r'"|[,.;:!?]+|[()\[\]{}]|[^",.;:!?()\[\]{}]+')
RUNS = regex.compile(r"(?P<han>[\p{Han}〇]+)|(?P<space>\s+)|(?P<other>[^\p{Han}〇\s]+)")


def _ascii(s: str) -> str:
    """Full-width digits and letters to ASCII (``２０２４`` → ``2024``)."""
    return fold(s, case=False, variants=False)


def _num(s: str) -> int | None:
    return parse_int(s)


def number_word(n: int) -> str:
    """``3`` → ``three`` (up to ten), else digits."""
    return NUMBER_WORDS[n] if 0 <= n <= 10 else str(n)


def ordinal(n: int) -> str:
    """``1`` → ``first`` … ``10`` → ``tenth``, ``12`` → ``12th``, ``22`` → ``22nd``."""
    if 0 <= n <= 10:
        return ORDINAL_WORDS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(y: int | None, m: int | None, d: int | None) -> str:
    month = MONTHS[m - 1] if m and 1 <= m <= 12 else (str(m) if m else "")
    if month and d:
        return f"{month} {d}, {y}" if y else f"{month} {d}"
    if month:
        return f"{month} {y}" if y else month
    return str(y) if y else ""


def _edge(mark: str | None, when: str) -> str:
    """``when`` with the period edge that ``mark`` (底/末/初) names, if any."""
    lead = EDGE_OF.get(mark or "")
    return f"{lead} {when}" if lead else when


def _clock(g: Any) -> str:
    """``上午九时`` → 9:00 a.m., ``下午五时半`` → 5:30 p.m., ``20时`` → 20:00."""
    if g("hh2"):
        return f"{int(g('hh2'))}:{int(g('mi2') or 0):02d}"
    h = parse_int(g("hh")) or 0
    mi = 30 if g("half") else (parse_int(g("mi")) or 0) if g("mi") else 0
    pm = g("ampm") in ("下午", "晚上")
    if g("ampm") == "晚上" and h == 12:
        pm = False
    return f"{h}:{mi:02d} {'p.m.' if pm else 'a.m.'}"


class GlossEngine(Engine):
    """Word-by-word gist from the glossary, CC-CEDICT and jieba (no model needed).

    Args:
        **options: neural-engine options (``beam_size``, ``threads``, ``device`` …) are
            accepted and ignored, so the CLI can pass the same options to every engine.
    """

    name = "gloss"
    is_gist = True
    native_glossary = True

    def __init__(self, **options: Any):
        if options:
            log.debug("gloss engine ignores options: %s", ", ".join(sorted(options)))
        self._segmenter: Any = None
        self._targets: dict[str, str] = {}
        self._cache: dict[str, str] = {}
        self._glossary: Iterable[TermEntry] | None = None

    # -- set-up ------------------------------------------------------------------------

    def _seg(self) -> Any:
        if self._segmenter is None:
            from bitext.segment.words import WordSegmenter

            seg = WordSegmenter(self._targets)
            # the gist's own words that jieba would cut stay whole too (有关部门, 特别行政区)
            seg.add_terms([w for w in OVERRIDES if len(w) > 1 and fold(w) not in self._targets
                           and list(seg.cut(w)) != [w]])
            self._segmenter = seg
        return self._segmenter

    def _use_glossary(self, glossary: Iterable[TermEntry]) -> None:
        """Use ``glossary`` targets for its terms and keep those terms whole when cutting."""
        if glossary is self._glossary:
            return
        self._glossary = glossary
        new = []
        for entry in glossary:
            key = fold(entry.source)
            if self._targets.get(key) != entry.target:
                self._targets[key] = entry.target
                new.append(entry.source)
        if new:
            self._cache.clear()
            if self._segmenter is not None:
                self._segmenter.add_terms(new)

    def signature(self) -> str:
        """``gloss:cc-cedict+jieba``."""
        return "gloss:cc-cedict+jieba"

    # -- translation ---------------------------------------------------------------------

    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        target_prefixes: Sequence[str | None] | None = None,
        return_attention: bool = False,
        context: EngineContext | None = None,
    ) -> list[Translation]:
        """One gist per text (``target_prefixes`` and attention do not apply to gists).

        The context's glossary (if any) gives the targets of its terms and keeps them whole.
        """
        if context is not None and context.glossary is not None:
            self._use_glossary(context.glossary)
        return [Translation(text=self.gloss(t)) for t in texts]

    def gloss(self, text: str) -> str:
        """The English gist of one sentence."""
        tokens: list[tuple[str, str]] = []  # (kind, text): word | latin | punct | space
        text = unspace(text)  # 总　　则 is 总则
        if self._byline(text.strip()):  # a name standing alone: a byline or signature
            return _name_pinyin(text.strip())
        pos = 0
        for m in SPECIAL.finditer(text):
            if m.start() > pos:
                self._plain(text[pos : m.start()], tokens)
            tokens.extend(self._special(m))
            pos = m.end()
        if pos < len(text):
            self._plain(text[pos:], tokens)
        out = _join(tokens)
        if HAN.search(out):  # last resort: nothing Chinese may survive
            out = HAN.sub(lambda mm: _pinyin(mm.group()), out)
        return out

    def _byline(self, text: str) -> bool:
        """Whether a whole segment is a person's name alone (``胡金鱼`` under a headline):
        a common surname and a one- or two-character given name that is no dictionary,
        glossary or gist word."""
        return (HAN_RUN.fullmatch(text) is not None and _looks_like_name(text) and len(text) <= 3
                and text not in OVERRIDES and fold(text) not in self._targets
                and not cedict.lookup(text))

    def _special(self, m: regex.Match[str]) -> list[tuple[str, str]]:
        g = m.group
        if g("hence"):
            x = g("hx").strip()
            target = self._targets.get(fold(x))
            if target is None:
                target = self.gloss(x) if HAN.search(x) else x
            return [("punct", "("), ("word", f'hereinafter "{target}"'), ("punct", ")")]
        if g("prevyr"):
            return [("word", "the previous year")]
        if g("dec"):  # 上世纪九十年代 → the 1990s
            c = (parse_int(g("dc")) if g("dc") else None) or 20
            d = parse_int(g("dn")) or 0
            return [("word", f"the {(c - 1) * 100 + d}s")]
        if g("lastc"):
            return [("word", "the last century")]
        if g("cent"):
            return [("word", f"{ordinal(parse_int(g('cn')) or 0)} century")]
        if g("eff"):  # 自2017年6月1日起施行, 自公布之日起三十日后施行
            when = self.gloss(g("effd"))
            if when.startswith("The "):
                when = "t" + when[1:]
            if g("effn"):
                q = _quantity(g("effn"))
                return [("word", f"shall take effect {q or g('effn')} after {when}")]
            return [("word", f"shall take effect as of {when}")]
        for key in ("rng", "ge", "le", "nl", "nm", "lt", "gt", "win", "speed", "to", "qty"):
            if g(key):
                return self._quantities(m, key)
        before = [("word", "before")] if g("bef") else []
        if g("ymd"):
            when = _date(int(g("y")), int(g("m")), int(g("d")) if g("d") else None)
            return before + [("word", _edge(g("me"), when))]
        if g("dom"):
            return before + [("word", f"the {ordinal(parse_int(g('dd')) or 0)} of each month")]
        if g("mon"):
            return before + [("word", _edge(g("me2"), MONTHS[int(g("m4")) - 1]))]
        if g("ordr"):
            a, b = _num(g("or1")), _num(g("or2"))
            unit = ORD_UNIT.get(g("oru"), "")
            if a is not None and b is not None and unit:
                return [("word", f"{unit}s {a} to {b}")]
            return [("word", self._gloss_word(g("ordr")))]
        if g("clock"):
            return [("word", _clock(g))]
        if g("past"):
            q = _quantity(g("pn2") + g("pu"))
            return [("word", f"the past {q}" if q else self._gloss_word(g("past")))]
        if g("md"):
            return before + [("word", _date(None, int(g("m2")), int(g("d2"))))]
        if g("cymd"):
            cd = parse_int(g("cd")) if g("cd") else None
            return before + [("word", _date(parse_int(g("cy")), parse_int(g("cm")), cd))]
        if g("cmd"):
            return before + [("word", _date(None, parse_int(g("cm3")), parse_int(g("cd3"))))]
        if g("year"):
            lead = {**EDGE_OF, "以来": "since"}.get(g("yp") or "")
            return ([("word", lead)] if lead else []) + [("latin", _ascii(g("y3")))]
        if g("ord"):
            n = _num(g("o"))
            if n is None:
                return [("word", self._gloss_word(g("ord")))]
            unit = g("ou") or ""
            if unit in ORD_UNIT:  # 第（三）项 is Item (3)
                return [("word", f"{ORD_UNIT[unit]} ({n})" if g("op") else f"{ORD_UNIT[unit]} {n}")]
            if unit in ORD_AFTER:
                return [("word", f"{ordinal(n)} {ORD_AFTER[unit]}")]
            return [("word", ordinal(n))]
        if g("pct"):
            return [("latin", render(g("pct")) or g("pct"))]
        if g("unit"):
            more = [("word", "more than")] if g("um") else []
            return more + [("latin", render(g("n") + g("u")) or g("n"))]
        if g("more"):
            return [("word", "more than"), ("latin", _ascii(g("n2")))]
        if g("cls"):
            return [("latin", _ascii(g("n3")))]
        if g("enum"):
            n = parse_int(g("e")) or 0
            if g("es") == "、":  # 一、 heading numbers
                return [("latin", f"{n}.")]
            return [("word", ordinal(n)), ("punct", ",")]
        if g("paren"):
            return [("punct", "("), ("latin", str(parse_int(g("pn")))), ("punct", ")")]
        if g("cnnum"):
            n = parse_int(m.group()[0]) or 0
            rest = g("cc")
            extra = {"方面": "aspects", "大": "major"}.get(rest, "")
            return [("word", number_word(n))] + ([("word", extra)] if extra else [])
        return [("latin", m.group())]  # pragma: no cover - every alternative is handled

    def _quantities(self, m: regex.Match[str], key: str) -> list[tuple[str, str]]:
        """Legal number phrases: ``五万元以上五十万元以下`` → not less than 50,000 yuan but …"""
        g = m.group
        if key == "rng":
            lo, hi = _quantity(g("lo")), _quantity(g("hi"))
            if lo is not None and hi is not None:
                return [("word", f"{LEGAL['lo']} {lo} but {LEGAL['le']} {hi}")]
        elif key == "qty":
            q = _quantity(g("qty"))
            if q is not None:
                return [("word", q)]
        elif key == "speed":  # 每小时六十公里
            q = _quantity(g("sp1"))
            if q is not None:
                return [("word", f"{q} per hour")]
        elif key == "to":  # 十六周岁至二十五周岁: 16 to 25 years (one unit said once)
            lo, hi = _quantity(g("to1")), _quantity(g("to2"))
            if lo is not None and hi is not None:
                num_a, _, unit_a = lo.partition(" ")
                unit_b = hi.partition(" ")[2]
                same = unit_a and unit_a.rstrip("s") == unit_b.rstrip("s")
                return [("word", f"{num_a} to {hi}" if same else f"{lo} to {hi}")]
        else:
            q = _quantity(g(key + "1"))
            if q is not None:
                return [("word", f"{LEGAL[key]} {q}")]
        tokens: list[tuple[str, str]] = []  # not a quantity after all (千万元, 万元): plain words
        self._plain(m.group(), tokens)
        return tokens

    def _plain(self, text: str, tokens: list[tuple[str, str]]) -> None:
        """Han runs → glossed words; punctuation → English; anything else verbatim."""
        for m in RUNS.finditer(text):
            if m.group("space"):
                tokens.append(("space", " "))
            elif m.group("han"):
                for w in _merge_names(list(self._seg().cut(m.group()))):
                    if HAN.search(w):
                        tokens.append(("word", self._gloss_word(w)))
                    else:
                        self._other(w, tokens)
            else:
                self._other(m.group(), tokens)

    def _other(self, run: str, tokens: list[tuple[str, str]]) -> None:
        """A non-Han run: Latin/numbers verbatim (full-width folded), CJK punctuation mapped."""
        buf: list[str] = []

        def flush() -> None:
            if not buf:
                return
            chunk = "".join(buf)
            buf.clear()
            if any(c.isalnum() for c in chunk):
                tokens.append(("latin", chunk))
            else:  # bare ASCII punctuation between Chinese words: space it as punctuation
                tokens.extend(("latin", p) for p in ASCII_PUNCT.findall(chunk))

        i = 0
        while i < len(run):
            ch = run[i]
            if ch in "…⋯" or (ch == "—" and run[i : i + 2] == "——"):
                flush()
                j = i
                while j < len(run) and run[j] == ch:
                    j += 1
                tokens.append(("punct", "..." if ch in "…⋯" else "—"))
                i = j
                continue
            if ch in OPEN_QUOTES:
                flush()
                tokens.append(("open", OPEN_QUOTES[ch]))
            elif ch in CLOSE_QUOTES:
                flush()
                tokens.append(("close", CLOSE_QUOTES[ch]))
            elif ch in PUNCT:
                flush()
                tokens.append(("punct", PUNCT[ch]))
            elif "\uff01" <= ch <= "\uff5e":
                buf.append(_ascii(ch))
            elif ch == "\u3000":
                flush()
                tokens.append(("space", " "))
            else:
                buf.append(ch)
            i += 1
        flush()

    # -- words ---------------------------------------------------------------------------

    def _gloss_word(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._cache[word] = self._lookup(word)
        return cached

    def _lookup(self, word: str) -> str:
        target = self._targets.get(fold(word))
        if target is not None:
            return target
        if word in OVERRIDES:
            return OVERRIDES[word]
        sense = best_sense(word)
        if sense is not None:
            return sense
        if all(c in CN_NUM + "万亿" for c in word):
            n = parse_int(word)
            if n is not None:
                return number_word(n)
        if _looks_like_name(word):
            return _name_pinyin(word)
        # Unknown compound: longest known pieces, pinyin for what is left.
        parts, i = [], 0
        while i < len(word):
            for L in range(min(4, len(word) - i), 0, -1):
                piece = word[i : i + L]
                g = OVERRIDES.get(piece)
                if g is None:
                    g = self._targets.get(fold(piece))
                if g is None:
                    g = best_sense(piece)
                if g is not None or L == 1:
                    parts.append(g if g is not None else _pinyin(piece))
                    i += L
                    break
        return " ".join(p for p in parts if p)


def fraction(text: str) -> str | None:
    """``三分之二`` → ``two thirds``, ``二分之一`` → ``one half``, ``千分之五`` → ``5 per
    thousand``, ``十二分之五`` → ``5/12``; None when ``text`` is not one."""
    den_s, _, num_s = text.partition("分之")
    if den_s in ("千", "万"):
        v = parse_decimal(num_s)
        per = "thousand" if den_s == "千" else "ten thousand"
        return None if v is None else f"{render_value(v)} per {per}"
    d, n = parse_int(den_s), parse_int(num_s)
    if not d or n is None:
        return None
    if d > 10 or n > 10:
        return f"{n}/{d}"
    names = {2: ("half", "halves"), 4: ("quarter", "quarters")}
    one, many = names.get(d, (ordinal(d), ordinal(d) + "s"))
    return f"{number_word(n)} {one if n == 1 else many}"


def _quantity(text: str) -> str | None:
    """``五万元`` → ``50,000 yuan``, ``三十日`` → ``30 days``, ``一倍`` → ``one time``,
    ``三分之二`` → ``two thirds``, ``百分之十`` → ``10%``; None if vague."""
    if text.startswith("百分之"):
        return render(text)
    if "分之" in text:
        return fraction(text)
    m = regex.fullmatch(rf"({NUMBER})(多|余)?({_UNIT}|起)?", text)
    if not m:
        return None
    v = parse_decimal(m.group(1))
    if v is None:
        return None
    unit = m.group(3) or ""
    more = "more than " if m.group(2) else ""
    if unit in CURRENCIES or not unit or not UNIT_WORDS.get(unit):
        cur = CURRENCIES.get(unit, "")
        return more + render_value(v) + (f" {cur}" if cur else "")
    word = UNIT_WORDS[unit]
    n = number_word(int(v)) if v == int(v) else render_value(v)
    if v != 1:
        word = "people" if word == "person" else word + "s"
    return f"{more}{n} {word}"


NAME_CUES = frozenset(
    ["表示", "说", "指出", "认为", "强调", "介绍", "称", "出席", "主持", "致辞", "同志", "先生", "女士", "教授", "主任", "部长", "院士", "透露", "告诉", "回忆"]
)
"""Words after which a surname + given name cut apart by jieba is read as a person's name."""
_NOT_SURNAME = frozenset("于向万方白高马任程石金田钟龙史江段雷夏丁华管余从和")


def _merge_names(words: list[str]) -> list[str]:
    """``胡`` ``金鱼`` ``表示`` → ``胡金鱼`` ``表示``: a surname jieba left alone, a 1–2
    character given name and a cue word (``表示``, ``说`` …) after it."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if (
            i + 2 < len(words)
            and len(w) == 1
            and w in SURNAMES
            and w not in _NOT_SURNAME
            and 1 <= len(words[i + 1]) <= 2
            and HAN.fullmatch(words[i + 1][0])
            and all(HAN.match(c) for c in words[i + 1])
            and words[i + 2] in NAME_CUES
        ):
            out.append(w + words[i + 1])
            i += 2
            continue
        out.append(w)
        i += 1
    return out


def _looks_like_name(word: str) -> bool:
    if not 2 <= len(word) <= 4 or word[-1] in "市省区县镇乡村":  # 向市: "to the city"
        return False
    if word[:2] in COMPOUND_SURNAMES:
        return len(word) >= 3
    return word[0] in SURNAMES and len(word) <= 3


def _name_pinyin(word: str) -> str:
    """``王京涛`` → ``Wang Jingtao`` (surname, then the given name as one word)."""
    cut = 2 if word[:2] in COMPOUND_SURNAMES else 1
    sur, given = _pinyin_syllables(word[:cut]), _pinyin_syllables(word[cut:])
    return " ".join(p for p in ("".join(sur).capitalize(), "".join(given).capitalize()) if p)


def _pinyin_syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(text, errors="ignore") if s.strip()]


def _pinyin(text: str) -> str:
    """Toneless pinyin of unknown characters, one syllable per character."""
    return " ".join(_pinyin_syllables(text))


def clean_sense(sense: str, proper: bool = False) -> str:
    """A CC-CEDICT sense made gist-sized: no parentheticals, first alternative, no ``to``."""
    if SKIP_SENSE.match(sense) or RADICAL.search(sense):
        return ""
    s = PAREN.sub("", sense)
    parts = [p.strip() for p in s.split(";")]
    figurative = [p for p in parts if p.lower().startswith("fig.")]
    if figurative:  # idioms: the figurative sense (一刀切 → impose uniformity)
        s = figurative[0][4:]
    elif parts[0].lower().startswith("lit.") and len(parts) > 1:
        s = parts[1]
    elif parts[0].lower().startswith("lit."):
        return ""  # a literal gloss alone: let the next sense speak
    else:
        s = parts[0]
    s = LABEL_TAIL.sub("", s)
    if proper:
        s = s.split(",")[0]
        s = PLACE_TAIL.sub("", s) or s
    s = PLACEHOLDER.sub("", s).replace("...", " ").replace("~", "")
    s = " ".join(s.split()).strip(" ,.")
    if s.lower().startswith("to ") and len(s) > 3:
        s = s[3:]
    if HAN.search(s) or not regex.search(r"[A-Za-z0-9]", s) or LABELS.search(s):
        return ""
    return s


def best_sense(word: str) -> str | None:
    """The first usable CC-CEDICT sense of ``word`` (common-noun entries before proper names)."""
    entries = cedict.lookup(word)
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: e.pinyin[:1].isupper())
    for e in ordered:
        proper = e.pinyin[:1].isupper()
        for d in e.definitions:
            s = clean_sense(d, proper)
            if s:
                return s
    return None


def _join(tokens: list[tuple[str, str]]) -> str:
    """Join tokens with English spacing, quote pairing and sentence capitalisation."""
    out: list[str] = []
    glue_next = False  # the previous token was opening: no space after it
    cap_next = True
    ascii_quote_open = False
    for kind, text in tokens:
        if kind == "space":
            continue
        if not text:
            continue
        if kind == "latin" and text == '"':
            kind = "close" if ascii_quote_open else "open"
        if kind == "open":
            if out and not glue_next:
                out.append(" ")
            out.append(text)
            ascii_quote_open = text == '"' or ascii_quote_open
            glue_next = True
            continue
        if kind == "close":
            while out and out[-1] == " ":
                out.pop()
            out.append(text)
            if text == '"':
                ascii_quote_open = False
            glue_next = False
            continue
        if kind == "punct":
            if text in OPENING:
                if out and not glue_next:
                    out.append(" ")
                out.append(text)
                glue_next = True
            elif text in CLOSING:
                while out and out[-1] == " ":
                    out.pop()
                if text in {",", "."} and out and out[-1] in {",", "."}:
                    out.pop()
                out.append(text)
                glue_next = False
                if text in {".", "?", "!"}:
                    cap_next = True
            else:
                if out and not glue_next:
                    out.append(" ")
                out.append(text)
                glue_next = False
            continue
        if kind == "latin" and regex.fullmatch(r"[,.;:!?%)\]}]+", text):
            while out and out[-1] == " ":
                out.pop()
            out.append(text)
            glue_next = False
            if text[-1] in ".?!":
                cap_next = True
            continue
        if kind == "latin" and regex.fullmatch(r"[(\[{]+", text):
            if out and not glue_next:
                out.append(" ")
            out.append(text)
            glue_next = True
            continue
        # word or latin
        if out and not glue_next:
            out.append(" ")
        if cap_next and kind == "word":
            text = text[:1].upper() + text[1:]
        elif cap_next and kind == "latin":
            first = text.split(" ")[0]
            if first.isalpha() and first.islower():
                text = text[:1].upper() + text[1:]
        if regex.search(r"[A-Za-z0-9]", text) and not regex.fullmatch(r"\d+\.", text):
            cap_next = False
        out.append(text)
        glue_next = False
    s = "".join(out).strip()
    return regex.sub(r" {2,}", " ", s)
