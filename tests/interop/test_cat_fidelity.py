"""CAT fidelity (issue 10): SRX segmentation, inline tags, whole pages, XLIFF identity, gist, paths.

The documents are ``tests/data/cat/news.html`` (a news page with <title>, meta description,
<nav>, <b>, <em>, an inline <a>, a list and a footer) and ``article.txt``. The engine is
the product's gloss engine (real, offline, fast); OmegaT itself is exercised in
``test_interop.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from bitext.cli.main import cli
from bitext.errors import FormatError
from bitext.readers import read
from bitext.segment import srx as srxmod
from bitext.segment.zh import split_sentences

DATA = Path(__file__).parents[1] / "data" / "cat"
NEWS = DATA / "news.html"
ARTICLE = DATA / "article.txt"
DTD = etree.DTD(str(Path(__file__).parents[1].joinpath("tmx14.dtd")))
HAN = regex.compile(r"\p{Han}")


def invoke(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


SRX = """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="{cascade}"/>
<body><languagerules>
<languagerule languagerulename="zh">
  <rule break="no"><beforebreak>[。！？]</beforebreak><afterbreak>[”」）]</afterbreak></rule>
  <rule break="yes"><beforebreak>[。！？][”」）]?</beforebreak><afterbreak>.</afterbreak></rule>
</languagerule>
<languagerule languagerulename="semicolon">
  <rule break="yes"><beforebreak>；</beforebreak><afterbreak>.</afterbreak></rule>
</languagerule>
<languagerule languagerulename="en">
  <rule break="no"><beforebreak>\\b(?:Dr|Mr)\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
  <rule break="yes"><beforebreak>[.?!]++</beforebreak><afterbreak>\\s+\\p{{Lu}}</afterbreak></rule>
</languagerule>
</languagerules>
<maprules>
  <languagemap languagepattern="ZH.*" languagerulename="zh"/>
  <languagemap languagepattern="zh.*" languagerulename="semicolon"/>
  <languagemap languagepattern="EN.*" languagerulename="en"/>
