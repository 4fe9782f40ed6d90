"""The gloss engine on Chinese laws: amounts, legal number phrases, abbreviations,
spaced headings, clean dictionary senses and names; bitext's own check stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli.main import cli
from bitext.engines.base import EngineContext
from bitext.engines.gloss import GlossEngine, clean_sense
from bitext.qa.numbers import missing_numbers
from bitext.terms.loading import load_glossaries


class _Gist:
    """The gloss engine with the shipped glossaries, one sentence at a time."""

    def __init__(self) -> None:
        self.engine = GlossEngine()
        self.context = EngineContext(glossary=load_glossaries(user=False))

    def gloss(self, text: str) -> str:
        return self.engine.translate_batch([text], context=self.context)[0].text


@pytest.fixture(scope="module")
def engine() -> _Gist:
    return _Gist()


@pytest.mark.parametrize(
    "zh, expected",
    [
        ("处五万元以上五十万元以下罚款", "not less than 50,000 yuan but not more than 500,000 yuan"),
        ("处二百万元罚款", "2 million yuan"),
        ("处一百万元以下罚款", "not more than 1 million yuan"),
        ("罚款不满二百万元的", "less than 2 million yuan"),
        ("超过一千万元的", "more than 10 million yuan"),
        ("处违法所得一倍以上十倍以下罚款", "not less than one time but not more than ten times"),
        ("应当在三十日内作出决定", "within 30 days"),
        ("全国已有1.2万家企业", "12,000 enterprise"),
        ("用户规模达3.5亿", "350 million"),
        ("占比百分之十五", "15%"),
        ("第六十四条", "Article 64"),
        ("第一章", "Chapter 1"),
        ("第三款", "Paragraph 3"),
        ("第二项", "Item 2"),
        ("第十五条第二款第（三）项规定的情形", "Article 15 Paragraph 2 Item (3)"),
        ("经全体会员三分之二以上同意", "not less than two thirds"),
        ("超过三分之一的董事", "more than one third"),
        ("二分之一以上的委员出席", "not less than one half"),
        ("十二分之五的份额", "5/12"),
        ("占注册资本的千分之五", "5 per thousand"),
        ("持股比例超过百分之五十的股东", "more than 50%"),
        ("持有公司百分之十以上股份的股东", "not less than 10%"),
        ("违法所得不足一百万元的", "less than 1 million yuan"),
        ("在十二个月内累计达到五次以上的", "within 12 months"),
        ("年满十八周岁的公民", "18 years"),
        ("应当在收到异议材料之日起的一个工作日内作出异议标注", "within one working day"),
        ("并在七个工作日内作出是否更正的决定", "within seven working days"),
        ("保存期限不少于六个月", "not less than six months"),
        ("不得少于三十日", "not less than 30 days"),
        ("占比不超过百分之三十", "not more than 30%"),
        ("高于五万元的", "more than 50,000 yuan"),
        ("少于三人的", "less than three people"),
        ("有前款规定的情形", "the preceding paragraph"),
        ("本法自2017年6月1日起施行。", "This Law shall take effect as of June 1, 2017."),
        ("本办法自发布之日起施行。", "shall take effect as of the date of issuance"),
        ("本条例自公布之日起三十日后施行。", "shall take effect 30 days after the date of promulgation"),
        ("本规定自2024年3月1日起生效。", "shall take effect as of March 1, 2024"),
        ("每年十二月三十一日前报送上一年度报告", "before December 31 submit the previous year"),
        ("应当于2024年3月31日前完成", "before March 31, 2024"),
        ("处上一年度营业额百分之五以下罚款", "the previous year"),
        ("十六周岁至二十五周岁的，有效期为五年", "16 to 25 years"),
        ("三至五年", "three to five years"),
        ("道路交通安全法", "road traffic"),
        ("暂扣六个月机动车驾驶证", "temporarily suspend six months"),
        ("物体下沿距地面不得小于五点二米", "not less than 5.2 meters"),
        ("物体边缘距车行道不得小于零点二米", "not less than 0.2 meters"),
        ("设计最高时速低于六十公里的机动车", "less than 60 kilometers"),
        ("最高行驶速度超过每小时八十公里", "80 kilometers per hour"),
        ("安排未满十二周岁未成年人乘坐副驾驶座位", "less than 12 years"),
        ("累积达到五起以上的", "not less than five cases"),
        ("面积不大于二百平方米", "not more than 200 square meters"),
        ("载重超过十吨的货车", "more than ten tons"),
        ("每日8时至20时开放", "8:00 to 20:00 open"),
        ("上午九时至下午五时", "9:00 a.m. to 5:00 p.m."),
        ("第十条至第十二条", "Articles 10 to 12"),
        ("第1至5条", "Articles 1 to 5"),
        ("每月15日前报送", "before the 15th of each month"),
        ("每年1月", "January"),
        ("截至2024年6月底", "end of June 2024"),
        ("12月底前完成", "before end of December"),
        ("近三年内", "the past three years"),
        ("满十六周岁不满十八周岁", "not less than 16 years less than 18 years"),
        ("保存12个月", "12 months"),
        ("上世纪九十年代", "the 1990s"),
        ("二十一世纪", "21st century"),
    ],
)
def test_amounts_and_legal_number_phrases(engine: _Gist, zh: str, expected: str) -> None:
    out = engine.gloss(zh)
    assert expected.lower() in out.lower(), out
    assert "ten thousand" not in out and "Wan" not in out
    assert missing_numbers(zh, out) == [], out


@pytest.mark.parametrize(
    "zh, expected",
    [
        ("国家网信部门（以下简称网信办）负责", '(hereinafter "CAC")'),
        ("（以下简称“个人信息处理者”）", '(hereinafter "'),
        ("第一章　总　　则", "Chapter 1 General Provisions"),
        ("第七章　附　　则", "Chapter 7 Supplementary Provisions"),
        ("第一节　一般规定", "Section 1 general provisions"),  # 一般 was "same"
        ("建设、运营、维护和使用网络", "operate, maintain and use"),  # "be in operation", "defend"
        ("制定内部安全管理制度", "internal security"),  # "interior"
        ("确定网络安全负责人", "determine"),  # "definite"
        ("由有关主管部门责令改正，给予警告", "order to make corrections"),
        ("没收违法所得", "confiscate unlawful gains"),
        ("我们一起去。", "together"),  # 一起 is no "one case"
        ("有三点意见", "three opinions"),  # 三点 is no decimal
        ("同时", "at the same time"),  # 时 after no number is no clock time
    ],
)
def test_legal_phrasing(engine: _Gist, zh: str, expected: str) -> None:
    assert expected.lower() in engine.gloss(zh).lower()


@pytest.mark.parametrize(
    "zh, expected, absent",
    [
        ("胡金鱼表示，不能搞一刀切。", "Hu Jinyu", ["esp.", "Non-Han", "lit."]),
        ("不能搞一刀切", "one size fits all", ["lit.", "cut all at one stroke"]),
        ("上海市人民代表大会常务委员会", "Shanghai", ["southeast China", "municipality in"]),
        ("杭州市人民政府", "Hangzhou", ["capital of", "subprovincial"]),
        ("广东省人民政府", "Guangdong Province", ["south China"]),
        ("向市公共信用信息服务中心提出异议", "city public", ["Xiang Shi", "market"]),
        ("香港特别行政区政府", "Hong Kong Special Administrative Region", ["unusual"]),
        ("胡金鱼", "Hu Jinyu", ["Non-Han", "goldfish"]),  # a byline: the name alone
        ("金鱼", "Goldfish", ["Jin"]),
    ],
)
def test_clean_senses_and_names(engine: _Gist, zh: str, expected: str, absent: list[str]) -> None:
    out = engine.gloss(zh)
    assert expected in out
    for a in absent:
        assert a not in out, out


@pytest.mark.parametrize(
    "sense, expected",
    [("non-Han people, esp. from central Asia", "non-Han people"),
     ("lit. to cut all at one stroke (idiom); to impose uniformity", "impose uniformity"),
     ("lit. to draw a snake and add feet", ""),
     ("fig. to spoil sth by overdoing it; lit. adding feet", "spoil by overdoing it")],
)  # fmt: skip
def test_clean_sense_drops_labels(sense: str, expected: str) -> None:
    assert clean_sense(sense) == expected


LAW = """第一章　总　　则

