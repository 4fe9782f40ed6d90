"""``bitext tm …`` commands and ``bitext translate --tm`` through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bitext.cli.main import cli
from bitext.document import Block, Document, Segment
from bitext.engines.base import Engine, Translation
from bitext.pipeline import translate_document
from bitext.tm import TranslationMemory

DTD = etree.DTD(str(Path(__file__).parents[1].joinpath("tmx14.dtd")))

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
        srclang="zh-CN" datatype="plaintext"/>
<body>
<tu tuid="1" creationdate="20220202T020202Z"><prop type="x-domain">law</prop>
  <tuv xml:lang="zh-CN"><seg>国家网信办负责统筹协调网络安全工作。</seg></tuv>
  <tuv xml:lang="en-US"><seg>The CAC  is responsible for coordinating cybersecurity work (TM).</seg></tuv></tu>
<tu tuid="2">
  <tuv xml:lang="zh-CN"><seg>个人信息处理者应当采取必要措施保障数据安全。</seg></tuv>
  <tuv xml:lang="en"><seg>Personal information handlers shall take necessary measures (TM).</seg></tuv></tu>
<tu tuid="3">
  <tuv xml:lang="zh-CN"><seg>个人信息处理者应当采取必要措施保障数据安全。</seg></tuv>
  <tuv xml:lang="en"><seg>Personal information handlers shall take necessary measures (TM).</seg></tuv></tu>
<tu tuid="4">
  <tuv xml:lang="fr"><seg>Bonjour.</seg></tuv>
  <tuv xml:lang="en"><seg>Hello.</seg></tuv></tu>
</body>
</tmx>
"""


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    tmx = tmp_path / "mem.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    path = tmp_path / "tm.sqlite"
    res = invoke("tm", "import", tmx, "--db", path, "--json")
    assert res.exit_code == 0, res.output
    return path


def test_import_json_counts(tmp_path: Path) -> None:
    tmx = tmp_path / "mem.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    other = tmp_path / "other.tmx"
    other.write_text(TMX.replace("(TM)", "(v2)"), encoding="utf-8")
    res = invoke("tm", "import", tmx, other, "--db", tmp_path / "tm.sqlite", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["read"], data["added"], data["merged"], data["skipped"]) == (8, 4, 2, 2)
    assert data["units"] == 4
    assert [f["added"] for f in data["files"]] == [2, 2]
    assert data["db"] == str(tmp_path / "tm.sqlite")


def test_import_human_message(tmp_path: Path) -> None:
    tmx = tmp_path / "mem.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    res = invoke("tm", "import", tmx, "--db", tmp_path / "tm.sqlite")
    assert res.exit_code == 0
    assert "2 units added, 1 duplicates merged, 1 skipped" in res.stderr
    assert res.stdout == ""


def test_lookup_exact_prints_target_verbatim(db: Path) -> None:
    res = invoke("tm", "lookup", "--db", db, "国家网信办负责统筹协调网络安全工作.")
    assert res.exit_code == 0
    assert res.stdout == "The CAC  is responsible for coordinating cybersecurity work (TM).\n"