</maprules></body></srx>
"""


# --------------------------------------------------------------------------- SRX

@pytest.mark.parametrize("cascade, expected", [
    ("yes", ["甲；", "乙。", "“好。”", "他说。"]),
    ("no", ["甲；乙。", "“好。”", "他说。"]),
])
def test_srx_language_maps_break_rules_and_cascade(tmp_path: Path, cascade: str, expected: list) -> None:
    p = tmp_path / "r.srx"
    p.write_text(SRX.format(cascade=cascade), encoding="utf-8")
    rules = srxmod.load(p)
    assert rules.split("甲；乙。“好。”他说。", "zh-CN") == expected
    assert rules.split("Dr. Smith came. He left! ok.", "en") == ["Dr. Smith came.", "He left! ok."]


@pytest.mark.parametrize("java, text, matches", [
    (r"\p{Lu}", "A", True), (r"\P{Lu}", "a", True), (r"\p{IsHan}", "网", True),
    (r"\p{InCJKSymbolsAndPunctuation}", "。", True), (r"\p{Punct}", "!", True), (r"\p{Punct}", "。", False),
    (r"\p{javaLowerCase}", "a", True), (r"a++b", "aab", True), (r"\u3002", "。", True),
    (r"\Q.*\E", ".*", True), (r"\Q.*\E", "ab", False), (r"x\z", "x", True), (r"\x{3002}", "。", True),
    (r"\h", "\u3000", True), (r"(?>a|ab)c", "abc", False),
])
def test_java_regex_translated(java: str, text: str, matches: bool) -> None:
    pattern = regex.compile(srxmod.java_regex(java, "rule 1 of 'x'"))
    assert bool(pattern.fullmatch(text)) is matches


@pytest.mark.parametrize("java, what", [
    (r"\G\.", r"\G"), (r"[a-z&&[^e]]", "&&"), (r"\p{NoSuchProperty}", "NoSuchProperty"),
])
def test_java_regex_refused_naming_the_rule(tmp_path: Path, java: str, what: str) -> None:
    p = tmp_path / "bad.srx"
    p.write_text(SRX.format(cascade="yes").replace(r"[.?!]++", java.replace("&", "&amp;")), encoding="utf-8")
    with pytest.raises(FormatError, match=r"rule 2 of 'en'.*" + regex.escape(what)):
        srxmod.load(p)
    res = invoke("translate", ARTICLE, "--srx", p, "--engine", "gloss", "-o", tmp_path, "-q")
    assert res.exit_code == 1 and "rule 2 of 'en'" in res.output and "Traceback" not in res.output


def test_omegat_rules_keep_quotes_and_semicolons_in_one_segment(omegat_srx: Path) -> None:
    rules = srxmod.load(omegat_srx)
    assert rules.omegat_tags  # the rules speak OmegaT's tag text (<br0/>)
    text = "“促进数据依法有序自由流动是我们的目标。”会议要求，各地要加强指导。许多企业开始调整……一些平台也更新了隐私政策；它明确了义务。"
    assert rules.split(text, "zh-CN") == [
        "“促进数据依法有序自由流动是我们的目标。”会议要求，各地要加强指导。",
        "许多企业开始调整……一些平台也更新了隐私政策；它明确了义务。",
    ]
    assert len(split_sentences(text)) == 5  # bitext's own rules cut more


def test_omegat_rules_end_a_paragraph_at_a_comment_or_script(omegat_srx: Path, tmp_path: Path) -> None:
    """OmegaT's HTML filter ends a paragraph at a comment, a script, a select, a textarea or
    an object inside it (checked with OmegaT: ``tests/data/cat/breaks.html``, 10 of its 22
    segments matched before); with its SRX rules bitext reads the page the same way, keeps
    those elements out of both segments, and the English page keeps them where they
    stood. An input, an image or an iframe stays in the sentence (an empty iframe is a pair
    in OmegaT's tag text: ``<i0></i0>``), and so do Word's ``<![if !supportLists]>`` around a
    list number (``<!2>``, where a comment would end the segment)."""
    src = tmp_path / "p.html"
    src.write_text("<html><body><p>各有关单位：<!-- 正文开始 -->现将有关事项通知如下。</p>"
                   "<p>检查范围包括数据处理者<script>var t = 1;</script>以及运营者。</p>"
                   '<p>咨询电话另行公布<iframe src="map.html"></iframe>，办公地点不变。</p>'
                   "<p class=MsoListParagraph><![if !supportLists]><span lang=EN-US>1.<span>&nbsp;&nbsp;&nbsp; "
                   "</span></span><![endif]><span>重要数据处理者应当明确数据安全负责人。</span></p></body></html>",
                   encoding="utf-8")
    tmx, out = tmp_path / "p.tmx", tmp_path / "p.en.html"
    res = invoke("translate", src, "--srx", omegat_srx, "--engine", "gloss", "--tmx", tmx, "--out", out, "-q")
    assert res.exit_code == 0, res.output
    segs = ["".join(s.itertext()) for s in etree.parse(str(tmx)).getroot().iter("seg")]
    for zh in ("各有关单位：", "现将有关事项通知如下。", "检查范围包括数据处理者", "以及运营者。",
               "咨询电话另行公布<i0></i0>，办公地点不变。",
               # Word's list number: its <![if !supportLists]> is a tag, as OmegaT shows it
               "<s0>1.<s1>\xa0\xa0\xa0 </s1></s0><!2><s3>重要数据处理者应当明确数据安全负责人。"):
        assert zh in segs, segs
    body = out.read_text(encoding="utf-8")
    assert regex.search(r"<p>[^<]+<!-- 正文开始 -->[^<]+</p>", body), body
    assert regex.search(r"<p>[^<]+<script>var t = 1;</script>[^<]+</p>", body), body
    assert regex.search(r'<p>[^<]+<iframe src="map.html"></iframe>[^<]+</p>', body), body


def test_srx_export_round_trips_bitext_rules(tmp_path: Path) -> None:
    out = tmp_path / "bitext-zh.srx"
    res = invoke("srx", "export", out)
    assert res.exit_code == 0, res.output
    root = etree.parse(str(out)).getroot()
    assert root.tag == "{http://www.lisa.org/srx20}srx" and root.get("version") == "2.0"
    rules = srxmod.load(out)
    for text in ["注册用户已突破5.64亿。增长3.5%！", "“好。”，他说。U.S.的情况……等等。美国.下一句！真的?是“是的！”",
                 "调查显示……一些平台更新了政策；另一些没有。", "数据出境安全评估办法（2022年）。自9月1日起施行"]:
        assert rules.split(text, "zh-CN") == split_sentences(text), text


def test_translate_with_srx_follows_the_rules(tmp_path: Path, omegat_srx: Path) -> None:
    out = tmp_path / "a.tmx"
    assert invoke("translate", ARTICLE, "--srx", omegat_srx, "--engine", "gloss", "--tmx", out, "-q").exit_code == 0
    sources = [tu.find("tuv/seg").text for tu in etree.parse(str(out)).getroot().iter("tu")]
    assert "这部法律对个人信息处理活动作出了全面规定；它明确了个人信息处理者的义务。" in sources
    assert "“保护个人信息是每个人的权利。”专家表示，法律的实施将推动企业加强合规建设。" in sources
    header = {p.get("type"): p.text for p in etree.parse(str(out)).getroot().find("header").iter("prop")}
    assert header["x-document"] == "article.txt"


def test_align_with_srx(tmp_path: Path, omegat_srx: Path) -> None:
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("他来了；我们走了。第二句。\n", encoding="utf-8")
    en.write_text("Dr. Smith came; we left. Second sentence.\n", encoding="utf-8")
    beads = tmp_path / "b.txt"
    res = invoke("align", zh, en, "--srx", omegat_srx, "--beads", beads)
    assert res.exit_code == 0, res.output
    assert beads.read_text(encoding="utf-8").split() == ["[0]:[0]", "[1]:[1]"]


# --------------------------------------------------------------------------- inline tags, whole page

def test_html_inline_tags_are_codes_numbered_per_paragraph() -> None:
    doc = read(NEWS)
    seg = {s.text: s for s in doc.segments}
    s = seg["数据处理者向境外提供数据，应当事前开展风险自评估。"]
    assert [(c.kind, c.pos, c.num, c.tag) for c in s.codes] == [("open", 15, 1, "em"), ("close", 17, 1, "em")]
    link = seg["国家网信办有关负责人表示，开展数据出境安全评估是落实法律规定的重要举措。"]
    assert link.codes[0].attrs == (("href", "/policy/assessment.html"),)
    assert seg["首页"].codes == ()  # a link around the whole item is not part of the segment
    texts = [s.text for s in doc.segments]
    # whole page: title, meta description, navigation and footer are segments too
    assert texts[:3] == ["网信办发布数据出境安全评估办法", "国家互联网信息办公室发布数据出境安全评估办法。", "首页"]
    assert "版权所有：国家互联网信息办公室" in texts
    article = read(NEWS, article_only=True)
    assert "首页" not in [s.text for s in article.segments]
    assert "版权所有：国家互联网信息办公室" not in [s.text for s in article.segments]


def test_english_page_keeps_tags_title_navigation(tmp_path: Path) -> None:
    out = tmp_path / "news.en.html"
    tmx = tmp_path / "news.tmx"
    res = invoke("translate", NEWS, "--engine", "gloss", "--out", out, "--tmx", tmx, "-q")
    assert res.exit_code == 0, res.output
    page = lxml_html.fromstring(out.read_bytes())
    assert page.get("lang") == "en"
    assert not HAN.search(page.findtext(".//title"))
    assert not HAN.search(page.xpath("string(//meta[@name='description']/@content)"))
    nav = page.xpath("//nav//a")
    assert [a.get("href") for a in nav] == ["/", "/news/", "/policy/"]
    assert all(a.text and not HAN.search(a.text) for a in nav)
    assert not HAN.search(page.xpath("string(//footer)"))
    h1 = page.find(".//h1")
    assert h1.find("b") is not None and "Measures" in h1.findtext("b")
    p = page.xpath("//p[a[@href='/policy/assessment.html']]")[0]
    assert not HAN.search(p.findtext("a")) and p.findtext("a").strip()
    assert p.find("em") is not None and p.findtext("em").strip() and not HAN.search(p.findtext("em"))
    assert p.findtext("a") not in (p.text or "")  # the link wraps its own words, not the sentence
    assert page.xpath("//ul/li/b/text()")  # bold inside the list item
    assert not HAN.search(page.xpath("string(//body)").replace(page.xpath("string(//div[@class='bitext-gist'])"), ""))
    # TMX 1.4b inline codes by default: bpt/ept paired by i, x and type, DTD-valid
    tree = etree.parse(str(tmx))
    assert DTD.validate(tree), DTD.error_log.filter_from_errors()
    tus = {tu.get("tuid"): tu for tu in tree.getroot().iter("tu")}
    em = next(tu for tu in tus.values() if "事前" in "".join(tu.find("tuv/seg").itertext()))
    src, tgt = em.findall("tuv/seg")
    assert [(c.tag, c.get("i"), c.get("x"), c.get("type"), c.text) for c in src] == [
        ("bpt", "2", "2", "italic", "<em>"), ("ept", "2", None, None, "</em>")]
    assert [c.tag for c in tgt] == ["bpt", "ept"]
    assert src.text == "数据处理者向境外提供数据，应当" and src[0].tail == "事前"


def test_omegat_tag_text_with_omegat_rules(tmp_path: Path, omegat_srx: Path) -> None:
    tmx = tmp_path / "news.tmx"
    res = invoke("translate", NEWS, "--engine", "gloss", "--srx", omegat_srx, "--tmx", tmx, "-q")
    assert res.exit_code == 0, res.output
    tree = etree.parse(str(tmx))
    assert DTD.validate(tree)
    sources = [tu.find("tuv/seg").text for tu in tree.getroot().iter("tu")]
    assert "数据处理者向境外提供数据，应当<e1>事前</e1>开展风险自评估。" in sources
    assert "网信办发布<b0>数据出境安全评估办法</b0>" in sources
    assert "联系我们：<a0>press@cac.gov.cn</a0>" in sources
    res = invoke("translate", NEWS, "--engine", "gloss", "--srx", omegat_srx, "--tmx-tags", "tmx", "--tmx", tmx, "-q")
    assert res.exit_code == 0
    assert "<e1>" not in tmx.read_text(encoding="utf-8").replace("&lt;", "<")


NOTICE = DATA / "notice.html"


def _omegat_sources(tmx: Path) -> list[str]:
    return [tu.find("tuv/seg").text for tu in etree.parse(str(tmx)).getroot().iter("tu")]


def test_br_inside_a_paragraph_is_a_tag_of_the_segment_it_ends(tmp_path: Path, omegat_srx: Path) -> None:
    """OmegaT keeps a ``<br>`` in the segment it ends (``…<br0>``), spells it as the source
    did (``<br>`` → ``<br0>``, ``<br/>`` → ``<br1/>``, same for ``<img>``), numbers it with
    the paragraph's other tags, keeps ``&nbsp;`` inside a segment, and leaves a ``<br>``
    after 。 to a segment of its own (without text)."""
    tmx = tmp_path / "notice.tmx"
    res = invoke("translate", NOTICE, "--engine", "gloss", "--srx", omegat_srx, "--tmx", tmx, "-q")
    assert res.exit_code == 0, res.output
    sources = _omegat_sources(tmx)
    for expected in ["各省、自治区、直辖市网信办：<br0>", "网络运营者应当建立健全数据安全管理制度，<br1/>",
                     "采取必要措施保障数据安全。", "二、加强数据安全管理。", "联系人：张华<br0>",
                     "电话：010-12345678<br1>", "邮箱：<a2>a@b.cn</a2>", "“请各单位认真贯彻执行。”<br0>",
                     "<i0>网络运营者收集个人信息，应当遵循合法、正当、必要的原则<i1/>。",
                     "发布时间：2024年3月5日\u00a0\u00a0来源：<a0>国家互联网信息办公室</a0>"]:
        assert expected in sources, (expected, sources)
    assert not any(s.endswith("。<br0/>") or s.startswith("<br") for s in sources)
    # bitext's own rules (no SRX) keep the same <br> tags in the document's segments
    doc = read(NOTICE)
    codes = {s.text: [(c.kind, c.num, c.tag, c.slash) for c in s.codes] for b in doc.blocks for s in b.segments}
    assert codes["联系人：张华"] == [("ph", 0, "br", False)]
    assert codes["网络运营者应当建立健全数据安全管理制度，"] == [("ph", 1, "br", True)]
    assert codes["二、加强数据安全管理。"] == []  # the <br> after 。 is not in the sentence
    assert codes["邮箱：a@b.cn"] == [("open", 2, "a", True), ("close", 2, "a", True)]


def test_br_codes_do_not_double_the_line_breaks_of_the_english_page(tmp_path: Path) -> None:
    out = tmp_path / "notice.en.html"
    res = invoke("translate", NOTICE, "--engine", "gloss", "--out", out, "-q")
    assert res.exit_code == 0, res.output
    page = lxml_html.fromstring(out.read_bytes())
    src = lxml_html.fromstring(NOTICE.read_bytes())
    assert len(page.findall(".//br")) == len(src.findall(".//br")) == 7
    contact = page.xpath("//p[a[@href='mailto:a@b.cn']]")[0]
    assert len(contact.findall("br")) == 2 and not HAN.search(contact.text_content())
    assert [i.get("src") for i in page.iter("img")] == ["icon.png", "note.png"]


def test_a_br_in_a_heading_splits_it_as_in_omegat(tmp_path: Path) -> None:
    src = tmp_path / "h.html"
    src.write_text("<html><body><h1>网络安全法<br>实施细则</h1><p>正文。</p></body></html>", encoding="utf-8")
    doc = read(src)
    h1 = doc.blocks[0]
    assert [s.text for s in h1.segments] == ["网络安全法", "实施细则"]
    assert [(c.kind, c.tag) for c in h1.segments[0].codes] == [("ph", "br")]
    out = tmp_path / "h.en.html"
    assert invoke("translate", src, "--engine", "gloss", "--out", out, "-q").exit_code == 0
    h1_en = lxml_html.fromstring(out.read_bytes()).find(".//h1")
    assert len(h1_en.findall("br")) == 1 and not HAN.search(h1_en.text_content())


def test_empty_tag_spelling_is_read_from_the_source() -> None:
    from bitext.readers.html import _empty_tags

    text = ("<p>a<br>b<br/>c<br />d<img src='x/y.png'>e<img src=\"z.png\" alt='a>b'/>"
            "<!-- <br/> --><script>var s = '<br/>';</script>f<BR>g</p>")
    root = lxml_html.document_fromstring(text)
    slash = _empty_tags(text, root)
    assert [(el.tag, slash[el]) for el in root.iter("br", "img")] == [
        ("br", False), ("br", True), ("br", True), ("img", False), ("img", True), ("br", False)]


def test_strip_scripts_and_article_only(tmp_path: Path) -> None:
    src = tmp_path / "s.html"
    src.write_text("<html lang='zh-CN'><head><title>标题</title><script>var a='中文';</script></head><body>"
                   "<nav><a href='/'>首页</a></nav><article><p>第一段正文内容。<img src='x.png' alt='图片说明'></p>"
                   "</article></body></html>", encoding="utf-8")
    kept, stripped, art = tmp_path / "k.html", tmp_path / "s2.html", tmp_path / "a.html"
    assert invoke("translate", src, "--engine", "gloss", "--out", kept, "-q").exit_code == 0
    assert invoke("translate", src, "--engine", "gloss", "--out", stripped, "--strip-scripts", "-q").exit_code == 0
    assert invoke("translate", src, "--engine", "gloss", "--out", art, "--article-only", "-q").exit_code == 0
    assert "var a='中文'" in kept.read_text(encoding="utf-8")  # never changed unless asked
    assert "<script" not in stripped.read_text(encoding="utf-8")
    img = lxml_html.fromstring(kept.read_bytes()).find(".//img")
    assert img.get("src") == "x.png" and not HAN.search(img.get("alt"))
    a = lxml_html.fromstring(art.read_bytes())
    assert a.xpath("//nav/a/text()") == ["首页"] and not HAN.search(a.xpath("string(//article)"))


# --------------------------------------------------------------------------- gist, paths

def test_gist_units_labelled_and_refused_by_tm_import(tmp_path: Path) -> None:
    tmx = tmp_path / "a.tmx"
    assert invoke("translate", ARTICLE, "--engine", "gloss", "--tmx", tmx, "-q").exit_code == 0
    tus = list(etree.parse(str(tmx)).getroot().iter("tu"))
    assert all(("x-bitext-origin", "gist") in [(p.get("type"), p.text) for p in tu.iter("prop")] for tu in tus)
    db = tmp_path / "tm.sqlite"
    res = invoke("tm", "import", tmx, "--db", db)
    assert res.exit_code == 1
    line = res.output.strip()
    assert "\n" not in line and f"{len(tus)} unit(s)" in line and "--allow-gist" in line
    res = invoke("tm", "import", tmx, "--db", db, "--allow-gist", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["imported"] == len(tus)
    # a later run reusing those units still says gist
    res = invoke("translate", ARTICLE, "--engine", "gloss", "--tm", db, "--tmx", tmp_path / "b.tmx", "--json", "-q")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["stats"]["tm_exact"] == 0
    origins = {p.text for p in etree.parse(str(tmp_path / "b.tmx")).getroot().iter("prop") if p.get("type") == "x-origin"}
    assert origins == {"gist"}


def test_no_local_path_in_any_output(tmp_path: Path) -> None:
    gl = tmp_path / "my terms.tsv"
    gl.write_text("source\ttarget\n个人信息\tpersonal information\n", encoding="utf-8")
    outdir = tmp_path / "out"
    src = tmp_path / "in" / "news.html"
    src.parent.mkdir()
    src.write_bytes(NEWS.read_bytes())
    res = invoke("translate", src.resolve(), "--engine", "gloss", "--glossary", gl.resolve(), "-o", outdir, "-q")
    assert res.exit_code == 0, res.output
    files = sorted(outdir.iterdir())
    assert len(files) == 3
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert str(tmp_path) not in text, f
        assert "my terms.tsv" in text or f.suffix != ".tmx"


# --------------------------------------------------------------------------- XLIFF identity

XLF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="en">
<file id="f1">
<unit id="intro"><segment id="a"><source>数据安全很重要。</source></segment>
  <segment id="b" state="final"><source>个人信息受到保护。</source><target>Personal data is protected.</target></segment></unit>
<unit id="done"><segment state="final"><source>网信办发布通知。</source><target>A notice was issued.</target></segment></unit>
<unit id="new"><segment><source>网络安全法正式施行。</source></segment></unit>
</file></xliff>
"""


def test_xliff_ids_are_tuids_anchors_and_json_keys(tmp_path: Path) -> None:
    src = tmp_path / "job.xlf"
    src.write_text(XLF, encoding="utf-8")
    gl = tmp_path / "g.tsv"
    gl.write_text("source\ttarget\n网信办\tCAC\n", encoding="utf-8")
    out = tmp_path / "out"
    res = invoke("translate", src, "--engine", "gloss", "--glossary", gl, "-o", out, "--json")
    assert res.exit_code == 0, res.output
    tus = {tu.get("tuid"): tu for tu in etree.parse(str(out / "job.tmx")).getroot().iter("tu")}
    assert list(tus) == ["intro/a", "intro/b", "done", "new"]
    locked = tus["done"]
    assert locked.findall("tuv/seg")[1].text == "A notice was issued."
    assert ("x-origin", "locked") in [(p.get("type"), p.text) for p in locked.iter("prop")]
    # QA checks the reviewed unit: the glossary says CAC, the reviewed target lacks it
    assert any("CAC" in (n.text or "") for n in locked.iter("note"))
    page = lxml_html.fromstring((out / "job.html").read_bytes())
    ids = page.xpath("//*[@id='done' or @id='intro/a' or @id='new']/@id")
    assert sorted(set(ids)) == ["done", "intro/a", "new"]
    assert page.xpath("//*[contains(@class, 'origin-locked')]")
    summary = json.loads(res.stdout)
    keys = json.dumps(summary)
    assert '"intro/b"' in keys or "intro/b" in keys
    # the reviewed segments are untouched in the XLIFF; the gist is state="initial"
    x = etree.parse(str(out / "job.en.xlf")).getroot()
    ns = "{urn:oasis:names:tc:xliff:document:2.0}"
    segs = {(u.get("id"), s.get("id")): s for u in x.iter(f"{ns}unit") for s in u.iter(f"{ns}segment")}
    assert segs[("done", None)].get("state") == "final"
    assert segs[("done", None)].findtext(f"{ns}target") == "A notice was issued."
    assert segs[("new", None)].get("state") == "initial"


def test_markdown_keeps_bold_em_and_links_around_english(tmp_path: Path) -> None:
    src = tmp_path / "n.md"
    src.write_text("# 网信办发布**数据出境安全评估办法**\n\n"
                   "数据处理者应当*事前*开展风险自评估。详见[官方网站](https://www.cac.gov.cn/a.htm)的说明。\n",
                   encoding="utf-8")
    out = tmp_path / "n.en.md"
    res = invoke("translate", src, "--engine", "gloss", "--out", out, "-q")
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    heading = next(ln for ln in text.splitlines() if ln.startswith("# "))
    assert regex.search(r"\*\*[A-Za-z][^*]*\*\*$", heading), heading
    assert regex.search(r"\*[A-Za-z][^*]*\*", text.split("\n\n", 2)[-1]), text
    m = regex.search(r"\[([^\]]+)\]\(https://www\.cac\.gov\.cn/a\.htm\)", text)
    assert m and not HAN.search(m.group(1)), text
    assert text.count("https://www.cac.gov.cn/a.htm") == 1
    assert not HAN.search(text)
