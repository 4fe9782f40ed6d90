"""Readers (.txt, .md, .html) on real fixture files: structure, passthrough, article extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.errors import FormatError
from bitext.readers import format_of
from bitext.readers import read as _read
from bitext.readers.md import is_passthrough, parse_markdown, strip_inline


def read(path, *args, **kwargs):  # type: ignore[no-untyped-def]
    """These tests check article extraction: HTML pages are read article-only (``--article-only``)."""
    if str(path).lower().endswith((".html", ".htm")):
        kwargs.setdefault("article_only", True)
    return _read(path, *args, **kwargs)


ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parents[1] / "data" / "readers"


def kinds(doc):
    return [(b.kind, b.text if b.kind != "passthrough" else b.raw) for b in doc.blocks]


# --- Markdown ------------------------------------------------------------------------


def test_md_front_matter_is_metadata_not_text() -> None:
    doc = read(DATA / "seedlike.md")
    assert doc.format == "md"
    assert doc.metadata["front_matter"].splitlines() == [
        "title: 第七届数字安全论坛在杭州开幕",
        "url: https://news.example.com/posts/abc123",
        "date: 2024-09-12",
    ]
    assert doc.metadata["title"] == "第七届数字安全论坛在杭州开幕"
    assert doc.metadata["encoding"] == "utf-8"
    texts = " ".join(s.text for s in doc.segments)
    assert "url:" not in texts and "2024-09-12" not in texts


def test_md_seedlike_page_menus_translated_images_pass_through() -> None:
    """A saved page's menus and link lists are text to translate (as the HTML writer
    translates a page's navigation); logos, images and lines without letters pass through."""
    doc = read(DATA / "seedlike.md")
    translated = [(b.id, b.kind, b.text) for b in doc.blocks if b.kind != "passthrough"]
    assert translated[:10] == [
        ("p1", "heading", "第七届数字安全论坛在杭州开幕"),
        ("p2", "paragraph", "第七届数字安全论坛在杭州开幕 - 示例资讯网"),
        ("p4", "list_item", "首页"),
        ("p5", "list_item", "快讯"),
        ("p6", "list_item", "频道 ▾"),
        ("p7", "list_item", "专栏"),
        ("p8", "paragraph", "登录"),
        ("p10", "paragraph", "注册"),
        ("p11", "paragraph", "张三产业"),
        ("p14", "paragraph",
         ("9月11日，第七届数字安全论坛在杭州开幕。本届论坛以“数据安全与人工智能”为主题，"
         "吸引了来自政府、企业和高校的1200余名代表参加。")),
    ]
    assert [t for _, _, t in translated[10:]] == [
        "与会专家认为，数据安全是数字经济健康发展的基础。详见大会官网的议程介绍。", "相关推荐",
        "数据安全治理白皮书正式发布](https://news.example.com/posts/x1)",
        "人工智能安全评估指南解读](https://news.example.com/posts/x2)",
        "论坛直击：专家热议数据出境", "示例资讯", "关于我们", "隐私政策"]
    raw = {b.id: b.raw for b in doc.blocks if b.kind == "passthrough"}
    assert raw == {
        "p3": "[![](https://news.example.com/img/logo.png)](https://news.example.com)",
        "p9": "  |", "p12": "2024-09-12 10:05:11", "p13": "![](https://news.example.com/img/eye.png)2048",
        "p17": "* [![]()", "p19": "* [![]()", "p24": "|"}
    assert all(not b.segments for b in doc.blocks if b.kind == "passthrough")


