"""XLIFF 1.2 / 2.0 pre-translation: reader, inline-tag placement, writer, CLI round trip."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bitext.cli.main import cli
from bitext.errors import FormatError
from bitext.readers.xliff import Token, XliffSource, plain_text, read, tokenize
from bitext.terms.glossary import GlossaryEntry, TermHit
from bitext.tm import TranslationMemory
from bitext.writers.xliff import _well_formed, fill, place_tags

DATA = Path(__file__).parents[1] / "data" / "xliff"
X12 = DATA / "sample-1.2.xlf"
X20 = DATA / "sample-2.0.xlf"
NS12 = "{urn:oasis:names:tc:xliff:document:1.2}"
NS20 = "{urn:oasis:names:tc:xliff:document:2.0}"


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def local(el) -> str:
    return etree.QName(el).localname


def tags(el) -> list[tuple[str, str | None]]:
    """Inline elements in document order with their ids."""
    return [
        (local(c), c.get("id") or c.get("startRef") or c.get("rid"))
        for c in el.iter()
        if c is not el and isinstance(c.tag, str)
    ]


def units(path: Path, ns: str = NS12) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {u.get("id"): u for u in root.iter(f"{ns}trans-unit")}


# --------------------------------------------------------------------------- reader

def test_reader_1_2_blocks_and_skips() -> None:
    doc = read(X12)
    assert doc.format == "xliff"
    assert doc.metadata["xliff_version"] == "1.2"
    ids = doc.metadata["unit_ids"]
    assert sorted(ids.values()) == sorted(["title", "g1", "x1", "ph1", "bpt1", "bx1", "nested", "redo",
                                           "final1", "signed"])
    kinds = {doc.blocks[i].id: doc.blocks[i].kind for i in range(len(doc.blocks))}
    assert len(kinds) == 13
    by_unit = {v: k for k, v in ids.items()}
    seg = {s.id: s for s in doc.segments}
    assert seg[by_unit["g1"]].text == "根据《中华人民共和国网络安全法》，制定本办法。"
    assert seg[by_unit["ph1"]].text == "点击下载 GB/T 22239-2019 标准。"  # native code not in text
    assert all(s.id == ids[s.id] for s in doc.segments)  # segment id = XLIFF unit id (TMX tuid)
    # final and signed-off units come with their reviewed target, locked
    locked = {s.text: s.locked_target for s in doc.segments if s.locked_target is not None}
    assert set(locked) == {"本办法自发布之日起施行。", "国家网信办负责统筹协调。"}
    assert seg["final1"].locked_target and seg["signed"].locked_target
    passthrough = [b.text for b in doc.blocks if b.kind == "passthrough"]
    assert "不要翻译这一句。" in passthrough  # group translate="no"
    assert "ACME-2024" in passthrough


def test_reader_overwrite_offers_finished_units() -> None:
    doc = read(X12, overwrite=True)
    texts = [s.text for s in doc.segments]
    assert "本办法自发布之日起施行。" in texts and "国家网信办负责统筹协调。" in texts
    assert "不要翻译这一句。" not in texts and "ACME-2024" not in texts  # translate="no" always wins


def test_reader_2_0_segments() -> None:
    doc = read(X20)
    assert doc.metadata["xliff_version"] == "2.0"
    # ids: the unit id, or unit/segment for a unit with several segments
    assert [(s.id, doc.metadata["unit_ids"][s.id], s.locked_target is not None) for s in doc.segments] == [
        ("u1", "u1", False), ("u2/s2", "u2", False), ("u2/s3", "u2", True), ("u3", "u3", False),
        ("u5", "u5", True),
    ]
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 3 + ["passthrough", "paragraph"]
    over = read(X20, overwrite=True)
    assert [s.id for s in over.segments] == ["u1", "u2/s2", "u2/s3", "u3", "u5"]
    assert all(s.locked_target is None for s in over.segments)


@pytest.mark.parametrize(
    "xml, message",
    [
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><xliff version="1.2">&e;</xliff>', "entities"),
        ("<xliff version='1.2'><file><body><trans-unit>", "malformed"),
        ("<html/>", "not an XLIFF"),
        ("<xliff version='3.0'/>", "unsupported"),
    ],
)
def test_reader_refuses(tmp_path: Path, xml: str, message: str) -> None:
    p = tmp_path / "bad.xlf"
    p.write_text(xml, encoding="utf-8")
    with pytest.raises(FormatError, match=message):
        read(p)


def test_reader_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file"):
        read(tmp_path / "none.xlf")


def test_tokenize_pairs_bpt_ept_and_lone_halves() -> None:
    src = etree.fromstring(
        '<source><bpt id="1">&lt;b&gt;</bpt>粗体<ept id="1">&lt;/b&gt;</ept>'
        '<bpt id="9">&lt;i&gt;</bpt>孤立<g id="2">嵌<x id="3"/>套</g></source>'
    )
    toks = tokenize(src, 1)
    assert plain_text(toks) == "粗体孤立嵌套"
    solo = [t for t in toks if t.kind == "solo"]
    assert [(t.role, t.pair is not None) for t in solo] == [
        ("start", True), ("end", True), ("", False), ("", False),
    ]
    assert [t.kind for t in toks if t.kind in ("open", "close")] == ["open", "close"]


# --------------------------------------------------------------------------- placement

def _hit(src: str, term: str, target: str) -> TermHit:
    i = src.index(term)
    return TermHit(i, i + len(term), GlossaryEntry(term, target))


def _render(tokens: list[Token]) -> str:
    el = etree.Element("target")
    fill(el, tokens)
    return etree.tostring(el, encoding="unicode")


@pytest.mark.parametrize(
    "source_xml, target, hits, expected",
    [
        # paired tag around a glossary term wraps its English
        ('<source>根据<g id="1">网络安全法</g>制定。</source>', "Formulated under the Cybersecurity Law.",
         [("网络安全法", "Cybersecurity Law")],
         '<target>Formulated under the <g id="1">Cybersecurity Law</g>.</target>'),
        # paired tag around Latin text wraps the same text
        ('<source>下载<g id="1">GB/T 22239</g>标准。</source>', "Download the GB/T 22239 standard.", [],
         '<target>Download the <g id="1">GB/T 22239</g> standard.</target>'),
        # a tag wrapping the whole sentence wraps the whole translation
        ('<source><g id="1">数据安全。</g></source>', "Data security.", [],
         '<target><g id="1">Data security.</g></target>'),
        # standalone tag after a sentence end follows the English sentence end
        ('<source>第一句。<x id="1"/>第二句。</source>', "First sentence. Second one.", [],
         '<target>First sentence.<x id="1"/> Second one.</target>'),
        # standalone tags at the edges stay at the edges
        ('<source><x id="1"/>你好<x id="2"/></source>', "Hello", [],
         '<target><x id="1"/>Hello<x id="2"/></target>'),
        # a tag right after a term follows its English
        ('<source>网信办<ph id="1">[1]</ph>负责。</source>', "The CAC is responsible.",
         [("网信办", "CAC")], '<target>The CAC<ph id="1">[1]</ph> is responsible.</target>'),
        # a paired tag inside a sentence wraps a whole word, never nothing
        ('<source>数据<g id="1">安</g>全法律</source>', "Data security law", [],
         '<target>Data <g id="1">security</g> law</target>'),
        # no tags: plain text
        ("<source>你好。</source>", "Hello.", [], "<target>Hello.</target>"),
        # a long Latin code before the tag does not skew its position; the quotes stay inside
        ('<source>GB/T 22239-2019<g id="1">《信息安全技术》</g>标准。</source>',
         'GB/T 22239-2019 "information security technology" standard.', [],
         '<target>GB/T 22239-2019 <g id="1">"information security technology"</g> standard.</target>'),
    ],
)
def test_place_tags_cases(source_xml: str, target: str, hits: list, expected: str) -> None:
    src = etree.fromstring(source_xml)
    toks = tokenize(src, 1)
    text = plain_text(toks)
    got = place_tags(toks, 0, text, target, [_hit(text, a, b) for a, b in hits])
    assert _render(got) == expected


def test_place_tags_reordered_terms_stay_well_formed() -> None:
    src = etree.fromstring('<source><g id="1">国家网信办</g>的<g id="2">数据安全</g>工作</source>')
    toks = tokenize(src, 1)
    text = plain_text(toks)
    hits = [_hit(text, "国家网信办", "Cyberspace Administration of China"),
            _hit(text, "数据安全", "data security")]
    got = place_tags(toks, 0, text, "The data security work of the Cyberspace Administration of China", hits)
    out = _render(got)
    assert '<g id="2">data security</g>' in out
    assert '<g id="1">Cyberspace Administration of China</g>' in out


def test_place_tags_random_structures_never_lose_tags() -> None:
    rng = random.Random(3)
    words = ["网络", "安全", "数据", "保护", "法律", "义务"]
    for _ in range(300):
        counter = [0]

        def gen(depth: int, counter: list[int] = counter) -> str:
            parts = []
            for _ in range(rng.randint(1, 4)):
                r = rng.random()
                counter[0] += 1
                i = counter[0]
                if r < 0.25 and depth < 3:
                    parts.append(f'<g id="{i}">{gen(depth + 1)}</g>')
                elif r < 0.4:
                    parts.append(f'<x id="{i}"/>')
                elif r < 0.5:
                    parts.append(f'<bpt id="{i}">&lt;b&gt;</bpt>{rng.choice(words)}<ept id="{i}">&lt;/b&gt;</ept>')
                else:
                    parts.append(rng.choice(words))
            return "".join(parts)

        src = etree.fromstring(f"<source>{gen(0)}</source>")
        toks = tokenize(src, 1)
        text = plain_text(toks)
        target = " ".join(rng.choice(["network", "security", "data", "law", "duty."]) for _ in range(rng.randint(0, 6)))
        placed = place_tags(toks, 0, text.strip(), target, [])
        assert _well_formed([(0, i, t) for i, t in enumerate(placed)])
        el = etree.Element("source")
        fill(el, placed)
        assert sorted(map(str, tags(el))) == sorted(map(str, tags(src)))
        assert plain_text(tokenize(el, 1)) == target


# --------------------------------------------------------------------------- writer via the CLI

@pytest.fixture(scope="module")
def out12(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("x12") / "out.xlf"
    res = invoke("translate", X12, "--out", out, "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.output
    return out


def test_translated_units_get_targets_with_the_same_tags(out12: Path) -> None:
    before, after = units(X12), units(out12)
    for uid in ["title", "g1", "x1", "ph1", "bpt1", "bx1", "nested", "redo"]:
        tgt = after[uid].find(f"{NS12}target")
        assert tgt is not None, uid
        assert tgt.get("state") == "needs-translation"  # a gloss-engine gist is no translation
        assert tgt.get("state-qualifier") == "mt-suggestion"
        assert tgt.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        src_tags = tags(before[uid].find(f"{NS12}source"))
        assert sorted(map(str, tags(tgt))) == sorted(map(str, src_tags)), uid
        assert "".join(tgt.itertext()).strip(), uid
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(
            t for t in tgt.xpath(".//text()[not(ancestor::*[local-name()='ph' or local-name()='bpt' or local-name()='ept'])]")
        )), uid
        # the target follows the source
        kids = [local(c) for c in after[uid] if isinstance(c.tag, str)]
        assert kids.index("target") == kids.index("source") + 1
    g = after["g1"].find(f"{NS12}target/{NS12}g")
    assert "Cybersecurity Law" in (g.text or "")
    assert after["redo"].find(f"{NS12}target").text != "old draft"


def test_final_and_untranslatable_units_untouched(out12: Path) -> None:
    before, after = units(X12), units(out12)
    for uid in ["final1", "signed", "no1", "no2", "empty"]:
        assert etree.tostring(before[uid]) == etree.tostring(after[uid]), uid


def test_output_parses_and_keeps_header(out12: Path) -> None:
    root = etree.parse(str(out12)).getroot()
    assert root.get("version") == "1.2"
    assert root.find(f"{NS12}file/{NS12}header/{NS12}tool") is not None


def test_overwrite_retranslates_final(tmp_path: Path) -> None:
    out = tmp_path / "o.xlf"
    res = invoke("translate", X12, "--out", out, "--engine", "gloss", "-q", "--overwrite")
    assert res.exit_code == 0
    t = units(out)["final1"].find(f"{NS12}target")
    assert t.get("state") == "needs-translation"  # gist
    assert units(out)["no1"].find(f"{NS12}target") is None


def test_default_outputs_for_xliff(tmp_path: Path) -> None:
    res = invoke("translate", X12, "-o", tmp_path, "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "sample-1.2.en.xlf").exists()
    assert (tmp_path / "sample-1.2.tmx").exists()


def test_memory_applies_to_xliff(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db) as tm:
        tm.add("数据出境安全评估。", "Security assessment of outbound data transfers (TM).")
        tm.add("网络运营者应当履行安全保护义务和责任。", "Network operators shall fulfil duties (TM).")
    out = tmp_path / "o.xlf"
    res = invoke("translate", X12, "--out", out, "--engine", "gloss", "--tm", db, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["stats"]["tm_exact"] == 1
    u = units(out)
    t = u["redo"].find(f"{NS12}target")
    assert t.text == "Security assessment of outbound data transfers (TM)."
    assert t.get("state-qualifier") == "exact-match"
    alt = u["bx1"].find(f"{NS12}alt-trans")
    assert alt is not None and alt.get("origin") == "bitext-tm"
    assert int(alt.get("match-quality")) >= 75
    assert alt.findtext(f"{NS12}target") == "Network operators shall fulfil duties (TM)."
    # translating the output again replaces bitext's annotations instead of piling them up
    out2 = tmp_path / "o2.xlf"
    res = invoke("translate", out, "--out", out2, "--engine", "gloss", "--tm", db, "-q")
    assert res.exit_code == 0
    assert len(units(out2)["bx1"].findall(f"{NS12}alt-trans")) == 1
    assert len(units(out2)["bx1"].findall(f"{NS12}target")) == 1


def test_xliff_2_0(tmp_path: Path) -> None:
    out = tmp_path / "o.xlf"
    res = invoke("translate", X20, "--out", out, "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.output
    root = etree.parse(str(out)).getroot()
    assert root.get("trgLang") == "en"
    segs = {s.get("id"): s for s in root.iter(f"{NS20}segment")}
    src_root = etree.parse(str(X20)).getroot()
    before = {s.get("id"): s for s in src_root.iter(f"{NS20}segment")}
    for sid in ["s1", "s2", "s4"]:
        assert segs[sid].get("state") == "initial"  # a gloss-engine gist is no translation
        assert segs[sid].get("subState") == "bitext:gist"
        tgt = segs[sid].find(f"{NS20}target")
        assert tags(tgt) == tags(before[sid].find(f"{NS20}source")), sid
    assert "Cybersecurity Law" in segs["s1"].find(f"{NS20}target/{NS20}pc").text
    for sid in ["s3", "s5", "s6"]:
        assert etree.tostring(segs[sid]) == etree.tostring(before[sid]), sid


def test_indentation_of_a_unit_stays_before_its_english(tmp_path: Path) -> None:
    """A unit (1.2) or segment (2.0) whose source opens with ideographic spaces (a law's
    ``　　第一条…`` converted line by line) keeps them before its English, as the other document
    formats do; plain spaces are not carried."""
    x12 = tmp_path / "i.xlf"
    x12.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
                   'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="zh-CN" '
                   'datatype="plaintext" original="a.txt"><body>'
                   '<trans-unit id="1"><source>　　第一条 为了保障网络安全。</source></trans-unit>'
                   '<trans-unit id="2"><source>  第二条 本法适用。</source></trans-unit>'
                   "</body></file></xliff>", encoding="utf-8")
    x20 = tmp_path / "i2.xlf"
    x20.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="2.0" '
                   'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="zh-CN"><file id="f">'
                   '<unit id="u"><segment id="s"><source>　　第三条 国家。</source></segment></unit>'
                   "</file></xliff>", encoding="utf-8")
    for src, ns, want in ((x12, NS12, ["\u3000\u3000Article 1", "Article 2"]), (x20, NS20, ["\u3000\u3000Article 3"])):
        out = tmp_path / ("o-" + src.name)
        res = invoke("translate", src, "--out", out, "--engine", "gloss", "-q")
        assert res.exit_code == 0, res.output
        targets = ["".join(t.itertext()) for t in etree.parse(str(out)).getroot().iter(f"{ns}target")]
        assert [t[: len(w)] for t, w in zip(targets, want)] == want, targets


def test_escaping_and_control_characters(tmp_path: Path) -> None:
    p = tmp_path / "esc.xlf"
    p.write_text(
        '<?xml version="1.0"?><xliff version="1.2"><file source-language="zh" datatype="plaintext" '
        'original="x"><body><trans-unit id="1"><source>A&amp;B &lt;C&gt; 数据</source></trans-unit>'
        "</body></file></xliff>",
        encoding="utf-8",
    )
    out = tmp_path / "o.xlf"
    res = invoke("translate", p, "--out", out, "--engine", "gloss", "-q")
    assert res.exit_code == 0
    root = etree.parse(str(out)).getroot()
    assert root.find("file").get("target-language") == "en"
    t = root.find("file/body/trans-unit/target")
    assert "A&B <C>" in t.text


def test_bad_xliff_is_exit_1(tmp_path: Path) -> None:
    from bitext.cli.main import main

    p = tmp_path / "bad.xlf"
    p.write_text("<xliff version='1.2'><file>", encoding="utf-8")
    out = tmp_path / "o.xlf"
    out.write_text("earlier", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["translate", str(p), "--out", str(out), "--engine", "gloss", "-q"])
    assert exc.value.code == 1
    assert out.read_text(encoding="utf-8") == "earlier"


def test_writer_needs_reader_document(tmp_path: Path) -> None:
    from bitext.document import Document, RunInfo, TranslatedDocument
    from bitext.writers.xliff import write

    info = RunInfo("0", "gloss", "gloss", True, (), "", "20260101T000000Z")
    with pytest.raises(FormatError):
        write(tmp_path / "x.xlf", TranslatedDocument(Document(None, "xliff", ()), {}, info))
    assert isinstance(read(X12).source, XliffSource)


def test_source_tree_not_modified(tmp_path: Path) -> None:
    from bitext.engines import create_engine
    from bitext.pipeline import translate_document
    from bitext.writers.xliff import write

    shutil.copy(X12, tmp_path / "in.xlf")
    doc = read(tmp_path / "in.xlf")
    tdoc = translate_document(doc, create_engine("gloss"))
    write(tmp_path / "a.xlf", tdoc)
    write(tmp_path / "b.xlf", tdoc)
    assert (tmp_path / "a.xlf").read_bytes() == (tmp_path / "b.xlf").read_bytes()


def test_pre_segmented_units_mirror_seg_source(tmp_path: Path) -> None:
    src = DATA / "segmented-1.2.xlf"
    doc = read(src)
    assert [(s.id, s.text) for s in doc.segments] == [
        ("tu1/0", "数据出境安全评估。"), ("tu1/1", "网络运营者应当履行安全保护义务。"),
        ("tu2/0", "本办法自发布之日起施行。"),  # reviewed: locked
    ]
    assert [s.locked_target is not None for s in doc.segments] == [False, False, True]
    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db) as tm:
        tm.add("数据出境安全评估。", "Security assessment of outbound data (TM).")
    out = tmp_path / "o.xlf"
    res = invoke("translate", src, "--out", out, "--engine", "gloss", "--tm", db, "-q")
    assert res.exit_code == 0, res.output
    before, after = units(src), units(out)
    t = after["tu1"].find(f"{NS12}target")
    assert t.get("state") == "needs-translation"  # one segment is a gist
    assert t.get("state-qualifier") == "mt-suggestion"  # one segment from memory, one not
    kids = [(local(c), c.get("mid") or c.get("id")) for c in t]
    assert kids == [("mrk", "0"), ("x", "1"), ("mrk", "1")]
    assert t[0].text == "Security assessment of outbound data (TM)."
    assert t[2].text and not any("\u4e00" <= ch <= "\u9fff" for ch in t[2].text)
    assert etree.tostring(before["tu2"]) == etree.tostring(after["tu2"])
    # translate-toolkit still reads it
    xliff = pytest.importorskip("translate.storage.xliff")
    store = xliff.xlifffile.parsefile(str(out))
    assert "Security assessment of outbound data (TM)." in store.units[0].target


# --------------------------------------------------------------------------- CAT-tool style input

CAT_12 = """<?xml version='1.0' encoding='utf-8'?>
<!-- written by a memoQ-like tool -->
<xlf:xliff xmlns:xlf='urn:oasis:names:tc:xliff:document:1.2' xmlns:mq='MQXliff' version='1.2'>
  <xlf:file original='a.docx' source-language='zh-CN' datatype='plaintext'>
    <xlf:body>
      <xlf:group id='grp'>
        <xlf:trans-unit id='done' mq:status='Confirmed'>
          <xlf:source xml:space='preserve'>网络&#x00A0;安全<xlf:x id='1' ctype="x-tab" /><![CDATA[<原始>]]>数据<!-- c -->保护</xlf:source>
          <xlf:target state="final" xml:lang='en'>Done &apos;quoted&apos; &#x263A; <xlf:x id='1' /></xlf:target>
        </xlf:trans-unit>
        <xlf:trans-unit id='new'>
          <xlf:source>国家<xlf:g id='1'>鼓励<xlf:g id='2'>数据</xlf:g></xlf:g>开发利用<xlf:x id='3'/>。</xlf:source>
          <xlf:target state='needs-translation'/>
        </xlf:trans-unit>
        <xlf:trans-unit id='signed'>
          <xlf:source>已签发。</xlf:source>
          <xlf:target state = "signed-off" >Signed off.</xlf:target>
        </xlf:trans-unit>
      </xlf:group>
    </xlf:body>
  </xlf:file>
