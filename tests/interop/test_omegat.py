"""Interoperability: our TMX and XLIFF as other tools read them.

* TMX from ``bitext tm export`` and ``bitext translate`` validates against the TMX 1.4
  DTD (``tests/tmx14.dtd``) and parses with translate-toolkit (``translate.storage.tmx``).
* XLIFF 1.2 from ``bitext translate`` parses with translate-toolkit
  (``translate.storage.xliff``), targets and states as we wrote them.
* OmegaT 3.6 (Debian's ``omegat``) in console mode pre-translates a project from our TMX
  in ``tm/auto/``: ``target/`` holds our translations and stderr reports no TMX load
  error (OmegaT exits 0 even when it rejects a TMX). Skipped where ``omegat`` is absent.
* Issue 10: OmegaT opens the ORIGINAL documents (``tests/data/cat``: an HTML page with
  <b>, <em>, an inline <a>, <nav>, a list and a footer; a plain-text article) with its own
  segmentation and bitext's TMX (``--srx`` = OmegaT's defaultRules.srx, taken out of
  OmegaT.jar at test time) in ``tm/auto/``: ≥ 95 % of its Chinese segments have an exact
  source in the TMX and ``console-translate`` fills them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bitext.cli.main import cli
from bitext.tm import TranslationMemory

DTD = etree.DTD(str(Path(__file__).parents[1].joinpath("tmx14.dtd")))
X12 = Path(__file__).parents[1] / "data" / "xliff" / "sample-1.2.xlf"

PAIRS = [
    ("网络安全很重要。", "Cybersecurity matters."),
    ("数据应当受到保护。", "Data shall be protected."),
    ("个人信息处理者应当采取必要措施。", "Personal information handlers shall take necessary measures."),
    ("“A&B”公司的<标准>已经发布。", "The <standard> of \"A&B\" Inc. has been published."),
]


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db) as tm:
        for i, (zh, en) in enumerate(PAIRS):
            tm.add(zh, en, tuid=f"u{i}", creationdate="20240101T000000Z",
                   props=[("x-domain", "policy")], notes=["checked & approved"])
    out = tmp_path / "memory.tmx"
    res = invoke("tm", "export", "--db", db, out)
    assert res.exit_code == 0, res.output
    return out


def test_exported_tmx_is_dtd_valid(exported: Path) -> None:
    tree = etree.parse(str(exported))
    assert DTD.validate(tree), DTD.error_log.filter_from_errors()


def test_exported_tmx_parses_with_translate_toolkit(exported: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    store = tmx.tmxfile.parsefile(str(exported))
    got = [(u.source, u.target) for u in store.units]
    assert got == PAIRS


def test_translate_tmx_is_valid_for_both(tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    doc = tmp_path / "doc.txt"
    doc.write_text("网络安全很重要。\n\n数据应当受到保护。\n", encoding="utf-8")
    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db) as tm:
        tm.add(*PAIRS[0])
    out = tmp_path / "doc.tmx"
    res = invoke("translate", doc, "--engine", "gloss", "--tm", db, "--tmx", out, "-q")
    assert res.exit_code == 0, res.output
    assert DTD.validate(etree.parse(str(out))), DTD.error_log.filter_from_errors()
    store = tmx.tmxfile.parsefile(str(out))
    assert [u.source for u in store.units] == ["网络安全很重要。", "数据应当受到保护。"]
    assert store.units[0].target == "Cybersecurity matters."


def test_xliff_parses_with_translate_toolkit(tmp_path: Path) -> None:
    xliff = pytest.importorskip("translate.storage.xliff")
    out = tmp_path / "out.xlf"
    res = invoke("translate", X12, "--out", out, "--engine", "gloss", "-q")
    assert res.exit_code == 0, res.output
    store = xliff.xlifffile.parsefile(str(out))
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    assert len(units) == 13
    for uid in ["title", "g1", "x1", "ph1", "bpt1", "bx1", "nested", "redo"]:
        u = units[uid]
        assert u.target and u.target.strip(), uid
        target = u.xmlelement.find(u.namespaced("target"))
        # a gloss-engine gist is no translation: translate-toolkit must not count it translated
        assert target.get("state") == "needs-translation" and not u.istranslated(), uid
    assert units["final1"].target == "These Measures take effect on the date of promulgation."
    assert units["no1"].target in (None, "")
    # rich text keeps the inline placeholders
    assert "<img" in units["ph1"].target and "GB/T 22239-2019" in units["ph1"].target


OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes>
    </source_dir_excludes>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>zh-CN</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


@pytest.mark.skipif(shutil.which("omegat") is None,
                    reason="omegat is not installed (apt-get install -y omegat)")
def test_omegat_console_translate_uses_our_tmx(exported: Path, tmp_path: Path) -> None:
    proj = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (proj / sub).mkdir(parents=True)
    (proj / "omegat.project").write_text(OMEGAT_PROJECT, encoding="utf-8")
    shutil.copy(exported, proj / "tm" / "auto" / "bitext.tmx")
    sources = [zh for zh, _ in PAIRS]
    (proj / "source" / "doc.txt").write_text("\n\n".join(sources) + "\n", encoding="utf-8")
    config = tmp_path / "omegat-config"
    config.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    proc = subprocess.run(
        ["omegat", str(proj), "--mode=console-translate", f"--config-dir={config}", "--quiet"],
        check=False, capture_output=True, text=True, timeout=600, env=env,
    )
    err = proc.stderr + proc.stdout
    assert proc.returncode == 0, err[-2000:]
    assert "Failed to load translation memory" not in err, err[-3000:]
    assert "TMXR_ERROR" not in err and "XMLStreamException" not in err, err[-3000:]
    assert "Reading of TMX file complete" in err or "TMXR_INFO_READING_COMPLETE" in err, err[-3000:]
    out = (proj / "target" / "doc.txt").read_text(encoding="utf-8")
    for zh, en in PAIRS:
        assert en in out, (en, out)
        assert zh not in out


# --------------------------------------------------------------------------- issue 10: OmegaT's own segments

CAT = Path(__file__).parents[1] / "data" / "cat"
HAN_RE = re.compile(r"[\u3400-\u9fff]")
OMEGAT_TAG = re.compile(r"</?[a-z]+\d+/?>")
VERBATIM = re.compile(r"<([ckv])(\d+)>[^<]*</\1\2>")


def _omegat(proj: Path, home: Path, *mode: str) -> str:
    config = home / "omegat-config"
    config.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    proc = subprocess.run(["omegat", str(proj), *mode, f"--config-dir={config}", "--quiet"],
                          check=False, capture_output=True, text=True, timeout=600, env=env)
    out = proc.stderr + proc.stdout
    assert proc.returncode == 0, out[-2000:]
    assert "TMXR_ERROR" not in out and "XMLStreamException" not in out, out[-3000:]
    return out


def _level1(seg: etree._Element) -> str:
    """A ``seg`` as OmegaT 3.6 reads a foreign TMX by default (level 1: inline codes dropped)."""
    return (seg.text or "") + "".join(c.tail or "" for c in seg)


@pytest.mark.skipif(shutil.which("omegat") is None,
                    reason="omegat is not installed (apt-get install -y omegat)")
@pytest.mark.parametrize("name", ["news.html", "notice.html", "markup.html", "table.html", "breaks.html", "media.html",
                                  "article.txt"])
def test_omegat_pretranslates_its_own_segments_from_our_tmx(tmp_path: Path, name: str) -> None:
    """OmegaT opens the ORIGINAL document (sentence segmentation on, its default rules) with
    bitext's TMX (made with ``--srx`` = OmegaT's defaultRules.srx) in tm/auto/: at least 95 %
    of its Chinese segments have an exact source in the TMX, and console-translate fills them."""
    import zipfile

    srx = tmp_path / "defaultRules.srx"
    with zipfile.ZipFile("/usr/share/omegat/OmegaT.jar") as z:
        srx.write_bytes(z.read("org/omegat/core/segmentation/defaultRules.srx"))
    doc = CAT / name
    tmx = tmp_path / "bitext.tmx"
    res = invoke("translate", doc, "--srx", srx, "--engine", "gloss", "--tmx", tmx, "-q")
    assert res.exit_code == 0, res.output
    proj = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (proj / sub).mkdir(parents=True)
    (proj / "omegat.project").write_text(OMEGAT_PROJECT, encoding="utf-8")
    shutil.copy(doc, proj / "source" / name)
    shutil.copy(tmx, proj / "tm" / "auto" / "bitext.tmx")
    pseudo = tmp_path / "pseudo.tmx"
    _omegat(proj, tmp_path, "--mode=console-createpseudotranslatetmx",
            f"--pseudotranslatetmx={pseudo}", "--pseudotranslatetype=empty")
    theirs = ["".join(s.itertext()) for s in etree.parse(str(pseudo)).getroot().iter("seg")]
    theirs = [s for s in dict.fromkeys(theirs) if HAN_RE.search(s)]  # OmegaT's Chinese segments
    ours = {_level1(tu.find("tuv/seg")) for tu in etree.parse(str(tmx)).getroot().iter("tu")}
    matched = [s for s in theirs if s in ours]
    assert len(theirs) >= (15 if name.endswith("html") else 10)
    assert len(matched) >= 0.95 * len(theirs), sorted(set(theirs) - ours)
    if name.endswith("html"):  # tagged segments match too
        assert any(OMEGAT_TAG.search(s) for s in matched)
    # the real pre-translation: OmegaT's target file no longer holds those Chinese sentences
    _omegat(proj, tmp_path, "--mode=console-translate")
    target = (proj / "target" / name).read_text(encoding="utf-8")
    # (code kept verbatim, <c0>安装.exe</c0> / <k1>回车</k1>, stays Chinese in the target)
    left = [s for s in theirs
            if max((p for p in OMEGAT_TAG.split(VERBATIM.sub("", s)) if HAN_RE.search(p)), key=len) in target]
    assert len(theirs) - len(left) >= 0.95 * len(theirs), left