def test_md_headings_lists_quotes_code_tables() -> None:
    doc = read(DATA / "features.md")
    b = {x.id: x for x in doc.blocks}
    assert (b["p1"].kind, b["p1"].level, b["p1"].marker, b["p1"].text) == ("heading", 1, "=", "数据安全年度报告")
    assert (b["p2"].kind, b["p2"].level, b["p2"].marker) == ("heading", 2, "-")
    # soft-wrapped lines joined: no space between CJK, one space between Latin words
    assert b["p3"].text == "本报告由示例研究院编写，内容涵盖数据安全、个人信息保护和 AI governance 等领域。"
    items = [(x.marker, x.level, x.ordered, x.text) for x in doc.blocks if x.kind == "list_item"]
    assert items == [
        ("1.", 0, True, "第一部分：总体情况。"),
        ("*", 1, False, "子项一：监管动态。"),
        ("*", 1, False, "子项二：执法案例。"),
        ("2.", 0, True, "第二部分：重点行业"),
        ("3)", 0, True, "第三部分：展望"),
        ("-", 0, False, "短横线列表项。"),
        ("+", 0, False, "加号列表项。"),
    ]
    assert b["p11"].kind == "paragraph"
    assert [s.text for s in b["p11"].segments] == ["专家指出：“数据是新型生产要素。”", "第二行继续引用。"]
    assert b["p12"].text == "引用中的第二段。"
    assert b["p13"].kind == "passthrough" and "代码块不翻译" in b["p13"].raw
    cells = [(x.kind, x.text or x.raw) for x in doc.blocks if x.kind == "table_cell"]
    assert cells == [("table_cell", "指标"), ("table_cell", "数值"), ("table_cell", "申报数量"),
                     ("table_cell", "1286件"), ("table_cell", "通过率")]
    assert b["p20"].kind == "passthrough" and b["p20"].raw == "79.1%"  # a number-only cell
    # a multi-line HTML block: its tag lines pass through, its Chinese text is translated
    assert b["p21"].kind == "passthrough" and b["p21"].raw == '<div class="note">'
    assert (b["p22"].kind, b["p22"].text, b["p22"].raw) == ("paragraph", "HTML 块中的文字也翻译。", "HTML 块中的文字也翻译。")
    assert doc.source.layouts[21].wrap == ("  ", "") and doc.source.layouts[21].style == "html"
    assert b["p23"].kind == "passthrough" and b["p23"].raw == "</div>"
    assert b["p24"].raw == "***"
    assert [s.text for s in b["p25"].segments] == [
        "使用 bitext translate 命令翻译，参见 https://example.org/docs 和 指南。",
        "转义的 *星号* 保留。",
    ]
    assert b["p26"].kind == "passthrough"
    segs = " ".join(s.text for s in doc.segments)
    assert "代码块" not in segs


INLINE = [
    ("**加粗**和*斜体*和~~删除~~", "加粗和斜体和删除"),
    ("见[通知](https://a.cn/x_(1).htm)。", "见通知。"),
    ("图![图片](a.png)后", "图后"),
    ("[![](x.png)](https://a.cn)", ""),
    ("<https://a.cn/b>", "https://a.cn/b"),
    ("使用`a*b*c`命令", "使用a*b*c命令"),
    ("转义\\*号\\_", "转义*号_"),
    ("A&amp;B <span>内联</span>", "A&B 内联"),
    ("snake_case_name 保留", "snake_case_name 保留"),
]


@pytest.mark.parametrize(("src", "visible"), INLINE)
def test_md_inline_markup_keeps_visible_text(src: str, visible: str) -> None:
    assert strip_inline(src) == visible


def _tags_per_han(frag_html: str) -> list[tuple[str, frozenset[str]]]:
    """Each Han character of an HTML fragment with the emphasis tags around it."""
    from lxml import html as lxml_html

    out: list[tuple[str, frozenset[str]]] = []

    def walk(el, tags: frozenset[str]) -> None:  # type: ignore[no-untyped-def]
        out.extend((c, tags) for c in el.text or "" if "\u4e00" <= c <= "\u9fff")
        for c in el:
            walk(c, tags | {{"strong": "b"}.get(c.tag, c.tag)})
            out.extend((ch, tags) for ch in c.tail or "" if "\u4e00" <= ch <= "\u9fff")

    walk(lxml_html.fragment_fromstring(f"<div>{frag_html}</div>"), frozenset())
    return out


