"""Chinese sentence rules (bitext.segment.zh) as case tables, block ids, and the shipped sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.readers import read
from bitext.segment.blocks import make_block
from bitext.segment.zh import split_sentences

ROOT = Path(__file__).resolve().parents[2]

SPLITS = [
    # full-width terminators
    ("网信办发布通知。企业应当遵守。", ["网信办发布通知。", "企业应当遵守。"]),
    ("这是问题吗？是的！很好。", ["这是问题吗？", "是的！", "很好。"]),
    ("一是强化监管；二是完善制度。", ["一是强化监管；", "二是完善制度。"]),
    ("半角句号｡下一句", ["半角句号｡", "下一句"]),
    # runs of terminators stay together
    ("真的吗？！当然。", ["真的吗？！", "当然。"]),
    ("什么！！！好。", ["什么！！！", "好。"]),
    # half-width forms ending a Chinese sentence
    ("仅供参考.如需转载，请注明来源!感谢阅读?好的;完毕。",
     ["仅供参考.", "如需转载，请注明来源!", "感谢阅读?", "好的;", "完毕。"]),
    ("增长了3.5%.同比下降。", ["增长了3.5%.", "同比下降。"]),
    ("全角句点．下一句", ["全角句点．", "下一句"]),
    ("已突破５．６４亿．完", ["已突破５．６４亿．", "完"]),
    ("使用ChatGPT!我们认为", ["使用ChatGPT!", "我们认为"]),
    # ellipsis
    ("需求最为集中……部分企业仍存在问题。", ["需求最为集中……", "部分企业仍存在问题。"]),
    ("数据⋯⋯然后", ["数据⋯⋯", "然后"]),
    ("等等...下一句", ["等等...", "下一句"]),
    ("包括数据、算法……等方面。下一句", ["包括数据、算法……等方面。", "下一句"]),
    ("他说……”然后", ["他说……”", "然后"]),
    # closing quotes and brackets stay with their sentence
    ("他说：“我们要加强安全。”然后离开了。", ["他说：“我们要加强安全。”", "然后离开了。"]),
    ("「這是測試。」下一句", ["「這是測試。」", "下一句"]),
    ("『引用！』好", ["『引用！』", "好"]),
    ("（见附件。）另行通知。", ["（见附件。）", "另行通知。"]),
    ("他说：‘好。’然后", ["他说：‘好。’", "然后"]),
    ("书名《测试？》出版。", ["书名《测试？》", "出版。"]),
    ("他说\"好。\"然后", ["他说\"好。\"", "然后"]),
    ("“好！”，他说。", ["“好！”，他说。"]),
    ("“维护安全。下一步，共同努力。”",
     ["“维护安全。", "下一步，共同努力。”"]),
    # numbers are never cut
    ("注册用户已突破5.64亿。", ["注册用户已突破5.64亿。"]),
    ("同比增长3.5%，环比下降0.8%。", ["同比增长3.5%，环比下降0.8%。"]),
    ("本文统计截至2024.7.31，仅供参考。", ["本文统计截至2024.7.31，仅供参考。"]),
    ("版本1.2.3发布。第2.1节", ["版本1.2.3发布。", "第2.1节"]),
    ("1.加强监管；2.完善制度", ["1.加强监管；", "2.完善制度"]),
    ("金额为1,234.56元。", ["金额为1,234.56元。"]),
    # URLs and e-mail addresses
    ("访问https://www.cac.gov.cn/a?b=1;c=2。再见",
     ["访问https://www.cac.gov.cn/a?b=1;c=2。", "再见"]),
    ("见www.example.gov.cn/news.html了解详情。", ["见www.example.gov.cn/news.html了解详情。"]),
    ("发送邮件至 sjcj@example.gov.cn 咨询。好", ["发送邮件至 sjcj@example.gov.cn 咨询。", "好"]),
    ("网站http://a.cn/x?q=中。下一句", ["网站http://a.cn/x?q=中。", "下一句"]),
    # Latin abbreviations and English text
    ("美国（U.S.）的规则相比更宽松。", ["美国（U.S.）的规则相比更宽松。"]),
    ("例如（e.g. 标准合同）可行。", ["例如（e.g. 标准合同）可行。"]),
    ("备案（No. 2024-017）完成。", ["备案（No. 2024-017）完成。"]),
    ("Mr. Smith said hi. 他表示同意。", ["Mr. Smith said hi. 他表示同意。"]),
    ("文件报告.pdf已上传。", ["文件报告.pdf已上传。"]),
    # review of issue 2: fresh sentences
    ("截至2024年6月，我国网民规模达10.99亿人。互联网普及率达78.0%。",
     ["截至2024年6月，我国网民规模达10.99亿人。", "互联网普及率达78.0%。"]),
    ("请联系press@cac.gov.cn.谢谢。", ["请联系press@cac.gov.cn.", "谢谢。"]),
    ("详见www.gov.cn.另见附件", ["详见www.gov.cn.", "另见附件"]),
    ("访问http://www.cac.gov.cn/。谢谢", ["访问http://www.cac.gov.cn/。", "谢谢"]),
    ("会议指出,要坚持安全发展.会议强调,要加强合作!下一步怎么办?",
     ["会议指出,要坚持安全发展.", "会议强调,要加强合作!", "下一步怎么办?"]),
    ("美国(U.S.)和欧盟(E.U.)等采取了措施。", ["美国(U.S.)和欧盟(E.U.)等采取了措施。"]),
    ("本次会议由Dr. Wang主持。Mr. Li出席。", ["本次会议由Dr. Wang主持。", "Mr. Li出席。"]),
    ("AI Act已于2024年8月1日生效. 欧盟将分阶段实施。", ["AI Act已于2024年8月1日生效.", "欧盟将分阶段实施。"]),
    ("GPT-4o的参数量约为1.8万亿!这引发关注。", ["GPT-4o的参数量约为1.8万亿!", "这引发关注。"]),
    ("他问：“为什么？”她答：“不知道。”", ["他问：“为什么？”", "她答：“不知道。”"]),
    ("他指出「要守住底线。」『数据是基础。』（见附件。）下一句。",
     ["他指出「要守住底线。」", "『数据是基础。』", "（见附件。）", "下一句。"]),
    ("报告称：“风险在上升……”专家认为。", ["报告称：“风险在上升……”", "专家认为。"]),
    ("第二十届三中全会……会议审议通过了《决定》。", ["第二十届三中全会……", "会议审议通过了《决定》。"]),
    ("文件编号：国办发〔2024〕12号。见图1.2所示。", ["文件编号：国办发〔2024〕12号。", "见图1.2所示。"]),
    ("温度为-3.5℃，金额为￥1,234.56元，共3,500家。", ["温度为-3.5℃，金额为￥1,234.56元，共3,500家。"]),
    ("参见ISO/IEC 27001:2022标准；v1.2.3版本。", ["参见ISO/IEC 27001:2022标准；", "v1.2.3版本。"]),
    # long sentences split only at the rules
    ("，".join(["加强网络安全体制建设"] * 30) + "。", ["，".join(["加强网络安全体制建设"] * 30) + "。"]),
    # whitespace at the edges trimmed, inner text exactly the user's
    ("  第一句。  第二句  ", ["第一句。", "第二句"]),
    ("第一行\n第二行。第三句", ["第一行\n第二行。", "第三句"]),
    ("中文　全角空格。下一句", ["中文　全角空格。", "下一句"]),
    ("没有标点的一句话", ["没有标点的一句话"]),
    ("", []),
    ("   \n ", []),
    ("。", ["。"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[s[0][:16] or "empty" for s in SPLITS])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "_"), SPLITS, ids=[s[0][:16] or "empty" for s in SPLITS])
def test_segments_are_the_users_text(text: str, _: list[str]) -> None:
    """Segments, in order, are exactly the non-space pieces of the input."""
    segs = split_sentences(text)
    pos = 0
    for s in segs:
        found = text.find(s, pos)
        assert found >= 0
        assert not text[pos:found].strip()
        pos = found + len(s)
    assert not text[pos:].strip()


BLOCKS = [
    ("heading", "国家网信办通报进展。第二句。", ["国家网信办通报进展。第二句。"]),
    ("paragraph", "第一句。第二句！", ["第一句。", "第二句！"]),
    ("list_item", "申报主体以金融为主；另一句。", ["申报主体以金融为主；", "另一句。"]),
    ("table_cell", "单元格。两句。", ["单元格。", "两句。"]),
    ("passthrough", "[登录](https://example.com)", []),
    ("paragraph", "   ", []),
]


@pytest.mark.parametrize(("kind", "text", "expected"), BLOCKS)
def test_make_block(kind: str, text: str, expected: list[str]) -> None:
    b = make_block(7, kind, text, level=2, marker="##", raw="RAW")  # type: ignore[arg-type]
    assert b.id == "p7"
    assert [s.text for s in b.segments] == expected
    assert [s.id for s in b.segments] == [f"p7.s{k}" for k in range(1, len(expected) + 1)]
    assert all(s.block_id == "p7" for s in b.segments)
    assert (b.kind, b.level, b.marker, b.raw) == (kind, 2, "##", "RAW")
    assert b.translatable == bool(expected)


# The shipped sample article (corpora/sample-policy-zh.md): its exact segmentation.
SAMPLE_SEGMENTS = [
    ("p1.s1", "国家网信办通报数据出境安全评估工作进展"),
    ("p3.s1", "首页"),  # the menu and the login link are text too
    ("p4.s1", "政策法规"),
    ("p5.s1", "行业观察"),
    ("p6.s1", "登录"),
    ("p8.s1", "评估工作总体平稳"),
    ("p9.s1", "2024年7月31日，国家互联网信息办公室（以下简称“国家网信办”）通报了数据出境安全评估工作进展。"),
    ("p9.s2", "通报显示，截至2024年6月底，各地网信部门共受理数据出境安全评估申报1286件，已完成评估1017件；"),
    ("p9.s3", "其中，通过评估的项目占比约为79.1%。"),
    ("p10.s1", "通报指出，我国数据要素市场规模持续扩大，网民规模已达10.99亿，使用生成式人工智能产品的用户超过2.3亿。"),
    ("p10.s2", "与去年同期相比，涉及个人信息的出境申报增长了3.5%，详见通报全文。"),
    ("p11.s1", "根据通报，当前数据出境活动呈现以下特点："),
    ("p12.s1", "申报主体以金融、汽车、医药和互联网行业为主，合计占比达68.2%；"),
    ("p13.s1", "关键信息基础设施运营者的申报数量同比增长12.5%。"),
    ("p14.s1", "其中，智能网联汽车领域的申报同比增长21.7%。"),
    ("p15.s1", "跨国企业总部与境内分支机构之间的数据传输需求最为集中……"),
    ("p15.s2", "部分企业仍存在申报材料不完整等问题。"),
    ("p16.s1", "下一阶段重点工作"),
    ("p17.s1", "企业如何判断是否需要申报？"),
    ("p17.s2", "通报给出了明确答案。"),
    ("p17.s3", "下一阶段，网信办将重点推进以下工作："),
    ("p18.s1", "加快落实《个人信息保护法》《数据安全法》配套规定，细化数据出境安全评估的适用情形。"),
    ("p19.s1", "推动关键信息基础设施安全保护与数据出境管理协同衔接，防止“一刀切”。"),
    ("p20.s1", "加强对生成式人工智能服务的安全评估和算法备案工作。"),
    ("p20.s2", "目前已有180多个大模型完成备案，注册用户突破5.64亿。"),
    ("p21.s1", "国家网信办有关负责人表示：“数据出境安全评估不是要限制数据流动，而是要促进数据依法有序自由流动。"),
    ("p21.s2", "下一步，我们将持续优化申报流程，为企业提供更加便利的服务。”"),
    ("p22.s1", "业内专家认为，与欧盟《通用数据保护条例》（GDPR）和美国（U.S.）的相关规则相比，我国的制度更加强调安全与发展并重。"),
    ("p22.s2", "例如，个人信息出境标准合同备案（No. 2024-017）为中小企业提供了一条成本更低的合规路径。"),
    ("p23.s1", "企业可登录数据出境申报系统2.0版（https://sjcj.example.gov.cn/apply）在线提交材料，也可发送邮件至 sjcj@example.gov.cn 咨询。"),
    ("p23.s2", "咨询电话为010-55627135。"),
    ("p24.s1", "本文数据统计截至2024.7.31，仅供参考."),
    ("p24.s2", "如需转载，请注明来源!"),
    ("p24.s3", "感谢阅读。"),
    ("p26.s1", "返回顶部"),
]


def test_sample_article_exact_segments() -> None:
    doc = read(ROOT / "corpora" / "sample-policy-zh.md")
    assert [(s.id, s.text) for s in doc.segments] == SAMPLE_SEGMENTS


def test_sample_article_structure() -> None:
    doc = read(ROOT / "corpora" / "sample-policy-zh.md")
    kinds = [(b.id, b.kind, b.level, b.marker, b.ordered) for b in doc.blocks if b.kind != "passthrough"]
    assert kinds == [
        ("p1", "heading", 1, "#", False),
        ("p3", "list_item", 0, "*", False),
        ("p4", "list_item", 0, "*", False),
        ("p5", "list_item", 0, "*", False),
        ("p6", "paragraph", 0, "", False),
        ("p8", "heading", 2, "##", False),
        ("p9", "paragraph", 0, "", False),
        ("p10", "paragraph", 0, "", False),
        ("p11", "paragraph", 0, "", False),
        ("p12", "list_item", 0, "*", False),
        ("p13", "list_item", 0, "*", False),
        ("p14", "list_item", 1, "*", False),
        ("p15", "list_item", 0, "*", False),
        ("p16", "heading", 2, "##", False),
        ("p17", "paragraph", 0, "", False),
        ("p18", "list_item", 0, "1.", True),
        ("p19", "list_item", 0, "2.", True),
        ("p20", "list_item", 0, "3.", True),
        ("p21", "paragraph", 0, "", False),
        ("p22", "paragraph", 0, "", False),
        ("p23", "paragraph", 0, "", False),
        ("p24", "paragraph", 0, "", False),
        ("p26", "paragraph", 0, "", False),
    ]
    passthrough = [b.raw for b in doc.blocks if b.kind == "passthrough"]
    assert passthrough == ["[![](https://www.example.com/static/images/logo.png)](https://www.example.com)",
                           "![](https://www.example.com/uploads/2024/0801/banner.png)",
                           "![](https://www.example.com/uploads/2024/0801/qrcode.png)"]
    assert 25 <= len(doc.segments) <= 40
