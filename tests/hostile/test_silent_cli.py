"""Hostile cases (issue 16, issue 15 items 4 and 6) run through the real CLI in a subprocess.

Inputs are generated here at test time. Each case asserts the exit code, a one-line error
where one is due, and that files which must not change did not change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from silent_support import one_line_error, write_tmx

import bitext

ROOT = str(Path(bitext.__file__).resolve().parent.parent)


def run(*args: str, cwd: Path, stdout: object = subprocess.PIPE, shell: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if shell is not None:
        return subprocess.run(shell, shell=True, check=False, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout, executable="/bin/bash")
    return subprocess.run([sys.executable, "-m", "bitext", *args], check=False, cwd=cwd, env=env,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout)




# -- encodings --------------------------------------------------------------------------

def test_utf8_missing_last_byte_translates_as_chinese_with_a_warning(tmp_path: Path) -> None:
    data = ("网络安全很重要。" * 20 + "数据安全").encode("utf-8")[:-1]
    (tmp_path / "cut.txt").write_bytes(data)
    p = run("translate", "cut.txt", "--engine", "gloss", "--json", "-o", "out", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout)
    assert summary["encoding"] == "utf-8"
    assert summary["segments"][0]["source"].startswith("网络安全很重要")
    assert "cut character" in p.stderr
    tmx = (tmp_path / "out" / "cut.tmx").read_text(encoding="utf-8")
    assert 'type="x-bitext-source-encoding">utf-8<' in tmx
    assert "网络安全" in tmx


def test_encoding_option_forces_the_encoding(tmp_path: Path) -> None:
    (tmp_path / "gbk.txt").write_bytes("网络安全很重要。".encode("gb18030"))
    p = run("translate", "gbk.txt", "--engine", "gloss", "--json", "--encoding", "gbk",
            "-o", "out", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)
    assert s["encoding"] == "gbk" and s["segments"][0]["source"] == "网络安全很重要。"
    bad = run("translate", "gbk.txt", "--engine", "gloss", "--encoding", "utf-8", "-o", "o2",
              cwd=tmp_path)
    assert bad.returncode == 1 and "not valid utf-8" in one_line_error(bad, ignore_warnings=True)
    assert not (tmp_path / "o2").exists() or not any((tmp_path / "o2").iterdir())


# -- HTML -------------------------------------------------------------------------------

def test_html_big_data_uri_and_deep_nesting_keep_every_paragraph(tmp_path: Path) -> None:
    from bitext.readers.html import parse_html

    big = ("<html><body><p>第一段很重要。</p><img src='data:image/png;base64,"
           + "A" * 11_000_000 + "'><p>第二段。</p><p>第三段。</p></body></html>")
    assert [b.text for b in parse_html(big).blocks] == ["第一段很重要。", "第二段。", "第三段。"]
    for n in (300, 1500, 3000):
        page = ("<html><body><p>第一段很重要。</p>" + "<div>" * n + "<p>第二段。</p>" + "</div>" * n
                + "<p>第三段。</p><p>第四段。</p></body></html>")
        assert len(parse_html(page).blocks) == 4, n


def test_html_deeper_than_libxml2_keeps_every_paragraph_and_too_deep_is_one_line(tmp_path: Path) -> None:
    def page(n: int) -> str:
        return ("<html><body><p>第一段。</p>" + "<div>" * n + "<p>第二段。</p>" + "</div>" * n
                + "<p>第三段。</p></body></html>")

    (tmp_path / "deep.html").write_text(page(5000), encoding="utf-8")
    p = run("translate", "deep.html", "--engine", "gloss", "--json", "-o", "out", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert [s["source"] for s in json.loads(p.stdout)["segments"]] == ["第一段。", "第二段。", "第三段。"]
    assert (tmp_path / "out" / "deep.en.html").read_text(encoding="utf-8").count("<div") >= 5000
    (tmp_path / "deeper.html").write_text(page(12_000), encoding="utf-8")
    p = run("translate", "deeper.html", "--engine", "gloss", "-o", "out2", cwd=tmp_path)
    assert p.returncode == 1 and "deep" in one_line_error(p, ignore_warnings=True)
    assert not (tmp_path / "out2").exists() or not any((tmp_path / "out2").iterdir())


# -- all-or-none outputs ------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["/dev/full", "blocker/sub/x.tmx"])
def test_align_failing_output_leaves_the_others_as_they_were(tmp_path: Path, bad: str) -> None:
    if bad == "/dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    (tmp_path / "zh.txt").write_text("网络安全很重要。\n数据要保护。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Cybersecurity matters.\nData must be protected.\n", encoding="utf-8")
    (tmp_path / "blocker").write_text("a file, not a folder")
    (tmp_path / "b").write_text("old beads")
    (tmp_path / "t").write_text("old tsv")
    p = run("align", "zh.txt", "en.txt", "--presplit", "--beads", "b", "--tsv", "t", "--tmx", bad,
            cwd=tmp_path)
    assert p.returncode == 1
    one_line_error(p, ignore_warnings=True)
    assert (tmp_path / "b").read_text() == "old beads"
    assert (tmp_path / "t").read_text() == "old tsv"
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


# -- CSV/TSV formula injection --------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "'=already"]


def test_exported_cells_never_start_a_formula_and_import_undoes_it(tmp_path: Path) -> None:
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\tnote\n" + "".join(
        f"词{i}\t{f}\t{f}\n" for i, f in enumerate(FORMULAS)), encoding="utf-8")
    for fmt in ("csv", "tsv"):
        out = tmp_path / f"x.{fmt}"
        p = run("glossary", "--file", "g.tsv", "export", out.name, "--format", fmt, cwd=tmp_path)
        assert p.returncode == 0, p.stderr
        import csv
        rows = list(csv.reader(out.open(encoding="utf-8"), delimiter="," if fmt == "csv" else "\t"))
        for row in rows[1:]:
            for cell in row:
                assert not cell[:1] in ("=", "+", "-", "@", "\t", "\r"), cell
        back = tmp_path / f"back-{fmt}.tsv"
        p = run("glossary", "import", out.name, "-o", back.name, cwd=tmp_path)
        assert p.returncode == 0, p.stderr
        targets = [ln.split("\t")[1] for ln in back.read_text(encoding="utf-8").splitlines()[1:]]
        assert targets == FORMULAS
    p = run("glossary", "--file", "g.tsv", "export", "raw.csv", "--no-escape-formulas", cwd=tmp_path)
    assert p.returncode == 0 and "=HYPERLINK" in (tmp_path / "raw.csv").read_text(encoding="utf-8").split("\n")[1]


# -- pipes and exit codes -------------------------------------------------------------------

def test_closed_pipe_is_quiet_and_full_stdout_is_exit_1(tmp_path: Path) -> None:
    (tmp_path / "g.tsv").write_text(
        "source\ttarget\n" + "".join(f"词{i}\tterm{i}\n" for i in range(30000)), encoding="utf-8")
    env_cmd = f"{sys.executable} -m bitext glossary --file g.tsv list"
    p = run(cwd=tmp_path, shell=f"{env_cmd} | head -n 1; exit ${{PIPESTATUS[0]}}")
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("\n") == 1 and p.stderr == ""
    if os.path.exists("/dev/full"):
        p = run(cwd=tmp_path, shell=f"{env_cmd} --json > /dev/full")
        assert p.returncode == 1
        assert "standard output" in one_line_error(p, ignore_warnings=True)


def test_folder_as_input_is_exit_1(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    for args in (("translate", "d"), ("tm", "import", "d"), ("glossary", "import", "d"),
                 ("check", "d")):
        p = run(*args, cwd=tmp_path)
        assert p.returncode == 1, (args, p.stderr)
        assert "folder" in one_line_error(p, ignore_warnings=True)


# -- deep XML -------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [1000, 2100, 5000])
def test_deep_xml_is_a_one_line_error(tmp_path: Path, depth: int, ignore_warnings=True) -> None:
    inner = "<g>" * depth + "网络" + "</g>" * depth
    write_tmx(tmp_path / "d.tmx", [(inner, "net")])
    (tmp_path / "d.xlf").write_text(
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file source-language="zh-CN" target-language="en" datatype="plaintext" original="x"><body>'
        f'<trans-unit id="1"><source>{inner}</source></trans-unit></body></file></xliff>',
        encoding="utf-8")
    for args in (("check", "d.tmx"), ("tm", "import", "d.tmx", "--db", "x.sqlite"),
                 ("translate", "d.xlf", "--engine", "gloss", "-o", "out"), ("check", "d.xlf")):
        p = run(*args, cwd=tmp_path)
        assert p.returncode in (0, 1, 2), (args, p.stderr)
        if p.returncode:
            one_line_error(p, ignore_warnings=True)
    assert not (tmp_path / "x.sqlite").exists()
