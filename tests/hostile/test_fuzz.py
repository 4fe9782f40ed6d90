"""Fuzz every reader through the CLI: whatever the bytes, the answer is exit 0, 1 or 2,
no traceback, no "internal error", and a failed run leaves no output file behind.

Hypothesis runs derandomized (the same examples every time) with a small example budget,
so the suite stays a few seconds per reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FRAGMENTS = [
    "网络安全很重要。", "国家网信办", "，", "。", "……", "\n", "\r\n", "\t", " ", "# ", "* ", "1. ",
    "| a | b |\n|---|---|\n", "<p>", "</p>", "<br>", "<script>x</script>", "<![CDATA[", "]]>",
    "<?xml version='1.0'?>", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&a;", "&amp;", "<tmx version='1.4'>",
    "<body>", "<tu>", "<tuv xml:lang='zh'><seg>", "</seg></tuv>", "</tu>", "</body></tmx>",
    "<xliff version='1.2'>", "<trans-unit id='1'><source>", "</source></trans-unit>", "source\ttarget\n",
    "网络\tnetwork\n", "[0]:[0]\n", "[0,1]:[]\n", "---\ntitle: x\n---\n", "```\ncode\n```\n", "\x00",
    "\ufeff", "\u3000", "😀", "\ud7ff", "5.64亿", "http://a.b/c.", "\x1b[31m",
]

chunks = st.one_of(
    st.sampled_from(FRAGMENTS).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.binary(max_size=40),
    st.text(max_size=30).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"%PDF-", b"\xb0\xb2\xc8\xab"]),
)
payloads = st.lists(chunks, max_size=25).map(b"".join)

FUZZ = settings(max_examples=20, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _judge(r, outputs: list[Path]) -> None:
    assert r.code in (0, 1, 2), (r.code, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert "internal error" not in r.stderr, r.stderr
    if r.code != 0:
        for p in outputs:
            assert not p.exists(), f"partial output {p} after a failure"
    for p in outputs:
        if p.exists():
            leftovers = [q.name for q in p.parent.iterdir() if q.name.startswith(".bitext-tmp-")]
            assert leftovers == []


def _fresh(tmp: Path, name: str, data: bytes) -> tuple[Path, Path]:
    import shutil

    work = tmp / "w"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    src = work / name
    src.write_bytes(data)
    return src, work


@pytest.mark.parametrize("ext", [".txt", ".md", ".html", ".xlf"])
def test_fuzz_translate_readers(h15_cli, tmp_path: Path, ext: str) -> None:
    @FUZZ
    @given(payloads)
    def run(data: bytes) -> None:
        src, work = _fresh(tmp_path, "in" + ext, data)
        outs = [work / "o.tmx", work / "o.html"]
        r = h15_cli("translate", src, "--tmx", outs[0], "--html", outs[1], "--engine", "gloss",
                    "--no-default-glossary", "-q")
        _judge(r, outs)

    run()


def test_fuzz_check_and_tm_import(h15_cli, tmp_path: Path) -> None:
    @FUZZ
    @given(payloads, st.sampled_from([".tmx", ".xlf", ".html"]))
    def run(data: bytes, ext: str) -> None:
        src, work = _fresh(tmp_path, "in" + ext, data)
        rep = work / "report.json"
        r = h15_cli("check", src, "--no-default-glossary", "--json", "-o", rep)
        _judge(r, [] if r.code == 1 and rep.exists() else [rep])  # exit 1 = QA errors found
        if ext == ".tmx":
            r = h15_cli("tm", "import", src, "--db", work / "tm.sqlite", "-q")
            _judge(r, [])

    run()


def test_fuzz_glossary_files(h15_cli, tmp_path: Path) -> None:
    @FUZZ
    @given(payloads, st.sampled_from(["g.tsv", "g.csv", "g.tbx"]))
    def run(data: bytes, name: str) -> None:
        src, work = _fresh(tmp_path, name, data)
        if name.endswith(".tsv"):
            _judge(h15_cli("glossary", "--file", src, "lint"), [])
            out = work / "out.csv"
            _judge(h15_cli("glossary", "--file", src, "export", out), [out])
        else:
            out = work / "new.tsv"
            _judge(h15_cli("glossary", "--file", work / "mine.tsv", "import", src, "-o", out), [out])

    run()


def test_fuzz_align_and_eval(h15_cli, tmp_path: Path) -> None:
    @FUZZ
    @given(payloads, payloads)
    def run(zh: bytes, en: bytes) -> None:
        zh_p, work = _fresh(tmp_path, "zh.txt", zh)
        en_p = work / "en.txt"
        en_p.write_bytes(en)
        out = work / "a.tmx"
        _judge(h15_cli("align", zh_p, en_p, "--presplit", "--tmx", out), [out])
        gold, auto = work / "gold", work / "auto"
        gold.mkdir()
        auto.mkdir()
        (gold / "1.align").write_bytes(zh)
        (auto / "1.align").write_bytes(en)
        _judge(h15_cli("eval-align", gold, auto), [])

    run()
