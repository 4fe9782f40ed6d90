"""Side-by-side HTML page: escaping, anchors, highlighted terms, flags, gist banner, header.

Documents go through the real pipeline with a glossary TSV written in ``tmp_path`` and a
small deterministic engine defined here (Han runs → ``zh``; chosen English words dropped
to plant a violation; sentences containing 未译 left as they are, a QA error).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pytest
import regex
from lxml import html as lxml_html
from support import DictMemory
from support import HanEngine as _HanEngine

from bitext import __version__
from bitext.document import Block, Document, Segment, TranslatedDocument
from bitext.engines.base import Engine
from bitext.pipeline import translate_document
from bitext.terms.glossary import Glossary
from bitext.writers import sidebyside

HAN = regex.compile(r"\p{Han}+")
SCRIPT_SRC = '网信办 <script>alert("pwned")</script> & <b>粗体</b> 未译'

GLOSSARY_TSV = (
    "source\ttarget\tnote\n"
    "网信办\tCAC\tCyberspace Administration <of> China & \"co\"\n"
    "数据安全法\tData Security Law\tin force 2021-09-01\n"
    "个人信息\tpersonal information\t\n"
)


class HanEngine(_HanEngine):
    pass


class GistEngine(HanEngine):
    name = "hangist"
    is_gist = True


def seg_block(bid: str, kind: str, sentences: Sequence[str], **kw) -> Block:
    segs = tuple(Segment(f"{bid}.s{k}", s, bid) for k, s in enumerate(sentences, 1))
    return Block(bid, kind, "".join(sentences), segs, **kw)  # type: ignore[arg-type]


def sample_document() -> Document:
    blocks = (
        seg_block("p1", "heading", ["网信办发布通知"], level=2, marker="##"),
        seg_block("p2", "paragraph", ["网信办负责数据安全法的实施。", "企业应当保护个人信息！"]),
        seg_block("p3", "list_item", ["第一项：个人信息。", "续句。"], marker="-"),
        seg_block("p4", "list_item", ["第三项（试行）。"], marker="3.", ordered=True, level=1),
        Block("p5", "passthrough", "![图](a.png)", raw="![<图>](a.png)"),
        seg_block("p6", "paragraph", [SCRIPT_SRC, "控制\x01字符\x0b结束。"]),
    )
    return Document("in/<notice>&.md", "md", blocks, metadata={"title": "通知 <标题>"})


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    p = tmp_path / "terms.tsv"
    p.write_text(GLOSSARY_TSV, encoding="utf-8")
    return p


def translate(glossary_file: Path, engine: Engine | None = None, **kw) -> TranslatedDocument:
    engine = engine or HanEngine(drop=["Data Security Law"])
    return translate_document(sample_document(), engine, Glossary.load([glossary_file]), **kw)


def render(tmp_path: Path, tdoc: TranslatedDocument):
    out = tmp_path / "page.html"
    sidebyside.write(out, tdoc)
    raw = out.read_text(encoding="utf-8")
    return raw, lxml_html.document_fromstring(raw)


@pytest.fixture
def page(tmp_path, glossary_file):
    return render(tmp_path, translate(glossary_file))


def row(doc, sid: str):
    rows = doc.xpath("//tr[@id=$i]", i=sid)
    assert len(rows) == 1, sid
    return rows[0]


def cell(doc, sid: str, side: str):
    return row(doc, sid).xpath(f"td[contains(concat(' ', @class, ' '), ' {side} ')]")[0]


def text_of(el) -> str:
    return el.xpath("string(.//*[contains(concat(' ', @class, ' '), ' text ')])")


# --- self-contained page, escaping -----------------------------------------------------------


def test_self_contained_utf8_page_with_one_hashed_inline_script(page):
    import base64
    import hashlib

    raw, doc = page
    assert raw.startswith("<!DOCTYPE html>")
    assert doc.xpath("//meta[@charset='utf-8']")
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and scripts[0].get("src") is None
    policy = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    for el in scripts + doc.xpath("//style"):
        digest = base64.b64encode(hashlib.sha256(el.text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert doc.xpath("//link|//img|//iframe|//object|//embed") == []
    assert not regex.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", raw)
    assert "@import" not in raw and "url(" not in raw
    assert doc.xpath("//style")


def test_script_in_source_shows_as_text(page):
    raw, doc = page
    assert "<script>alert" not in raw and raw.count("<script>") == 1  # only the page's own
    assert "&lt;script&gt;alert(" in raw
    src = cell(doc, "p6.s1", "src")
    assert text_of(src) == SCRIPT_SRC
    assert src.xpath(".//b") == []
    assert text_of(cell(doc, "p6.s1", "tgt")) == SCRIPT_SRC.replace("网信办", "CAC")


def test_user_text_in_attributes_and_header_escaped(page, glossary_file):
    raw, doc = page
    mark = cell(doc, "p1.s1", "src").xpath(".//mark")[0]
    assert mark.get("title") == "网信办 → CAC — Cyberspace Administration <of> China & \"co\""
    assert "<of>" not in raw
    assert doc.xpath("string(//code[@class='source-path'])") == "<notice>&.md"  # a file name, never a path
    assert "通知 <标题>" in doc.xpath("string(//header)")
    assert doc.xpath("string(//tbody[@id='p5']//code)") == "![<图>](a.png)"


def test_control_characters_removed(page):
    raw, doc = page
    assert text_of(cell(doc, "p6.s2", "src")) == "控制字符结束。"
    assert not regex.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", raw)


# --- structure: anchors, blocks, headings, lists ---------------------------------------------


def test_every_segment_row_has_its_anchor(page):
    _, doc = page
    ids = doc.xpath("//tr[contains(concat(' ', @class, ' '), ' seg ')]/@id")
    assert ids == ["p1.s1", "p2.s1", "p2.s2", "p3.s1", "p3.s2", "p4.s1", "p6.s1", "p6.s2"]
    for sid in ids:
        assert row(doc, sid).xpath("td[@class='sid']/a/@href") == [f"#{sid}"]
    all_ids = doc.xpath("//@id")
    assert len(all_ids) == len(set(all_ids))


def test_grouped_by_block_with_heading_and_list_styling(page):
    _, doc = page
    assert doc.xpath("//tbody/@id") == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert [tr.get("id") for tr in doc.xpath("//tbody[@id='p2']/tr")] == ["p2.s1", "p2.s2"]
    assert "heading" in doc.xpath("//tbody[@id='p1']/@class")[0]
    for side in ("src", "tgt"):
        assert cell(doc, "p1.s1", side).xpath(".//h2")
        assert cell(doc, "p3.s1", side).xpath(".//ul/li")
        ol = cell(doc, "p4.s1", side).xpath(".//ol")
        assert ol and ol[0].get("start") == "3" and "depth-1" in ol[0].get("class")
    assert "list_item" in doc.xpath("//tbody[@id='p3']/@class")[0]
    assert "untranslated" in doc.xpath("string(//tbody[@id='p5'])")
    assert cell(doc, "p1.s1", "src").get("lang") == "zh-CN"
    assert cell(doc, "p1.s1", "tgt").get("lang") == "en"


# --- terms, violations, QA flags -------------------------------------------------------------


@pytest.mark.parametrize(
    "sid, side, marked",
    [
        ("p1.s1", "src", ["网信办"]),
        ("p1.s1", "tgt", ["CAC"]),
        ("p2.s1", "src", ["网信办", "数据安全法"]),
        ("p2.s1", "tgt", ["CAC"]),
        ("p2.s2", "src", ["个人信息"]),
        ("p2.s2", "tgt", ["personal information"]),
        ("p6.s2", "src", []),
    ],
)
def test_glossary_terms_highlighted_on_both_sides(page, sid, side, marked):
    _, doc = page
    marks = cell(doc, sid, side).xpath(".//mark[contains(@class, 'term')]")
    assert [m.text for m in marks] == marked
    for m in marks:
        assert " → " in m.get("title")


def test_violation_flagged(page):
    _, doc = page
    r = row(doc, "p2.s1")
    assert "has-violation" in r.get("class")
    bad = r.xpath(".//mark[contains(@class, 'violation')]")
    assert [m.text for m in bad] == ["数据安全法"]
    assert bad[0].get("title").startswith("数据安全法 → Data Security Law — in force 2021-09-01")
    flags = r.xpath(".//li[contains(@class, 'violation')]")
    assert len(flags) == 1 and "Data Security Law" in flags[0].text_content()
    assert "has-violation" not in row(doc, "p2.s2").get("class")
    assert row(doc, "p2.s2").xpath(".//ul[@class='flags']") == []


def test_qa_findings_flagged(page):
    _, doc = page
    flags = row(doc, "p6.s1").xpath(".//li[contains(@class, 'qa-error')]")
    assert [f.get("data-check") for f in flags] == ["untranslated"]
    assert "has-error" in row(doc, "p6.s1").get("class")
    term = row(doc, "p2.s1").xpath(".//li[@data-check='term']")
    assert term and "数据安全法" in term[0].text_content()


def test_repaired_terms_listed(tmp_path, glossary_file):
    tdoc = translate(glossary_file, HanEngine(drop=["personal information"], prefix_ok=True))
    _, doc = render(tmp_path, tdoc)
    assert tdoc.result("p2.s2").term_repaired and not tdoc.result("p2.s2").term_violations
    rep = row(doc, "p2.s2").xpath(".//li[contains(@class, 'repaired')]")
    assert len(rep) == 1 and "个人信息 → personal information" in rep[0].text_content()
    assert doc.xpath("string(//dd[@data-count='term_repaired'])") == str(
        tdoc.stats()["term_repaired"]
    )


# --- header, gist banner, translation memory -------------------------------------------------


def test_header_records_provenance_and_counts(tmp_path, glossary_file):
    tdoc = translate(glossary_file)
    _, doc = render(tmp_path, tdoc)
    header = doc.xpath("//header")[0]
    text = header.text_content()
    assert "hantest" in text and "hantest:model-7" in text and __version__ in text
    assert glossary_file.name in text and str(glossary_file) not in text
    assert hashlib.sha256(glossary_file.read_bytes()).hexdigest() in text
    counts = {dd.get("data-count"): dd.text_content() for dd in header.xpath(".//dd[@data-count]")}
    assert counts["segments"] == "8"
    assert counts["term_hits"] == "6"
    assert counts["term_violations"] == "1"
    assert counts["term_success"] == "83.3%"
    stats = tdoc.stats()
    assert counts["qa_errors"] == str(stats["qa_errors"]) != "0"
    assert counts["qa_warnings"] == str(stats["qa_warnings"])
    assert counts["tm_exact"] == "0"
    metas = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    assert metas["bitext-engine-signature"] == "hantest:model-7"
    assert metas["bitext-gist"] == "false"
    assert doc.xpath("//*[contains(@class, 'gist-banner')]") == []


def test_gist_banner(tmp_path, glossary_file):
    _, doc = render(tmp_path, translate(glossary_file, GistEngine()))
    banner = doc.xpath("//header//*[contains(@class, 'gist-banner')]")
    assert len(banner) == 1
    assert "word-by-word gist, not a translation" in banner[0].text_content()
    assert "gist" in doc.xpath("string(//title)")
    assert row(doc, "p1.s1").xpath(".//span[contains(@class, 'origin-gist')]")


def test_tm_badge_and_fuzzy_suggestions(tmp_path, glossary_file):
    tm = DictMemory(
        {"企业应当保护个人信息！": "Companies shall protect personal information!"},
        {"网信办发布通知": [(0.8, "网信办发布公告", "CAC <issues> notice")]},
    )
    raw, doc = render(tmp_path, translate(glossary_file, tm=tm, tm_fuzzy=0.75))
    assert row(doc, "p2.s2").xpath(".//span[contains(@class, 'badge') and contains(@class, 'tm')]")
    assert not row(doc, "p2.s1").xpath(".//span[contains(@class, 'tm')]")
    fz = row(doc, "p1.s1").xpath(".//div[@class='fuzzy']//li")
    assert len(fz) == 1
    assert fz[0].xpath("string(.//span[@class='sim'])") == "80.0%"
    assert fz[0].xpath("string(.//span[@class='fz-tgt'])") == "CAC <issues> notice"
    assert "<issues>" not in raw
    assert doc.xpath("string(//dd[@data-count='tm_exact'])") == "1"


def test_empty_document(tmp_path, glossary_file):
    tdoc = translate_document(Document("e.txt", "txt", ()), HanEngine(), Glossary.load([glossary_file]))
    _, doc = render(tmp_path, tdoc)
    assert doc.xpath("//tr[contains(@class, 'seg')]") == []
    assert doc.xpath("string(//dd[@data-count='segments'])") == "0"
    assert "no text" in doc.xpath("string(//main)")


def test_written_atomically(tmp_path, glossary_file):
    out = tmp_path / "page.html"
    out.write_text("earlier", encoding="utf-8")
    tdoc = translate(glossary_file)
    from dataclasses import replace

    bad = dict(tdoc.results)
    bad["p2.s2"] = replace(bad["p2.s2"], target=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sidebyside.write(out, TranslatedDocument(tdoc.document, bad, tdoc.info))
    assert out.read_text(encoding="utf-8") == "earlier"
    sidebyside.write(out, tdoc)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "terms.tsv"]


# --- truthful header, review tools, Chinese runs (issue 11) ------------------------------------


def test_tm_match_with_a_missing_term_is_drawn_as_tm_and_counted(tmp_path, glossary_file):
    tm = DictMemory({"企业应当保护个人信息！": "Companies shall protect private data!"}, {})
    tdoc = translate(glossary_file, GistEngine(), tm=tm)
    r = tdoc.result("p2.s2")
    assert r.origin == "tm" and not r.term_violations  # a TM match is not enforced …
    assert [h.entry.source for h in r.violated_hits] == ["个人信息"]  # … but QA finds the term
    _, doc = render(tmp_path, tdoc)
    tr = row(doc, "p2.s2")
    assert {"origin-tm", "has-violation", "has-error"} <= set(tr.get("class").split())
    assert [m.text for m in tr.xpath(".//mark[contains(@class, 'violation')]")] == ["个人信息"]
    # gist italics are for gist rows only
    raw = doc.xpath("string(//style)")
    assert "body.gist tr.origin-gist td.tgt .text" in raw
    stats = tdoc.stats()
    assert stats["term_violations"] == sum(
        1 for x in tdoc.results.values() for f in x.findings if f.check == "term")
    counts = {dd.get("data-count"): dd.text_content() for dd in doc.xpath("//dd[@data-count]")}
    assert counts["term_violations"] == str(stats["term_violations"]) == "1"


def test_term_success_is_na_without_term_hits(tmp_path, glossary_file):
    doc_ = Document("n.txt", "txt", (seg_block("p1", "paragraph", ["今天下雨。"]),))
    tdoc = translate_document(doc_, HanEngine(), Glossary.load([glossary_file]))
    assert tdoc.stats()["term_success"] is None
    _, doc = render(tmp_path, tdoc)
    assert doc.xpath("string(//dd[@data-count='term_success'])") == "n/a"


def test_target_tooltip_names_the_entries_that_matched(tmp_path):
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\tnote\n国家网信办\tCAC\tshort form\n"
                 "国家互联网信息办公室\tCAC\tfull name\n", encoding="utf-8")
    doc_ = Document("t.txt", "txt", (seg_block("p1", "paragraph", ["国家网信办发布通知。"]),))
    tdoc = translate_document(doc_, HanEngine(), Glossary.load([g]))
    _, doc = render(tmp_path, tdoc)
    for side in ("src", "tgt"):
        titles = [m.get("title") for m in cell(doc, "p1.s1", side).xpath(".//mark")]
        assert titles == ["国家网信办 → CAC — short form"], side
        assert cell(doc, "p1.s1", side).xpath(".//mark/@tabindex") == ["0"]


def test_review_tools_hidden_until_the_script_runs(page):
    _, doc = page
    tools = doc.xpath("//*[@id='tools']")[0]
    assert tools.get("hidden") is not None  # scripts off: the page reads as before
    assert doc.xpath("//tr[@hidden]") == []
    assert doc.xpath("//input[@type='search' and @id='q']")
    labels = [lab.text_content().strip() for lab in doc.xpath("//label[input[@type='radio']]")]
    assert "Flagged only" in labels and "TM only" in labels and "Repaired only" in labels
    assert [a.get("href") for a in doc.xpath("//dd[@data-count='qa_errors']/a")] == ["#show-flagged"]
    assert doc.xpath("//table[@data-rows='tr.seg']")
    assert doc.xpath("//meta[@name='viewport']")


def test_headings_keep_a_valid_outline_and_a_table_of_contents(page):
    _, doc = page
    assert cell(doc, "p1.s1", "src").xpath(".//h2")  # ## under the page's <h1>
    toc = doc.xpath("//nav[contains(@class, 'toc')]//a/@href")
    assert toc == ["#p1.s1"]


def test_every_chinese_run_sits_in_a_zh_element(page):
    _, doc = page
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        for text, owner in ((el.text, el), (el.tail, el.getparent())):
            if owner is None or not text or not HAN.search(text):
                continue
            lang = next((a.get("lang") for a in [owner, *owner.iterancestors()] if a.get("lang")), "")
            assert lang.startswith("zh"), (owner.tag, text)
    css = doc.xpath("string(//style)")
    assert ':lang(zh) { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", ' \
        '"Microsoft YaHei", "WenQuanYi Micro Hei"' in css


def test_code_kept_verbatim_shows_in_both_columns(tmp_path, glossary_file):
    """An HTML ``<code>`` holding Chinese is never translated: the review page still shows it,
    in the source sentence and among the English words, as code (a term next to it is
    still marked)."""
    from bitext.readers import read

    src = tmp_path / "code.html"
    src.write_text('<html><body><p>网信办要求运行<code>检查工具.exe</code>并打开<code>C:\\数据</code>。</p>'
                   "</body></html>", encoding="utf-8")
    tdoc = translate_document(read(src), HanEngine(), Glossary.load([glossary_file]))
    seg = tdoc.document.blocks[0].segments[0]
    assert seg.text == "网信办要求运行并打开。"  # the engine never sees the code
    _, doc = render(tmp_path, tdoc)
    for side in ("src", "tgt"):
        c = cell(doc, seg.id, side)
        assert [k.text_content() for k in c.xpath(".//code[@class='kept']")] == ["检查工具.exe", "C:\\数据"], side
        assert c.xpath(".//mark")[0].text_content() in ("网信办", "CAC"), side
    assert text_of(cell(doc, seg.id, "src")) == "网信办要求运行检查工具.exe并打开C:\\数据。"
    # the English: the codes in their order, each spaced from the words
    assert regex.fullmatch(r"CAC zh 检查工具\.exe +C:\\数据 ?。", text_of(cell(doc, seg.id, "tgt"))), \
        text_of(cell(doc, seg.id, "tgt"))
