"""TMX 1.4b document writer: DTD validity, re-parsing, tuids, langs, props, notes, escaping.

Documents go through the real pipeline (``translate_document``) with a glossary loaded
from a TSV file and a small deterministic engine defined here: it replaces Han runs by
``zh`` (so protected glossary targets survive), can drop given English words (planting
term violations) and leaves sentences containing 未译 alone (a QA ``untranslated`` error).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pytest
import regex
from lxml import etree
from support import DictMemory
from support import HanEngine as _HanEngine

from bitext import __version__
from bitext.document import Block, Document, Segment, TranslatedDocument
from bitext.pipeline import translate_document
from bitext.terms.glossary import Glossary
from bitext.writers import tmx as tmx_writer

DTD_PATH = Path(__file__).parents[1].joinpath("tmx14.dtd")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HAN = regex.compile(r"\p{Han}+")

GLOSSARY_TSV = (
    "source\ttarget\tnote\n"
    "网信办\tCAC\tCyberspace Administration of China\n"
    "数据安全法\tData Security Law\tin force 2021-09-01\n"
    "个人信息\tpersonal information\t\n"
    "关键信息基础设施\tcritical information infrastructure\tCII\n"
)


class HanEngine(_HanEngine):
    score = -1.25

    def signature(self) -> str:
        return "hantest:model-7;drop=" + ",".join(self.drop)


class GistEngine(HanEngine):
    name = "hangist"
    is_gist = True


def seg_block(bid: str, kind: str, sentences: Sequence[str], **kw) -> Block:
    segs = tuple(Segment(f"{bid}.s{k}", s, bid) for k, s in enumerate(sentences, 1))
    return Block(bid, kind, "".join(sentences), segs, **kw)  # type: ignore[arg-type]


def sample_document(path: str = "corpora/notice.md") -> Document:
    blocks = (
        seg_block("p1", "heading", ["网信办发布通知"], level=1, marker="#"),
        seg_block("p2", "paragraph", ["网信办负责数据安全法的实施。", "企业应当保护个人信息！"]),
        seg_block("p3", "list_item", ["关键信息基础设施运营者（试行）：“第一条”；共5.64亿用户？"],
                  marker="1.", ordered=True),
        Block("p4", "passthrough", "![图](a.png)", raw="![图](a.png)"),
        seg_block("p5", "paragraph", ['A & B <script>alert("x")</script> 未译 <b>粗体</b>']),
        seg_block("p6", "paragraph", ["控制\x01字符\x0b网信办\x1f结束\ufffe。"]),
    )
    return Document(path, "md", blocks)


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    p = tmp_path / "terms.tsv"
    p.write_text(GLOSSARY_TSV, encoding="utf-8")
    return p


@pytest.fixture
def tdoc(glossary_file: Path) -> TranslatedDocument:
    g = Glossary.load([glossary_file])
    return translate_document(sample_document(), HanEngine(drop=["Data Security Law"]), g)


def write_and_parse(tmp_path: Path, tdoc: TranslatedDocument):
    out = tmp_path / "out.tmx"
    tmx_writer.write(out, tdoc)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return out, etree.parse(str(out), parser)


def props(el) -> list[tuple[str, str]]:
    return [(p.get("type"), p.text or "") for p in el.findall("prop")]


def tu_by_id(tree) -> dict[str, etree._Element]:
    return {tu.get("tuid"): tu for tu in tree.getroot().iterfind("body/tu")}


def seg_text(tu, lang: str) -> str:
    for tuv in tu.findall("tuv"):
        if tuv.get(XML_LANG) == lang:
            return tuv.findtext("seg") or ""
    raise AssertionError(f"no {lang} tuv")


# --- structure -----------------------------------------------------------------------------


def test_valid_against_tmx14_dtd(tmp_path, tdoc):
    _, tree = write_and_parse(tmp_path, tdoc)
    dtd = etree.DTD(str(DTD_PATH))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def test_header_attributes(tmp_path, tdoc):
    _, tree = write_and_parse(tmp_path, tdoc)
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    h = root.find("header")
    assert h.get("creationtool") == "bitext"
    assert h.get("creationtoolversion") == __version__
    assert h.get("segtype") == "sentence"
    assert h.get("srclang") == "zh-CN"
    assert h.get("adminlang") and h.get("o-tmf") and h.get("datatype")
    assert regex.fullmatch(r"\d{8}T\d{6}Z", h.get("creationdate"))
    assert h.get("creationdate") == tdoc.info.created


def test_header_provenance_props(tmp_path, tdoc, glossary_file):
    _, tree = write_and_parse(tmp_path, tdoc)
    hp = dict(props(tree.getroot().find("header")))
    sha = hashlib.sha256(glossary_file.read_bytes()).hexdigest()
    assert hp["x-bitext-version"] == __version__
    assert hp["x-bitext-engine"] == "hantest"
    assert hp["x-bitext-engine-signature"] == "hantest:model-7;drop=Data Security Law"
    assert hp["x-bitext-gist"] == "false"
    assert hp["x-bitext-glossary"] == f"{sha}  {glossary_file.name}"  # a file name, never a path
    assert hp["x-document"] == "notice.md"
    stats = tdoc.stats()
    assert stats["term_violations"] == 1
    assert hp["x-bitext-term-hits"] == str(stats["term_hits"])
    assert hp["x-bitext-term-violations"] == "1"
    assert float(hp["x-bitext-term-success"]) == pytest.approx(stats["term_success"], abs=1e-4)
    assert hp["x-bitext-segments"] == str(len(tdoc.document.segments))
    # not a gist: no gist note
    assert tree.getroot().find("header/note") is None


def test_every_glossary_file_recorded_in_order(tmp_path, glossary_file):
    second = tmp_path / "more.tsv"
    second.write_text("source\ttarget\n网信办\tthe CAC\n", encoding="utf-8")
    g = Glossary.load([glossary_file, second])
    td = translate_document(sample_document(), HanEngine(), g)
    _, tree = write_and_parse(tmp_path, td)
    values = [v for t, v in props(tree.getroot().find("header")) if t == "x-bitext-glossary"]
    assert values == [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in (glossary_file, second)
    ]


def test_one_tu_per_segment_with_segment_ids_and_langs(tmp_path, tdoc):
    _, tree = write_and_parse(tmp_path, tdoc)
    tus = tree.getroot().findall("body/tu")
    assert [tu.get("tuid") for tu in tus] == [s.id for s in tdoc.document.segments]
    assert [tu.get("tuid") for tu in tus] == ["p1.s1", "p2.s1", "p2.s2", "p3.s1", "p5.s1", "p6.s1"]
    for tu in tus:
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert langs == ["zh-CN", "en"]
        # DTD order: notes and props before the tuvs
        kinds = [c.tag for c in tu]
        assert kinds.index("tuv") == len(kinds) - 2


def test_unit_texts_round_trip(tmp_path, tdoc):
    _, tree = write_and_parse(tmp_path, tdoc)
    tus = tu_by_id(tree)
    for seg in tdoc.document.segments:
        if seg.id == "p6.s1":
            continue  # control characters removed, checked below
        assert seg_text(tus[seg.id], "zh-CN") == seg.text
        assert seg_text(tus[seg.id], "en") == tdoc.result(seg.id).target


@pytest.mark.parametrize(
    "tuid, expected",
    [
        ("p1.s1", [("x-term", "网信办 → CAC")]),
        ("p2.s1", [("x-term", "网信办 → CAC"), ("x-term", "数据安全法 → Data Security Law"),
                   ("x-term-violation", "数据安全法 → Data Security Law")]),
        ("p2.s2", [("x-term", "个人信息 → personal information")]),
        ("p3.s1", [("x-term", "关键信息基础设施 → critical information infrastructure")]),
        ("p5.s1", []),
    ],
)
def test_unit_term_props(tmp_path, tdoc, tuid, expected):
    _, tree = write_and_parse(tmp_path, tdoc)
    got = [p for p in props(tu_by_id(tree)[tuid]) if p[0].startswith("x-term")]
    assert got == expected


def test_unit_document_engine_origin_props(tmp_path, tdoc):
    _, tree = write_and_parse(tmp_path, tdoc)
    for tu in tree.getroot().iterfind("body/tu"):
        p = dict(props(tu))
        assert p["x-document"] == "notice.md"
        assert p["x-bitext-engine"] == "hantest"
        assert p["x-bitext-engine-signature"].startswith("hantest:model-7")
        assert p["x-origin"] == "mt"
        assert p["x-score"] == "-1.2500"
    kinds = {t: dict(props(tu))["x-block-kind"] for t, tu in tu_by_id(tree).items()}
    assert kinds["p1.s1"] == "heading" and kinds["p3.s1"] == "list_item"


def test_note_on_each_violation_and_finding(tmp_path, tdoc):
    _, tree = write_and_parse(tmp_path, tdoc)
    tus = tu_by_id(tree)
    notes = {t: [n.text for n in tu.findall("note")] for t, tu in tus.items()}
    viol = [n for n in notes["p2.s1"] if n.startswith("term violation")]
    assert len(viol) == 1 and "数据安全法" in viol[0] and "Data Security Law" in viol[0]
    assert any(n.startswith("QA error [term]") for n in notes["p2.s1"])
    assert any(n.startswith("QA error [untranslated]") for n in notes["p5.s1"])
    # exactly one note per violation and per finding, nothing on clean units
    for sid, got in notes.items():
        r = tdoc.result(sid)
        assert len(got) == len(r.term_violations) + len(r.findings)
        assert [n for n in got if n.startswith("QA ")] == [
            f"QA {f.severity} [{f.check}]: {f.message}" for f in r.findings
        ]
    assert notes["p1.s1"] == []


# --- content: escaping, control characters, full-width punctuation ------------------------


def test_markup_characters_escaped_and_round_trip(tmp_path, tdoc):
    out, tree = write_and_parse(tmp_path, tdoc)
    raw = out.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw and "A &amp; B" in raw
    tu = tu_by_id(tree)["p5.s1"]
    assert seg_text(tu, "zh-CN") == 'A & B <script>alert("x")</script> 未译 <b>粗体</b>'
    assert tu.find("tuv/seg").findall("*") == []  # text, not elements


def test_control_characters_removed(tmp_path, tdoc):
    out, tree = write_and_parse(tmp_path, tdoc)
    tu = tu_by_id(tree)["p6.s1"]
    assert seg_text(tu, "zh-CN") == "控制字符网信办结束。"
    target = seg_text(tu, "en")
    assert "CAC" in target
    assert not regex.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", out.read_text("utf-8"))


def test_full_width_punctuation_kept(tmp_path, tdoc):
    _, tree = write_and_parse(tmp_path, tdoc)
    src = seg_text(tu_by_id(tree)["p3.s1"], "zh-CN")
    assert src == "关键信息基础设施运营者（试行）：“第一条”；共5.64亿用户？"
    tgt = seg_text(tu_by_id(tree)["p3.s1"], "en")
    assert "（" in tgt and "“" in tgt and "；" in tgt and "5.64" in tgt


def test_empty_document(tmp_path, glossary_file):
    doc = Document("empty.txt", "txt", ())
    td = translate_document(doc, HanEngine(), Glossary.load([glossary_file]))
    _, tree = write_and_parse(tmp_path, td)
    assert etree.DTD(str(DTD_PATH)).validate(tree)
    assert tree.getroot().findall("body/tu") == []
    hp = dict(props(tree.getroot().find("header")))
    assert hp["x-bitext-segments"] == "0" and hp["x-bitext-term-success"] == "n/a"


# --- gist, translation memory ---------------------------------------------------------------


def test_gist_engine_is_labelled(tmp_path, glossary_file):
    td = translate_document(sample_document(), GistEngine(), Glossary.load([glossary_file]))
    _, tree = write_and_parse(tmp_path, td)
    header = tree.getroot().find("header")
    assert dict(props(header))["x-bitext-gist"] == "true"
    assert any("word-by-word gist, not a translation" in n.text for n in header.findall("note"))
    for tu in tree.getroot().iterfind("body/tu"):
        assert dict(props(tu))["x-origin"] == "gist"
    assert etree.DTD(str(DTD_PATH)).validate(tree)


def test_translation_memory_matches_recorded(tmp_path, glossary_file):
    tm = DictMemory(
        {"企业应当保护个人信息！": "Companies shall protect personal information!"},
        {"网信办发布通知": [(0.82, "网信办发布公告", "CAC issues announcement & <notice>")]},
    )
    td = translate_document(sample_document(), HanEngine(), Glossary.load([glossary_file]),
                            tm=tm, tm_fuzzy=0.75)
    _, tree = write_and_parse(tmp_path, td)
    tus = tu_by_id(tree)
    p = dict(props(tus["p2.s2"]))
    assert p["x-origin"] == "tm" and p["x-tm-match"] == "exact"
    assert seg_text(tus["p2.s2"], "en") == "Companies shall protect personal information!"
    fz = [v for t, v in props(tus["p1.s1"]) if t == "x-tm-fuzzy"]
    assert fz == ["0.82: 网信办发布公告 → CAC issues announcement & <notice>"]
    assert dict(props(tree.getroot().find("header")))["x-bitext-tm-exact"] == "1"
    assert etree.DTD(str(DTD_PATH)).validate(tree)


# --- atomicity, interoperability ----------------------------------------------------------------


def test_failed_write_leaves_earlier_file(tmp_path, tdoc):
    out = tmp_path / "out.tmx"
    out.write_text("earlier", encoding="utf-8")
    from dataclasses import replace

    bad_results = dict(tdoc.results)
    bad_results["p3.s1"] = replace(bad_results["p3.s1"], target=None)  # type: ignore[arg-type]
    broken = TranslatedDocument(tdoc.document, bad_results, tdoc.info)
    with pytest.raises(TypeError):
        tmx_writer.write(out, broken)
    assert out.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_parses_with_translate_toolkit(tmp_path, tdoc):
    ttk_tmx = pytest.importorskip("translate.storage.tmx")
    out, _ = write_and_parse(tmp_path, tdoc)
    store = ttk_tmx.tmxfile.parsestring(out.read_bytes())
    units = [u for u in store.units if not u.isheader()]
    assert [u.source for u in units] == [
        "网信办发布通知", "网信办负责数据安全法的实施。", "企业应当保护个人信息！",
        "关键信息基础设施运营者（试行）：“第一条”；共5.64亿用户？",
        'A & B <script>alert("x")</script> 未译 <b>粗体</b>', "控制字符网信办结束。",
    ]
    assert [u.target for u in units] == [
        tdoc.result(s.id).target.replace("\x01", "").replace("\x0b", "").replace("\x1f", "")
        .replace("\ufffe", "")
        for s in tdoc.document.segments
    ]
    assert "term violation" in units[1].getnotes()


def test_new_file_gets_normal_permissions(tmp_path, tdoc):
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    out, _ = write_and_parse(tmp_path, tdoc)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600
