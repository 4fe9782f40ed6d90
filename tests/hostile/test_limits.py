"""Limits with clear errors: FIFOs and devices refused (never a hang), oversized inputs
refused before reading, glossary terms over 200 characters refused by load and lint,
over-long sentences cut with a warning."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from h15_support import h15_clean_failure

from bitext.errors import GlossaryError
from bitext.segment.zh import MAX_SENTENCE_CHARS, split_sentences
from bitext.terms.glossary import MAX_TERM_CHARS, load_entries


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    p = tmp_path / "pipe.txt"
    os.mkfifo(p)  # nobody ever writes: opening it for reading would block forever
    return p


def _fifo_named(fifo: Path, name: str) -> Path:
    p = fifo.parent / name
    os.mkfifo(p)
    return p


def test_translate_fifo_refused_not_hung(h15_proc, fifo: Path, tmp_path: Path) -> None:
    r = h15_proc("translate", fifo, "-o", tmp_path / "out", timeout=60)
    assert r.code == 1 and "named pipe" in r.stderr
    h15_clean_failure(r)
    assert not (tmp_path / "out").exists()


def test_every_reader_refuses_fifo(h15_cli, fifo: Path, tmp_path: Path, h15_doc: Path,
                                   h15_tmx: Path) -> None:
    """In-process: the stat check runs before any open, so none of these can block."""
    cases = [
        ("translate", _fifo_named(fifo, "a.md"), "--tmx", tmp_path / "o1.tmx"),
        ("translate", _fifo_named(fifo, "a.html"), "--tmx", tmp_path / "o2.tmx"),
        ("translate", _fifo_named(fifo, "a.xlf"), "--out", tmp_path / "o3.xlf"),
        ("translate", h15_doc, "--glossary", _fifo_named(fifo, "g.tsv"), "--tmx", tmp_path / "o4.tmx"),
        ("align", fifo, h15_doc, "--presplit"),
        ("align", h15_doc, fifo, "--presplit"),
        ("check", _fifo_named(fifo, "c.tmx")),
        ("tm", "import", _fifo_named(fifo, "i.tmx"), "--db", tmp_path / "tm.sqlite"),
        ("glossary", "--file", _fifo_named(fifo, "l.tsv"), "lint"),
        ("glossary", "--file", _fifo_named(fifo, "e.tsv"), "export", tmp_path / "e.csv"),
        ("glossary", "--file", tmp_path / "none.tsv", "suggest", fifo),
    ]
    for args in cases:
        r = h15_cli(*args)
        assert r.code in (1, 2), (args, r.code, r.stderr)
        h15_clean_failure(r)
        assert "not a regular file" in r.stderr, (args, r.stderr)
    assert not list(tmp_path.glob("o*.tmx")) and not list(tmp_path.glob("o*.xlf"))


def test_eval_align_gold_fifo(h15_cli, tmp_path: Path) -> None:
    gold, auto = tmp_path / "gold", tmp_path / "auto"
    gold.mkdir()
    auto.mkdir()
    os.mkfifo(gold / "001.align")
    (auto / "001.align").write_text("[0]:[0]\n", encoding="utf-8")
    r = h15_cli("eval-align", gold, auto)
    assert r.code == 1 and "not a regular file" in r.stderr
    h15_clean_failure(r)


@pytest.mark.parametrize("args", [
    ("translate", "/dev/zero", "--tmx", "{tmp}/z.tmx"),
    ("align", "/dev/zero", "/dev/zero", "--presplit"),
    ("glossary", "--file", "/dev/zero", "lint"),
    ("glossary", "--file", "{tmp}/none.tsv", "suggest", "/dev/zero"),
    ("translate", "{doc}", "--glossary", "/dev/zero", "--tmx", "{tmp}/z.tmx"),
])
def test_dev_zero_is_one_line(h15_cli, h15_doc: Path, tmp_path: Path, args) -> None:
    args = [a.format(tmp=tmp_path, doc=h15_doc) for a in args]
    r = h15_cli(*args)
    assert r.code in (1, 2), r.stderr
    h15_clean_failure(r)
    assert not (tmp_path / "z.tmx").exists()


def test_size_limit_before_reading(h15_cli, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("网络安全很重要。\n" * 50_000, encoding="utf-8")  # about 1.2 MB
    r = h15_cli("translate", big, "--max-input-mb", "1", "-o", tmp_path / "out")
    assert r.code == 1 and "input limit" in r.stderr and "--max-input-mb" in r.stderr
    h15_clean_failure(r)
    assert not (tmp_path / "out").exists()
    r = h15_cli("align", big, big, "--presplit", "--max-input-mb", "0.5")
    assert r.code == 1 and "input limit" in r.stderr


def test_size_limit_from_environment(h15_cli, tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.md"
    big.write_text("# 标题\n\n" + "网络安全很重要。" * 40_000, encoding="utf-8")
    monkeypatch.setenv("BITEXT_MAX_INPUT_MB", "0.2")
    r = h15_cli("translate", big, "--tmx", tmp_path / "b.tmx")
    assert r.code == 1 and "input limit" in r.stderr
    r = h15_cli("translate", big, "--tmx", tmp_path / "b.tmx", "--max-input-mb", "0", "--engine", "gloss", "-q")
    assert r.code == 0 and (tmp_path / "b.tmx").is_file()


@pytest.mark.parametrize("col", ["source", "target"])
def test_long_glossary_cell_refused_by_load(tmp_path: Path, col: str) -> None:
    long = ("网" if col == "source" else "x") * (MAX_TERM_CHARS + 1)
    row = f"{long}\tnet" if col == "source" else f"网络\t{long}"
    g = tmp_path / "g.tsv"
    g.write_text(f"source\ttarget\n安全\tsecurity\n{row}\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as e:
        load_entries(g)
    assert e.value.line == 3 and "200-character" in str(e.value)


def test_megabyte_glossary_cell_is_quick(h15_cli, h15_doc: Path, tmp_path: Path) -> None:
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n" + "网" * 1_000_000 + "\tnet\n安全\tsecurity\n", encoding="utf-8")
    r = h15_cli("translate", h15_doc, "--glossary", g, "--tmx", tmp_path / "x.tmx")
    assert r.code == 1 and f"{g}:2:" in r.stderr
    h15_clean_failure(r)
    r = h15_cli("glossary", "--file", g, "lint")
    assert r.code == 1 and f"{g}:2: error: [too-long]" in r.stdout


def test_long_sentence_cut_with_warning(caplog) -> None:
    run = "网络安全数据" * 2000 + "，" + "个人信息" * 1000 + "。结束。"
    with caplog.at_level("WARNING"):
        parts = split_sentences(run)
    assert max(map(len, parts)) <= MAX_SENTENCE_CHARS
    assert "".join(parts) == run
    assert parts[-1] == "结束。"
    assert any("was cut into" in r.message for r in caplog.records)
    short = "网络安全很重要，" * 10 + "。"
    assert split_sentences(short) == [short]


def test_long_line_translates(h15_cli, tmp_path: Path, caplog) -> None:
    doc = tmp_path / "run.txt"
    doc.write_text("数据" * 5000 + "\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        r = h15_cli("translate", doc, "--tmx", tmp_path / "run.tmx", "--engine", "gloss", "--json")
    assert r.code == 0, r.stderr
    assert any("was cut into" in rec.message for rec in caplog.records)
    import json

    assert json.loads(r.stdout)["stats"]["segments"] >= 5


def test_corrupt_zip_member_named(h15_cli, tmp_path: Path, monkeypatch) -> None:
    import json
    import zipfile

    pkg = tmp_path / "bad.argosmodel"
    meta = {"from_code": "zh", "to_code": "en", "package_version": "1.0"}
    with zipfile.ZipFile(pkg, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zh_en/metadata.json", json.dumps(meta))
        zf.writestr("zh_en/sentencepiece.model", b"spm" * 100)
        zf.writestr("zh_en/model/model.bin", bytes(range(256)) * 400)
    with zipfile.ZipFile(pkg) as zf:
        info = zf.getinfo("zh_en/model/model.bin")
    data = bytearray(pkg.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + 4  # into the deflate stream
    for k in range(start, start + 40):
        data[k] ^= 0x5A
    pkg.write_bytes(bytes(data))
    root = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    r = h15_cli("models", "install", pkg)
    assert r.code == 1, r.stderr
    h15_clean_failure(r)
    assert "zh_en/model/model.bin" in r.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".bitext")]