def _tags_of_segments(doc) -> list[tuple[str, frozenset[str]]]:  # type: ignore[no-untyped-def]
    out: list[tuple[str, frozenset[str]]] = []
    for seg in doc.segments:
        at: dict[int, list] = {}
        for c in seg.codes:
            at.setdefault(c.pos, []).append(c)
        active: list[str] = []
        for i, ch in enumerate(seg.text + "\0"):
            for c in sorted(at.get(i, []), key=lambda c: c.kind != "close"):
                if c.kind == "open":
                    active.append(c.tag)
                elif c.kind == "close" and c.tag in active:
                    active.remove(c.tag)
            if "\u4e00" <= ch <= "\u9fff":
                out.append((ch, frozenset(active)))
    return out


@pytest.mark.parametrize("text", ["这是*斜体***加粗**的句子。", "这是**加粗***斜体*的句子。",
                                  "**粗体***斜体***粗体**", "甲***全部***乙", "在foo__内__baz里", "甲*乙**丙***"])
def test_md_emphasis_is_read_as_commonmark_reads_it(text: str, tmp_path: Path) -> None:
    """Bold and italics as CommonMark reads them (markdown-it's reference renderer): italics
    touching bold (``*斜体***加粗**``) lost its italics before; stars that close nothing stay
    text."""
    from markdown_it import MarkdownIt

    src = tmp_path / "em.md"
    src.write_text(text + "\n", encoding="utf-8")
    want = _tags_per_han(MarkdownIt("commonmark").renderInline(text))
    assert _tags_of_segments(read(src)) == want, want


def test_md_emphasis_on_random_runs_of_stars_and_underscores(tmp_path: Path) -> None:
    """300 random strings of Han text, ``*``/``**``/``***``/``_``/``__`` runs and spaces (36 of
    300 were read otherwise than CommonMark reads them before): each Han character has the
    same emphasis as in CommonMark's rendering."""
    import random

    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    rnd = random.Random(7)
    src = tmp_path / "em.md"
    for _ in range(300):
        parts = ["开"]
        for _ in range(rnd.randint(2, 7)):
            r = rnd.random()
            parts.append("".join(rnd.choice("甲乙丙丁戊己") for _ in range(rnd.randint(1, 3))) if r < 0.5
                         else rnd.choice(["*", "**", "***"]) if r < 0.8 else rnd.choice(["_", "__"]) if r < 0.9
                         else " ")
        text = "".join(parts) + "。"
        src.write_text(text + "\n", encoding="utf-8")
        assert _tags_of_segments(read(src)) == _tags_per_han(md.renderInline(text)), text


PASSTHROUGH = [
    ("[登录](https://a.cn/login)", False),  # a link alone is text (a menu, a table of contents)
    ("[![](https://a.cn/logo.png)](https://a.cn)", True),
    ("![](a.png)", True),
    ("![](a.png)71536", True),
    ("2024-08-01 11:27:36", True),
    ("[首页](/) | [新闻](/news)", False),
    ("见[通知](https://a.cn)。", False),
    ("收藏", False),
    ("导读 ▾", False),
]


@pytest.mark.parametrize(("line", "expected"), PASSTHROUGH)
def test_md_passthrough_detection(line: str, expected: bool) -> None:
    assert is_passthrough(line) is expected


def test_md_empty_and_front_matter_only() -> None:
    assert parse_markdown("").blocks == ()
    doc = parse_markdown("---\ntitle: x\n---\n")
    assert doc.blocks == () and doc.metadata["front_matter"] == "title: x"


def test_md_unclosed_front_matter_is_text() -> None:
    doc = parse_markdown("---\n这不是前置元数据。\n")
    assert [s.text for s in doc.segments] == ["这不是前置元数据。"]