def test_lookup_fuzzy_json(db: Path) -> None:
    res = invoke("tm", "lookup", "--db", db, "国家网信办负责协调网络安全工作。", "--fuzzy", "0.75", "--json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["exact"] is None
    assert len(data["fuzzy"]) == 1
    m = data["fuzzy"][0]
    assert m["source"] == "国家网信办负责统筹协调网络安全工作。"
    assert 0.75 <= m["similarity"] < 1


def test_lookup_fuzzy_text_and_no_match(db: Path) -> None:
    res = invoke("tm", "lookup", "--db", db, "国家网信办负责协调网络安全工作。", "--fuzzy", "0.75")
    assert res.exit_code == 0
    sim, src, tgt = res.stdout.rstrip("\n").split("\t")
    assert float(sim) >= 0.75 and src.startswith("国家网信办") and tgt.endswith("(TM).")
    res = invoke("tm", "lookup", "--db", db, "完全不同的一句话。")
    assert res.exit_code == 0 and res.stdout == "" and "no match" in res.stderr


def test_export_is_dtd_valid(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "export.tmx"
    res = invoke("tm", "export", "--db", db, out, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["units"] == 2
    tree = etree.parse(str(out))
    assert DTD.validate(tree), DTD.error_log.filter_from_errors()
    tus = tree.getroot().findall("body/tu")
    assert tus[0].get("creationdate") == "20220202T020202Z"
    assert tus[0].findtext("prop") == "law"
    assert tus[0].findall("tuv")[1].get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"


def test_stats_json(db: Path) -> None:
    res = invoke("tm", "stats", "--db", db, "--json")
    assert res.exit_code == 0
    st = json.loads(res.stdout)
    assert st["units"] == 2 and st["distinct_sources"] == 2
    res = invoke("tm", "stats", "--db", db)
    assert "units:" in res.stdout and "2" in res.stdout


@pytest.mark.parametrize("cmd", [["stats"], ["lookup", "你好"], ["export", "x.tmx"]])
def test_missing_memory_is_exit_1(tmp_path: Path, cmd: list[str]) -> None:
    from bitext.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["tm", *cmd, "--db", str(tmp_path / "none.sqlite")])
    assert exc.value.code == 1
    assert not (tmp_path / "none.sqlite").exists()


def test_bad_tmx_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bitext.cli.main import main

    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["tm", "import", str(bad), "--db", str(tmp_path / "tm.sqlite")])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("bitext: error:") and err.count("\n") == 1


def test_usage_errors_are_exit_2(tmp_path: Path) -> None:
    assert invoke("tm", "import", "--db", tmp_path / "x.sqlite").exit_code == 2
    assert invoke("tm", "lookup", "x", "--fuzzy", "2").exit_code == 2


@pytest.mark.parametrize("sub", ["import", "export", "lookup", "stats"])
def test_help_has_examples(sub: str) -> None:
    res = invoke("tm", sub, "--help")
    assert res.exit_code == 0 and "Examples:" in res.output


def test_default_db_in_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    tmx = tmp_path / "mem.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    assert invoke("tm", "import", tmx).exit_code == 0
    assert (tmp_path / "xdg" / "bitext" / "tm.sqlite").exists()
    res = invoke("tm", "stats", "--json")
    assert json.loads(res.stdout)["units"] == 2


DOC = "国家网信办负责统筹协调网络安全工作。个人信息处理者应当采取必要措施保障网络数据安全。\n"


def test_translate_uses_memory(db: Path, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    res = invoke(
        "translate", doc, "--engine", "gloss", "--tm", db, "--json",
        "--tmx", tmp_path / "o.tmx", "--html", tmp_path / "o.html", "--out", tmp_path / "o.txt",
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    segs = data["segments"]
    assert len(segs) == 2
    assert segs[0]["origin"] == "tm"
    assert segs[0]["target"] == "The CAC  is responsible for coordinating cybersecurity work (TM)."
    assert segs[1]["origin"] != "tm"
    assert segs[1]["tm_fuzzy"] and segs[1]["tm_fuzzy"][0]["target"].endswith("(TM).")
    assert segs[1]["tm_fuzzy"][0]["similarity"] >= 0.75
    assert data["stats"]["tm_exact"] == 1
    assert "(TM)." in (tmp_path / "o.txt").read_text(encoding="utf-8")
    # a higher threshold hides the suggestion
    res = invoke("translate", doc, "--engine", "gloss", "--tm", db, "--tm-fuzzy", "0.99", "--json",
                 "--tmx", tmp_path / "o2.tmx")
    assert json.loads(res.stdout)["segments"][1]["tm_fuzzy"] == []


class _Upper(Engine):
    """A deterministic stand-in for a neural engine (tests only)."""

    name = "upper"

    def translate_batch(
        self, texts: Sequence[str], *, target_prefixes: Sequence[str | None] | None = None,
        return_attention: bool = False, context: object = None,
    ) -> list[Translation]:
        return [Translation(f"EN[{t}]") for t in texts]

    def signature(self) -> str:
        return "upper:test"


def _doc(*texts: str) -> Document:
    blocks = tuple(
        Block(f"p{i}", "paragraph", t, (Segment(f"p{i}.s1", t, f"p{i}"),))
        for i, t in enumerate(texts, 1)
    )
    return Document(None, "txt", blocks)


def test_add_results_learns_machine_translations(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        tm.add("第一句。", "First (human).")
        tdoc = translate_document(_doc("第一句。", "第二句。"), _Upper(), None, tm=tm, tm_fuzzy=0.75)
        assert [r.origin for r in tdoc.results.values()] == ["tm", "mt"]
        counts = tm.add_results(tdoc)
        assert counts.added == 1
        assert tm.lookup_exact("第二句。") == "EN[第二句。]"
        entry = next(e for e in tm.iter_entries() if e.source == "第二句。")
        assert ("x-engine", "upper:test") in entry.props and ("x-origin", "mt") in entry.props
        # a second run now takes both from memory
        tdoc2 = translate_document(_doc("第一句。", "第二句。"), _Upper(), None, tm=tm)
        assert [r.origin for r in tdoc2.results.values()] == ["tm", "tm"]
        assert tm.add_results(tdoc2).added == 0


def test_translate_tm_update_skips_gists(db: Path, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    res = invoke("translate", doc, "--engine", "gloss", "--tm", db, "--tm-update", "-q",
                 "--tmx", tmp_path / "o.tmx")
    assert res.exit_code == 0, res.output
    with TranslationMemory(db) as tm:
        assert len(tm) == 2  # the gist of the second sentence is not a translation


def test_translate_missing_memory_is_one_line_error(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    missing = tmp_path / "typo.sqlite"
    res = CliRunner().invoke(cli, ["translate", str(doc), "--engine", "gloss", "--tm", str(missing),
                                   "-q", "--tmx", str(tmp_path / "o.tmx")])
    assert res.exit_code == 1
    assert "no translation memory" in res.output and len(res.output.strip().splitlines()) == 1
    assert not missing.exists() and not (tmp_path / "o.tmx").exists()
    # --tm-update creates it; --tm-update alone is a usage error
    res = invoke("translate", doc, "--engine", "gloss", "--tm", missing, "--tm-update", "-q",
                 "--tmx", tmp_path / "o.tmx")
    assert res.exit_code == 0 and missing.exists()
    res = CliRunner().invoke(cli, ["translate", str(doc), "--engine", "gloss", "--tm-update", "-q"])
    assert res.exit_code == 2 and "--tm" in res.output
