"""End-to-end tests of ``bitext translate`` on the shipped sample, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bitext.cli.main import cli
from bitext.terms.enforce import count_target
from bitext.terms.glossary import DEFAULT_GLOSSARY, Glossary

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample-policy-zh.md"
DTD = etree.DTD(str(Path(__file__).parents[1].joinpath("tmx14.dtd")))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    res = invoke("translate", SAMPLE, "-o", out, "--engine", "gloss", "--json")
    assert res.exit_code == 0, res.output + res.stderr
    return out, json.loads(res.stdout), res


def test_default_outputs_are_written(sample_run):
    out, _, _ = sample_run
    names = sorted(p.name for p in out.iterdir())
    assert names == ["sample-policy-zh.en.md", "sample-policy-zh.html", "sample-policy-zh.tmx"]


def test_tmx_is_dtd_valid_and_every_term_enforced(sample_run):
    out, summary, _ = sample_run
    tree = etree.parse(str(out / "sample-policy-zh.tmx"))
    assert DTD.validate(tree), DTD.error_log.filter_from_errors()
    root = tree.getroot()
    assert root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "zh-CN"
    glossary = Glossary.load([DEFAULT_GLOSSARY])
    tus = root.findall("body/tu")
    assert len(tus) == summary["stats"]["segments"] > 10
    checked = 0
    for tu in tus:
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert langs == ["zh-CN", "en"]
        src, tgt = (tuv.findtext("seg") for tuv in tu.findall("tuv"))
        for hit in glossary.match(src):
            assert count_target(tgt, hit.entry.target) >= 1, (tu.get("tuid"), hit.entry)
            checked += 1
    assert checked >= 5
    assert summary["stats"]["term_violations"] == 0


def test_html_page_and_english_markdown(sample_run):
    out, _, _ = sample_run
    page = (out / "sample-policy-zh.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page.lower() or "charset=utf-8" in page.lower()
    assert page.lower().count("<script") == 1  # the page's own review script only
    md = (out / "sample-policy-zh.en.md").read_text(encoding="utf-8")
    src = SAMPLE.read_text(encoding="utf-8")
    # List markers and headings survive.
    for marker in ("\n# ", "\n- ", "\n1. "):
        if marker in src:
            assert marker in md, marker
    assert "gist" in md.lower()


def test_gist_warning_on_stderr(sample_run):
    _, summary, res = sample_run
    assert "gist" in res.stderr.lower()
    assert summary["is_gist"] is True


def test_only_requested_output(tmp_path):
    res = invoke("translate", SAMPLE, "--tmx", tmp_path / "a.tmx", "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["a.tmx"]


def test_html_escapes_user_text(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text("网信办发布<script>alert(1)</script>通知。\n", encoding="utf-8")
    res = invoke("translate", doc, "--html", tmp_path / "x.html", "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.stderr
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert page.count("<script>") == 1  # the page's own review script only
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "setup, expect",
    [
        (lambda d: d / "missing.md", "no such file"),
        (lambda d: (d / "bin.txt").write_bytes(b"\x00\x01\x02binary") and d / "bin.txt", "binary"),
        (lambda d: (d / "a.docx").write_text("x") and d / "a.docx", "unsupported"),
    ],
)
def test_bad_input_one_line_error(tmp_path, setup, expect):
    path = setup(tmp_path)
    res = invoke("translate", path, "-o", tmp_path / "o", "--engine", "gloss")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and expect in res.stderr.lower()
    assert "Traceback" not in res.stderr


def test_bad_glossary_names_file_and_line_and_keeps_old_outputs(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("source\ttarget\n网信办\tCAC\n网信办\tCyberspace Administration\n", encoding="utf-8")
    old = tmp_path / "keep.tmx"
    old.write_text("earlier output", encoding="utf-8")
    res = invoke("translate", SAMPLE, "--glossary", bad, "--tmx", old, "--engine", "gloss")
    assert res.exit_code == 1
    assert f"{bad}:3" in res.stderr
    assert old.read_text(encoding="utf-8") == "earlier output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tsv", "keep.tmx"]


def test_user_glossary_wins_over_default(tmp_path):
    g = tmp_path / "mine.tsv"
    g.write_text("source\ttarget\n网信办\tCyberspace Administration\n", encoding="utf-8")
    res = invoke("translate", SAMPLE, "--glossary", g, "--tmx", tmp_path / "a.tmx", "--engine", "gloss", "--json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    targets = {h["target"] for s in data["segments"] for h in s["term_hits"] if h["source"] == "网信办"}
    assert targets == {"Cyberspace Administration"}


def test_usage_error_exit_2():
    res = CliRunner().invoke(cli, ["translate", "--no-such-flag"])
    assert res.exit_code == 2


def test_version_and_module_entry_point():
    res = subprocess.run([sys.executable, "-m", "bitext", "--version"], capture_output=True, text=True, check=False)
    assert res.returncode == 0 and "bitext" in res.stdout
    res = subprocess.run([sys.executable, "-m", "bitext", "translate", "--help"], capture_output=True, text=True, check=False)
    assert res.returncode == 0 and "--glossary" in res.stdout and "Examples" in res.stdout


def test_failed_output_leaves_every_earlier_output_untouched(tmp_path):
    """All outputs or none: the TMX is not replaced when the HTML cannot be written."""
    keep = tmp_path / "keep.tmx"
    keep.write_text("earlier output", encoding="utf-8")
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    res = invoke("translate", SAMPLE, "--engine", "gloss", "--tmx", keep, "--html", blocker / "x.html")
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines()[-1].startswith("bitext: error: cannot write ")
    assert str(blocker / "x.html") in res.stderr and "Traceback" not in res.stderr
    assert keep.read_text(encoding="utf-8") == "earlier output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "keep.tmx"]  # no temp files left


def test_unwritable_output_folder_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    res = invoke("translate", SAMPLE, "--engine", "gloss", "-q", "-o", blocker / "sub")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "output folder" in res.stderr


def test_outputs_never_overwrite_the_input(tmp_path, monkeypatch):
    """`bitext translate page.html` next to the page must not replace it with the side-by-side view."""
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>网信办发布通知。</p></article></body></html>", encoding="utf-8")
    before = page.read_bytes()
    monkeypatch.chdir(tmp_path)
    for args in (["page.html"], ["page.html", "-o", "."], ["page.html", "--out", str(page)]):
        res = invoke("translate", *args, "--engine", "gloss", "-q")
        assert res.exit_code == 2, args
        assert "would overwrite the input" in res.stderr
        assert page.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    res = invoke("translate", "page.html", "--tmx", "x.tmx", "--out", "x.tmx", "--engine", "gloss")
    assert res.exit_code == 2 and "same file" in res.stderr
    res = invoke("translate", "page.html", "-o", "out", "--engine", "gloss", "-q")
    assert res.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["page.en.html", "page.html", "page.tmx"]


def test_empty_input_warns_and_writes_empty_valid_outputs(tmp_path):
    src = tmp_path / "empty.md"
    src.write_text("---\ntitle: x\n---\n\n![](a.png)\n", encoding="utf-8")
    res = invoke("translate", src, "-o", tmp_path / "o", "--engine", "gloss")
    assert res.exit_code == 0
    assert "no text to translate" in res.stderr
    tree = etree.parse(str(tmp_path / "o" / "empty.tmx"))
    assert DTD.validate(tree) and not tree.findall(".//tu")