def test_md_nested_list_levels_by_indent() -> None:
    doc = parse_markdown("* 一级。\n    * 二级。\n        1. 三级。\n* 回到一级。\n")
    assert [(b.level, b.marker, b.text) for b in doc.blocks] == [
        (0, "*", "一级。"), (1, "*", "二级。"), (2, "1.", "三级。"), (0, "*", "回到一级。")
    ]


def test_md_list_item_never_merges_with_neighbour() -> None:
    doc = parse_markdown("- 第一项没有句号\n- 第二项也没有\n")
    assert [s.text for s in doc.segments] == ["第一项没有句号", "第二项也没有"]
    assert [s.id for s in doc.segments] == ["p1.s1", "p2.s1"]


# --- text ----------------------------------------------------------------------------


def test_txt_each_line_is_a_paragraph() -> None:
    doc = read(DATA / "lines.txt")
    assert doc.format == "txt"
    assert [(s.id, s.text) for s in doc.segments] == [
        ("p1.s1", "第一段第一句。"),
        ("p1.s2", "第一段第二句。"),
        ("p2.s1", "第二段只有一句。"),
        ("p3.s1", "第三段在空行之后。"),
    ]
    assert doc.source.gaps == (0, 0, 1)


def test_txt_crlf_and_fullwidth_indent() -> None:
    doc = read(DATA / "crlf.txt")
    assert [b.text for b in doc.blocks] == ["第一段。", "第二段！"]
    assert doc.source.newline == "\r\n"


def test_txt_hard_wrapped_chunk_is_joined() -> None:
    doc = read(DATA / "wrapped.txt")
    assert [b.text for b in doc.blocks] == [
        "网络安全是一项系统工程涉及的领域广方面多维护网络安全不仅是政府的事也是全社会的共同责任。",
        "短的标题",
        "下一行是一个完整的句子。",
    ]


# --- HTML ----------------------------------------------------------------------------


def test_html_sample_news_page_yields_only_the_article() -> None:
    doc = read(ROOT / "corpora" / "sample-news-page.html")
    assert doc.format == "html"
    assert doc.metadata["title"] == "生成式人工智能服务备案工作取得新进展 - 网安观察"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "生成式人工智能服务备案工作取得新进展"),
        ("paragraph", ("8月5日，记者从中央网络安全和信息化委员会办公室获悉，截至2024年7月底，"
                      "我国已有190多个生成式人工智能服务完成备案，注册用户突破6亿。")),
        ("paragraph", ("据介绍，网信办会同有关部门依据《生成式人工智能服务管理暂行办法》开展备案工作。"
                      "备案材料主要包括安全评估报告、语料来源说明和拦截关键词列表等内容；"
                      "对于面向公众提供服务的大模型，还需通过安全评估。")),
        ("heading", "三方面工作持续推进"),
        ("paragraph", "下一步，有关部门将重点做好以下工作："),
        ("list_item", "完善算法备案和安全评估制度，提高备案效率。"),
        ("list_item", "加强关键信息基础设施领域人工智能应用的安全监管。"),
        ("list_item", "推动数据出境安全评估与人工智能治理规则衔接。"),
        ("paragraph", "专家指出：“人工智能安全治理需要政府、企业和社会共同参与。”"),
        ("paragraph", "编辑：李华"),
    ]
    assert [b.marker for b in doc.blocks if b.kind == "list_item"] == ["1.", "2.", "3."]
    text = " ".join(s.text for s in doc.segments)
    for junk in ("首页", "登录", "分享到", "相关阅读", "网友评论", "热门文章", "培训课程", "版权所有",
                 "扫码关注", "统计代码", "标签", "专注网络安全政策资讯"):
        assert junk not in text