</xlf:xliff>
"""


def _raw_unit(text: str, uid: str) -> str:
    start = text.index(f"<xlf:trans-unit id='{uid}'")
    return text[start : text.index("</xlf:trans-unit>", start)]


@pytest.mark.parametrize("encoding,newline", [("utf-8", "\n"), ("utf-8", "\r\n"), ("utf-16", "\n")])
def test_prefixed_namespace_and_untouched_units_byte_identical(
    tmp_path: Path, encoding: str, newline: str
) -> None:
    text = CAT_12.replace("encoding='utf-8'", f"encoding='{encoding}'").replace("\n", newline)
    src = tmp_path / "cat.xlf"
    src.write_bytes(text.encode(encoding))
    out = tmp_path / "out.xlf"
    res = invoke("translate", src, "--out", out, "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.output
    got = out.read_bytes().decode(encoding)
    assert got.startswith(text[: text.index("<xlf:file")])  # declaration, comment, root as written
    for uid in ("done", "signed"):
        assert _raw_unit(got, uid) == _raw_unit(text, uid)
    root = etree.fromstring(out.read_bytes())
    u = {x.get("id"): x for x in root.iter(f"{NS12}trans-unit")}
    tgt = u["new"].find(f"{NS12}target")
    assert tgt.get("state") == "needs-translation"  # gist
    assert tags(tgt) == tags(u["new"].find(f"{NS12}source"))
    assert root.find(f"{NS12}file").get("target-language") == "en"
    xliff = pytest.importorskip("translate.storage.xliff")
    store = xliff.xlifffile.parsefile(str(out))
    assert len(store.units) == 3 and store.units[1].target


SDL = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
<file original="notice.docx" datatype="x-sdlfilterframework2" source-language="zh-CN" target-language="en-US">
<body>
<trans-unit id="mixed">
<source>数据安全。<g id="5">个人信息</g>保护。网络安全。</source>
<seg-source><mrk mtype="seg" mid="1">数据安全。</mrk><mrk mtype="seg" mid="2"><g id="5">个人信息</g>保护。</mrk><mrk mtype="seg" mid="3">网络安全。</mrk></seg-source>
<target><mrk mtype="seg" mid="1">Data security (human).</mrk><mrk mtype="seg" mid="2"><g id="5"></g></mrk><mrk mtype="seg" mid="3">网络安全。</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="Translated"/><sdl:seg id="2"/><sdl:seg id="3"/></sdl:seg-defs>
</trans-unit>
<trans-unit id="locked">
<source>锁定。</source>
<seg-source><mrk mtype="seg" mid="4">锁定。</mrk></seg-source>
<target><mrk mtype="seg" mid="4">锁定。</mrk></target>
<sdl:seg-defs><sdl:seg id="4" locked="true"/></sdl:seg-defs>
</trans-unit>
<trans-unit id="copied">
<source>网络安全。</source>
<target>网络安全。</target>
</trans-unit>
</body>
</file>
</xliff>
"""