第八条　国家网信部门（以下简称网信办）负责统筹协调网络安全工作。

第五十九条　网络运营者不履行本法第二十一条规定的网络安全保护义务的，由有关主管部门责令改正，给予警告；拒不改正的，处一万元以上十万元以下罚款，对直接负责的主管人员处五千元以上五万元以下罚款。

第六十八条　情节严重的，处五万元以上五十万元以下罚款；罚款不满二百万元的，超过一千万元的除外。

第七章　附　　则

全国已有1.2万家企业完成备案，用户规模达3.5亿，占比百分之十五。
"""


def test_check_finds_no_error_in_its_own_gist(tmp_path: Path) -> None:
    src = tmp_path / "law.txt"
    src.write_text(LAW, encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["check", str(out / "law.tmx")])
    assert r.exit_code == 0, r.output
    assert "0 errors" in r.output
    english = (out / "law.en.txt").read_text(encoding="utf-8")
    for phrase in ("hereinafter", "General Provisions", "Supplementary Provisions"):
        assert phrase in english
    for bad in ("ten thousand yuan", "Wan Yuan", "lit.", "esp."):
        assert bad not in english


def test_spaced_heading_matches_its_term() -> None:
    g = load_glossaries(user=False)
    text = "第七章　附　　则"
    [h] = g.match(text)
    assert h.entry.target == "Supplementary Provisions" and text[h.start : h.end] == "附　　则"
    assert [x.entry.source for x in g.match("总则和附则")] == ["总则", "附则"]


def test_spaced_heading_enforced_by_the_neural_engine(tiny_argos: Path) -> None:
    from bitext.engines.argos import ArgosEngine
    from bitext.terms.enforce import enforce_batch

    [e] = enforce_batch(ArgosEngine(), ["第一章　总　　则"], load_glossaries(user=False))
    assert "General Provisions" in e.text and e.violations == ()