def test_html_article_element_preferred_and_cleaned() -> None:
    doc = read(DATA / "article.html")
    got = [(b.kind, b.level, b.text) for b in doc.blocks]
    assert got == [
        ("heading", 1, "网信办部署“清朗”专项行动"),
        ("paragraph", 0, "3月15日，国家网信办召开会议，部署2024年“清朗”系列专项行动。会议强调，要压实平台主体责任。"),
        ("paragraph", 0, "会议明确了以下任务："),
        ("list_item", 0, "整治网络谣言。"),
        ("list_item", 0, "规范自媒体运营"),
        ("list_item", 1, "加强账号管理。"),
        ("paragraph", 0, "治理网络生态需要多方协同。\n各地网信部门要抓好落实。"),  # <br>
        ("table_cell", 0, "行动"),
        ("table_cell", 0, "时间"),
        ("table_cell", 0, "专项整治"),
        ("table_cell", 0, "3月至12月"),
    ]
    text = " ".join(s.text for s in doc.segments)
    for junk in ("脚本", "新闻中心", "政务公开", "办事服务", "阅读全文", "分享", "推荐阅读", "版权所有"):
        assert junk not in text
    assert set(doc.source.slots) == {b.id for b in doc.blocks}
    els = doc.source.elements
    assert [els[b.id].tag for b in doc.blocks[:4]] == ["h1", "p", "p", "li"]


def test_html_entities_never_expanded() -> None:
    doc = read(DATA / "entities.html")
    text = "".join(s.text for s in doc.segments)
    assert "root:" not in text and "扩展实体" not in text
    assert "第二段 <script> 文本。" in [s.text for s in doc.segments]


def test_html_empty_file_is_a_format_error(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("  \n", encoding="utf-8")
    with pytest.raises(FormatError) as e:
        read(p)
    assert "\n" not in str(e.value) and "empty.html" in str(e.value)


def test_html_page_without_article_markup_uses_text_density(tmp_path: Path) -> None:
    page = (
        "<html><body><div class='menu'><p>首页 新闻 关于我们 联系方式</p></div>"
        "<div id='x'><div><p>第一段正文内容，讲述网络安全法的实施情况。</p>"
        "<p>第二段正文内容，介绍数据安全法的配套制度。</p></div></div>"
        "<div><p>短</p></div></body></html>"
    )
    p = tmp_path / "plain.htm"
    p.write_text(page, encoding="utf-8")
    doc = read(p)
    assert [b.text for b in doc.blocks] == [
        "第一段正文内容，讲述网络安全法的实施情况。",
        "第二段正文内容，介绍数据安全法的配套制度。",
    ]


# --- dispatch ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("a.txt", "txt"), ("a.MD", "md"), ("a.markdown", "md"),
                                           ("a.htm", "html"), ("a.html", "html")])
def test_format_of(name: str, fmt: str) -> None:
    assert format_of(name) == fmt


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError) as e:
        read(tmp_path / "nope.md")
    assert "no such file" in str(e.value) and "\n" not in str(e.value)


def test_html_chinese_share_widgets_and_comment_articles(tmp_path: Path) -> None:
    story = "".join(f"<p>第{i}段正文，讲述关键信息基础设施安全保护条例的实施情况和下一步工作安排。</p>" for i in range(1, 5))
    page = (
        "<html><body><div class='daohang'><a href='/'>首页</a> <span>政务</span></div>"
        f"<div class='story'><h1>条例实施三周年</h1>{story}"
        "<div class='bdsharebuttonbox'><span>分享到：</span><a>微信</a></div>"
        "<div class='jiathis_style'>一键分享给好友</div></div>"
        "<section class='reply'><article><p>网友甲：支持！写得很好。</p></article>"
        "<article><p>网友乙：希望多发布这样的内容。</p></article></section></body></html>"
    )
    p = tmp_path / "cn.html"
    p.write_text(page, encoding="utf-8")
    doc = read(p)
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "条例实施三周年"
    assert len(texts) == 5 and all(t.startswith("第") for t in texts[1:])