def test_trados_style_segments_decided_one_by_one(tmp_path: Path) -> None:
    src = tmp_path / "notice.sdlxliff"
    src.write_text(SDL, encoding="utf-8")
    res = invoke("translate", src, "-o", tmp_path / "out", "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.output
    out = tmp_path / "out" / "notice.en.sdlxliff"
    u = units(out)
    mrks = {m.get("mid"): m for m in u["mixed"].find(f"{NS12}target")}
    assert mrks["1"].text == "Data security (human)."  # translated segment kept
    assert mrks["1"].tail == " " and mrks["2"].tail == " "  # English sentences not glued
    assert mrks["2"].find(f"{NS12}g").get("id") == "5" and "".join(mrks["2"].itertext()).strip()
    assert "网络" not in "".join(mrks["3"].itertext())  # a copy of the source is not a translation
    assert "".join(u["locked"].find(f"{NS12}target").itertext()) == "锁定。"
    t = u["copied"].find(f"{NS12}target")
    assert t.get("state") == "needs-translation" and "网络" not in t.text


def test_xliff_2_0_untouched_segments_byte_identical(tmp_path: Path) -> None:
    text = X20.read_text(encoding="utf-8")
    src = tmp_path / "in.xlf"
    src.write_text(text.replace('state="final"', "state = 'final'"), encoding="utf-8")
    out = tmp_path / "o.xlf"
    res = invoke("translate", src, "--out", out, "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.output
    before, after = src.read_text(encoding="utf-8"), out.read_text(encoding="utf-8")
    i = before.index("state = 'final'")
    start, end = before.rindex("<segment", 0, i), before.index("</segment>", i)
    assert before[start:end] in after
    head = before[: before.index("<file")]
    assert after.startswith(head.replace('srcLang="zh-CN">', 'srcLang="zh-CN" trgLang="en">'))


def test_protected_inline_text_is_copied_not_translated(tmp_path: Path) -> None:
    """XLIFF's own "do not translate" inside a segment (2.0 ``<mrk translate="no">``, 1.2
    ``<mrk mtype="protected">``) was translated (``网信办`` → ``CAC``). Its text now comes
    through byte for byte, between its own tags; the TMX source stays the whole sentence."""
    x20 = tmp_path / "p20.xlf"
    x20.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'version="2.0" srcLang="zh-CN" trgLang="en"><file id="f"><unit id="u1"><segment><source>'
        '本法由<mrk id="m1" translate="no">网信办</mrk>负责解释，详见<pc id="1">第三条</pc>。'
        "</source></segment></unit></file></xliff>\n", encoding="utf-8")
    x12 = tmp_path / "p12.xlf"
    x12.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" '
        'source-language="zh-CN" target-language="en" datatype="plaintext"><body><trans-unit id="1">'
        '<source>请联系<mrk mtype="protected">网信办</mrk>获取<g id="1">详细信息</g>。</source>'
        "</trans-unit></body></file></xliff>\n", encoding="utf-8")
    for src, kept in ((x20, '<mrk id="m1" translate="no">网信办</mrk>'), (x12, '<mrk mtype="protected">网信办</mrk>')):
        out, tmx = tmp_path / f"{src.stem}.en.xlf", tmp_path / f"{src.stem}.tmx"
        res = invoke("translate", src, "--engine", "gloss", "--out", out, "--tmx", tmx, "-q")
        assert res.exit_code == 0, res.output
        root = etree.parse(str(out)).getroot()
        target = next(el for el in root.iter() if local(el) == "target")
        xml = etree.tostring(target, encoding="unicode")
        assert kept in xml and "CAC" not in xml, xml
        segs = ["".join(s.itertext()) for s in etree.parse(str(tmx)).getroot().iter("seg")]
        assert segs[0].startswith(("本法由网信办负责解释", "请联系网信办获取")), segs
