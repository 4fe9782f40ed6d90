"""Hostile cases (issue 16 items 5, 6, 9, 10; issue 15 item 4): TM files, packages, linear time.

Inputs are generated at test time; CLI cases run ``python -m bitext`` in a subprocess.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from silent_support import one_line_error, write_tmx

import bitext

ROOT = str(Path(bitext.__file__).resolve().parent.parent)


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "bitext", *args], check=False, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)




PAIRS = [("网络安全很重要。", "Cybersecurity matters."), ("数据需要保护。", "Data needs protection.")]


@pytest.fixture
def memory(tmp_path: Path) -> Path:
    write_tmx(tmp_path / "m.tmx", PAIRS)
    p = run("tm", "import", "m.tmx", "--db", "tm.sqlite", "-q", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    return tmp_path / "tm.sqlite"


# -- TM files ----------------------------------------------------------------------------

@pytest.mark.parametrize("cmd", [("stats",), ("lookup", "网络"), ("export", "out.tmx")])
def test_reading_commands_never_create_or_convert(tmp_path: Path, cmd: tuple[str, ...]) -> None:
    (tmp_path / "empty.sqlite").write_bytes(b"")
    con = sqlite3.connect(tmp_path / "foreign.sqlite")
    con.execute("CREATE TABLE units(a)")
    con.commit()
    con.close()
    foreign_before = (tmp_path / "foreign.sqlite").read_bytes()
    for db in ("missing.sqlite", "empty.sqlite", "foreign.sqlite"):
        p = run("tm", cmd[0], "--db", db, *cmd[1:], cwd=tmp_path)
        assert p.returncode == 1, (db, p.stderr)
        assert db in one_line_error(p)
    assert not (tmp_path / "missing.sqlite").exists()
    assert (tmp_path / "empty.sqlite").stat().st_size == 0
    assert (tmp_path / "foreign.sqlite").read_bytes() == foreign_before  # not switched to WAL
    assert not list(tmp_path.glob("*-wal")) and not (tmp_path / "out.tmx").exists()


def test_failed_import_leaves_no_new_file(tmp_path: Path) -> None:
    p = run("tm", "import", "missing.tmx", "--db", "new.sqlite", cwd=tmp_path)
    assert p.returncode == 1 and "missing.tmx" in one_line_error(p)
    (tmp_path / "bad.tmx").write_text("<tmx><body><tu>", encoding="utf-8")
    p = run("tm", "import", "bad.tmx", "--db", "new.sqlite", cwd=tmp_path)
    assert p.returncode == 1
    one_line_error(p)
    assert not list(tmp_path.glob("new.sqlite*"))


def test_memory_read_without_writing(memory: Path) -> None:
    before = memory.read_bytes()
    p = run("tm", "lookup", "--db", memory.name, "网络安全很重要。", cwd=memory.parent)
    assert p.returncode == 0 and p.stdout.strip() == "Cybersecurity matters."
    assert memory.read_bytes() == before


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_memory_can_be_read(memory: Path) -> None:
    folder = memory.parent
    os.chmod(memory, 0o444)
    os.chmod(folder, 0o555)
    try:
        p = run("tm", "stats", "--db", memory.name, "--json", cwd=folder)
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["units"] == 2
        p = run("tm", "import", "m.tmx", "--db", memory.name, cwd=folder)
        assert p.returncode == 1 and "read-only" in one_line_error(p)
    finally:
        os.chmod(folder, 0o755)
        os.chmod(memory, 0o644)


def test_missing_index_table_is_named_and_repair_rebuilds_it(memory: Path) -> None:
    con = sqlite3.connect(memory)
    con.execute("DROP TABLE grams")
    con.commit()
    con.close()
    cwd = memory.parent
    p = run("tm", "lookup", "--db", memory.name, "网络安全很重要", "--fuzzy", "0.5", cwd=cwd)
    assert p.returncode == 1 and "tm repair" in one_line_error(p)
    p = run("tm", "check", "--db", memory.name, cwd=cwd)
    assert p.returncode == 1 and "grams" in p.stdout
    p = run("tm", "repair", "--db", memory.name, "--json", cwd=cwd)
    assert p.returncode == 0, p.stderr
    res = json.loads(p.stdout)
    assert res["indexed"] == 2 and (cwd / res["backup"]).exists()
    p = run("tm", "lookup", "--db", memory.name, "网络安全很重要", "--fuzzy", "0.5", cwd=cwd)
    assert p.returncode == 0 and "Cybersecurity matters." in p.stdout
    assert run("tm", "check", "--db", memory.name, cwd=cwd).returncode == 0


def test_corrupt_memory_is_one_line_naming_the_file(memory: Path) -> None:
    data = bytearray(memory.read_bytes())
    data[1024:] = b"\x5a" * (len(data) - 1024)
    memory.write_bytes(bytes(data))
    for cmd in (("stats",), ("lookup", "网络"), ("import", "m.tmx")):
        args = ("tm", cmd[0], *cmd[1:], "--db", memory.name)
        p = run(*args, cwd=memory.parent)
        assert p.returncode == 1, cmd
        line = one_line_error(p)
        assert memory.name in line and "tm check" in line
    assert run("tm", "check", "--db", memory.name, cwd=memory.parent).returncode == 1


def test_vacuum_backs_up_first(memory: Path) -> None:
    p = run("tm", "vacuum", "--db", memory.name, "--json", cwd=memory.parent)
    assert p.returncode == 0, p.stderr
    backup = memory.parent / json.loads(p.stdout)["backup"]
    con = sqlite3.connect(backup)
    assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 2
    con.close()


def test_eval_align_refuses_duplicate_or_overlapping_gold(tmp_path: Path) -> None:
    for name, text in (("dup", "[0]:[0]\n[1]:[1]\n[1]:[1]\n"), ("overlap", "[0,1]:[0]\n[1]:[1]\n")):
        gold, auto = tmp_path / f"g-{name}", tmp_path / f"a-{name}"
        gold.mkdir()
        auto.mkdir()
        (gold / "doc.align").write_text(text)
        (auto / "doc.align").write_text("[0]:[0]\n[1]:[1]\n")
        p = run("eval-align", gold.name, auto.name, cwd=tmp_path)
        assert p.returncode == 1, p.stderr
        line = one_line_error(p)
        assert ":3:" in line or ":2:" in line


# -- packages ------------------------------------------------------------------------------

def _package(path: Path, meta: dict, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pkg/metadata.json", json.dumps(meta))
        zf.writestr("pkg/model/model.bin", b"\x01" * 100)
        zf.writestr("pkg/sentencepiece.model", b"\x02" * 100)
        for k, v in (extra or {}).items():
            zf.writestr(k, v)
    return path


@pytest.mark.parametrize("bad", [
    {"target_prefix": {"a": 1}}, {"type": 42}, {"type": "sbd"}, {"package_version": "x y"},
    {"from_codes": "zh"}, {"languages": ["zh"]}, {"target_prefix": "a" * 500},
])
def test_bad_metadata_is_refused_before_install(tmp_path: Path, bad: dict) -> None:
    from bitext.engines.packages import validate_archive
    from bitext.errors import ModelPackageError

    meta = {"from_code": "zh", "to_code": "en", "package_version": "1.9", **bad}
    with pytest.raises(ModelPackageError, match="metadata"):
        validate_archive(_package(tmp_path / "p.argosmodel", meta))


def test_many_small_bomb_members_are_refused(tmp_path: Path) -> None:
    from bitext.engines.packages import validate_archive
    from bitext.errors import ModelPackageError

    extra = {f"pkg/pad/{i}.bin": b"\x00" * (256 * 1024) for i in range(20)}
    path = _package(tmp_path / "p.argosmodel", {"from_code": "zh", "to_code": "en"}, extra)
    with pytest.raises(ModelPackageError, match="compressed"):
        validate_archive(path)


def test_models_list_marks_metadata_that_would_not_load(tmp_path: Path) -> None:
    pytest.importorskip("argostranslate")
    from bitext.engines.packages import inspect_package

    folder = tmp_path / "pkg"
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "model.bin").write_bytes(b"x")
    (folder / "sentencepiece.model").write_bytes(b"x")
    (folder / "metadata.json").write_text(json.dumps(
        {"from_code": "zh", "to_code": "en", "target_prefix": {"a": 1}}))
    assert "target_prefix" in inspect_package(folder).problem


# -- linear time -----------------------------------------------------------------------------

def test_long_glossary_target_is_counted_quickly() -> None:
    from bitext.terms.enforce import count_target

    t = "a" * 10_000
    t0 = time.perf_counter()
    assert count_target(("x " + t + " y ") * 3, t) == 3
    assert time.perf_counter() - t0 < 2.0
    assert count_target("Open-source tools and open source; CAC's CACs", "open source") == 2


def test_long_unpunctuated_run_segments_linearly() -> None:
    from bitext.segment.words import WordSegmenter

    ws = WordSegmenter()
    ws.tokenize("网络安全")  # dictionary load, not timed
    run_ = "".join(chr(0x3400 + (i * 7919) % 3000) for i in range(100_000))
    t0 = time.perf_counter()
    toks = ws.tokenize(run_)
    assert time.perf_counter() - t0 < 5.0
    assert "".join(w for w, _, _ in toks) == run_


def test_lint_long_source_is_bounded(tmp_path: Path) -> None:
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n" + "网" * 10_000 + "\tnet\n网络\tnetwork\n", encoding="utf-8")
    t0 = time.perf_counter()
    p = run("glossary", "--file", "g.tsv", "lint", cwd=tmp_path)
    assert time.perf_counter() - t0 < 30
    assert p.returncode in (0, 1) and "Traceback" not in p.stderr


# -- glossary ----------------------------------------------------------------------------------

def test_glossary_add_hash_source_is_refused_and_file_unchanged(tmp_path: Path) -> None:
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n网络\tnetwork\n", encoding="utf-8")
    before = g.read_bytes()
    p = run("glossary", "--file", "g.tsv", "add", "#标签", "hashtag", cwd=tmp_path)
    assert p.returncode == 1 and "#" in one_line_error(p)
    assert g.read_bytes() == before


@pytest.mark.parametrize("raw", [
    "\ufeffsource\ttarget\r网络\tnetwork\r数据\tdata\r",  # BOM + CR-only line ends
    "source\ttarget\n网络\tnetwork\n数据\tdata\n",
])
def test_translate_glossary_reader_line_ends(tmp_path: Path, raw: str) -> None:
    from bitext.terms.glossary import Glossary

    (tmp_path / "g.tsv").write_bytes(raw.encode("utf-8"))
    g = Glossary.load([tmp_path / "g.tsv"])
    assert sorted((e.source, e.target) for e in g) == [("数据", "data"), ("网络", "network")]


def test_malformed_import_is_exit_1_with_the_first_bad_line(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("source,target\n网络,\n,data\n", encoding="utf-8")
    p = run("glossary", "import", "bad.csv", "-o", "out.tsv", cwd=tmp_path)
    assert p.returncode == 1 and "line 2" in one_line_error(p)
    assert not (tmp_path / "out.tsv").exists()


@pytest.mark.parametrize("sep", ["\u2028", "\u0085", "\x0b", "\x0c", "\u2029"])
def test_glossary_add_refuses_any_line_separator(tmp_path: Path, sep: str) -> None:
    from bitext.errors import GlossaryError
    from bitext.terms.edit import GlossaryFile

    gf = GlossaryFile.new(tmp_path / "g.tsv")
    with pytest.raises(GlossaryError, match="line break"):
        gf.add(f"网{sep}络", "network")


def test_near_utf8_is_not_read_as_a_legacy_encoding() -> None:
    from bitext.files import decode_bytes

    good = ("网络安全很重要。" * 200).encode("utf-8")
    data = good[:300] + b"\xff" + good[300:]  # one stray byte in the middle
    warnings: list[str] = []
    text, enc = decode_bytes(data, "x", warnings=warnings)
    assert enc == "utf-8" and text.count("网络安全") >= 199 and warnings
    cut = good[:-1]
    text, enc = decode_bytes(cut, "x", warnings=warnings)
    assert enc == "utf-8" and text.endswith("网络安全很重要") and any("cut" in w for w in warnings)
    gbk = ("网络安全很重要。" * 20).encode("gb18030")
    assert decode_bytes(gbk, "x")[1] == "gb18030"