WRAP_CASES = [
    # a paragraph wrapped at 30 characters: joined even where a line happens to end a sentence
    (["网络安全是一项系统工程，涉及的领域广、方面多。维护", "网络安全不仅是政府的事，也是全社会的共同责任，需", "要企业、社会组织、网民等各方共同参与，共筑防线。"], 1),
    # one paragraph per line, similar lengths, each ending a sentence: kept apart
    (["一" * 40 + "。", "二" * 38 + "。", "三" * 10 + "。"], 3),
    # short lines (a title and a byline) are never joined
    (["国家网信办发布通知", "2024年7月31日"], 2),
    # a line ending mid-sentence (，、) goes on in the next; "：" (a salutation) does not
    (["各有关单位：", "为深入贯彻落实全会精神，进一步提升全民网络安全意识，", "现将有关事项通知如下。",
      "一、活动主题"], 3),
    (["数据、算法、", "算力等要素。"], 1),
    # lines of about the same width are no wrapped paragraph when a line opens one of its
    # own (an article, an item) or holds no Chinese (code, an English line, a number)
    (["第一条　为了规范数据处理活动，保障数据安全，促进数据开发利用，制定本办法", "第二条　在中华人民共和国境内开展数据处理活动及其安全监管，适用本办法",
      "第三条　本办法所称数据，是指任何以电子或者其他方式对信息的记录"], 3),
    (["（一）建立健全全流程数据安全管理制度，组织开展数据安全教育培训", "（二）采取相应的技术措施和其他必要措施，保障数据安全稳定运行"], 2),
    (["运行以下命令安装本工具，安装完成后即可在命令行中使用本工具的全部功能", "    pip install bitext-toolkit --upgrade --no-cache-dir --quiet"], 2),
    (["根据通报，截至2024年6月底各地网信部门共受理数据出境安全评估申报的数量为", "12,345"], 2),
]


@pytest.mark.parametrize(("lines", "n_blocks"), WRAP_CASES)
def test_txt_hard_wrap_cases(tmp_path: Path, lines: list[str], n_blocks: int) -> None:
    p = tmp_path / "w.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = read(p)
    assert len(doc.blocks) == n_blocks
    assert "".join(b.text for b in doc.blocks) == "".join(ln.strip() for ln in lines)


def test_html_government_page_title_in_a_div(tmp_path: Path) -> None:
    """Old CMS layout: no <article>/<h1>; the title is a div.title before the body text."""
    doc = read(DATA / "gov-notice.html")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "国家网信办部署开展专项行动"),
        ("paragraph", "近日，国家网信办印发通知，部署开展为期2个月的专项行动，集中整治网络环境突出问题。"),
        ("paragraph", "通知要求，各地网信部门要切实履行属地管理责任，督促网站平台落实主体责任。"),
        ("paragraph", "通知强调，要坚持问题导向，加强统筹协调，确保专项行动取得实效。"),
    ]


def test_md_typed_bullet_characters_are_list_items() -> None:
    doc = parse_markdown("要点如下：\n• 第一点。\n•第二点\n  ● 嵌套\n■ 第三点\n")
    assert [(b.kind, b.level, b.marker, b.text) for b in doc.blocks] == [
        ("paragraph", 0, "", "要点如下："),
        ("list_item", 0, "•", "第一点。"),
        ("list_item", 0, "•", "第二点"),
        ("list_item", 1, "●", "嵌套"),
        ("list_item", 0, "■", "第三点"),
    ]


def _blocks(doc):
    return [(b.kind, b.marker, [s.text for s in b.segments]) for b in doc.blocks]


def test_html_govcn_notice_keeps_only_the_notice() -> None:
    """gov.cn style: metadata table, breadcrumb, font-size links, share bar, related, footer."""
    doc = read(DATA / "govcn-notice.html")
    got = _blocks(doc)
    assert got[0] == ("heading", "h1", ["国务院办公厅关于加强数据安全管理的通知"])
    texts = [t for _, _, segs in got for t in segs]
    assert texts[1] == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    assert "（二）强化关键信息基础设施安全保护。" in texts
    assert "运营者应当落实网络安全等级保护制度，每年至少开展一次检测评估&风险排查。" in texts
    assert texts[-3:] == ["国务院办公厅", "2024年7月31日", "（此件公开发布）"]
    joined = "".join(texts)
    for junk in ("首页", "分享到", "微信", "相关稿件", "主办单位", "京ICP备", "索 引 号", "字体", "不要翻译"):
        assert junk not in joined, junk
    assert len(got) == 11


def test_html_wechat_article_lists_wrapping_paragraphs() -> None:
    """WeChat style: ``<li><p><span>`` items stay list items; toolbar and QR widgets go."""
    doc = read(DATA / "wechat-article.html")
    got = _blocks(doc)
    assert got[0] == ("heading", "h1", ["深度合成新规解读：生成式人工智能服务如何备案？"])
    items = [(m, segs) for kind, m, segs in got if kind == "list_item"]
    assert items == [
        ("1.", ["登录互联网信息服务算法备案系统；"]),
        ("2.", ["填报备案信息；"]),
        ("3.", ["等待审核结果。"]),
    ]
    assert all(b.ordered for b in doc.blocks if b.kind == "list_item")
    assert ("paragraph", "", ["专家认为……", "监管将持续加强！", "你怎么看？"]) in got
    joined = "".join(t for _, _, segs in got for t in segs)
    for junk in ("网安观察", "2024-03-15", "阅读 10万+", "在看", "微信扫一扫", "关注该公众号"):
        assert junk not in joined, junk


def test_html_gb18030_page_with_table_nav_aside_footer() -> None:
    doc = read(DATA / "cert-stats-gb18030.html")
    assert doc.metadata["encoding"] == "gb18030"
    got = _blocks(doc)
    assert got[0] == ("heading", "h1", ["2024年第二季度网络安全事件统计"])
    cells = [segs[0] for kind, _, segs in got if kind == "table_cell"]
    assert cells == ["事件类型", "数量（起）", "占比", "勒索软件", "数据泄露", "网页篡改 <script>"]
    assert ("paragraph", "", ["本季度共监测到网络安全事件12,345起，同比增长3.5%。", "其中，勒索软件攻击占比最高。"]) in got
    nested = [(b.level, b.text) for b in doc.blocks if b.kind == "list_item"]
    assert nested == [(0, "及时修补漏洞，例如CVE-2024-3400。"), (0, "加强员工安全意识培训。"), (1, "定期开展钓鱼演练。")]
    assert got[-1][2] == ["更多信息请访问https://www.cert.org.cn或发送邮件至cncert@cert.org.cn。"]
    joined = "".join(t for _, _, segs in got for t in segs)
    for junk in ("首页", "工作动态", "热点新闻", "CNCERT发布年度报告", "版权所有", "京ICP备"):
        assert junk not in joined, junk


def test_md_task_list_boxes_stay_with_the_marker() -> None:
    doc = parse_markdown("- [ ] 待办事项\n- [x] 已完成事项\n")
    assert [(b.kind, b.marker, b.text) for b in doc.blocks] == [
        ("list_item", "- [ ]", "待办事项"),
        ("list_item", "- [x]", "已完成事项"),
    ]


def test_md_absurd_nesting_is_a_one_line_format_error(tmp_path: Path) -> None:
    p = tmp_path / "deep.md"
    p.write_text(">" * 3000 + " 引用文字。\n", encoding="utf-8")
    with pytest.raises(FormatError, match="nested too deeply") as e:
        read(p)
    assert "\n" not in str(e.value) and str(p) in str(e.value)


def test_md_toml_front_matter_is_metadata_too() -> None:
    doc = parse_markdown('+++\ntitle = "网信办通知"\ndraft = false\n+++\n\n正文。\n')
    assert doc.metadata["front_matter"] == 'title = "网信办通知"\ndraft = false'
    assert doc.metadata["title"] == "网信办通知"
    assert [(b.kind, b.text) for b in doc.blocks] == [("paragraph", "正文。")]
