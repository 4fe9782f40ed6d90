"""No output may replace an input of the same run: exit 2 before any work, input untouched.

Same-file detection is by inode, so the same name, another spelling (``./x``), a hard
link and a symbolic link to the input are all refused.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from h15_support import h15_clean_failure

SPELLINGS = ["same", "dot", "hardlink", "symlink"]


def _alias(p: Path, how: str) -> Path:
    """Another name for ``p``: itself, ``dir/./name``, a hard link or a symlink."""
    if how == "same":
        return p
    if how == "dot":
        return p.parent / "." / p.name
    alias = p.parent / f"alias-{how}{p.suffix}"
    if how == "hardlink":
        os.link(p, alias)
    else:
        alias.symlink_to(p.name)
    return alias


def _refused(r, victim: Path, before: bytes) -> None:
    assert r.code == 2, (r.code, r.stderr)
    h15_clean_failure(r)
    assert "would overwrite" in r.stderr
    assert victim.read_bytes() == before


@pytest.mark.parametrize("how", SPELLINGS)
def test_check_report_over_its_tmx(h15_cli, h15_tmx: Path, how: str) -> None:
    before = h15_tmx.read_bytes()
    r = h15_cli("check", h15_tmx, "-o", _alias(h15_tmx, how), "--no-default-glossary")
    _refused(r, h15_tmx, before)


def test_check_report_over_its_glossary(h15_cli, h15_tmx: Path, h15_glossary: Path) -> None:
    before = h15_glossary.read_bytes()
    r = h15_cli("check", h15_tmx, "--glossary", h15_glossary, "-o", h15_glossary)
    _refused(r, h15_glossary, before)


@pytest.mark.parametrize("how", SPELLINGS)
def test_tm_export_over_its_database(h15_cli, h15_tmx: Path, tmp_path: Path, how: str) -> None:
    db = tmp_path / "tm.sqlite"
    assert h15_cli("tm", "import", h15_tmx, "--db", db, "-q", "--allow-gist").code == 0
    before = db.read_bytes()
    r = h15_cli("tm", "export", "--db", db, _alias(db, how))
    _refused(r, db, before)
    assert h15_cli("tm", "stats", "--db", db).code == 0  # still a working memory


def test_tm_import_into_its_own_tmx(h15_cli, h15_tmx: Path) -> None:
    before = h15_tmx.read_bytes()
    r = h15_cli("tm", "import", h15_tmx, "--db", h15_tmx)
    _refused(r, h15_tmx, before)


@pytest.mark.parametrize("how", SPELLINGS)
def test_glossary_export_over_itself(h15_cli, h15_glossary: Path, how: str) -> None:
    before = h15_glossary.read_bytes()
    r = h15_cli("glossary", "--file", h15_glossary, "export", _alias(h15_glossary, how))
    _refused(r, h15_glossary, before)


def test_glossary_import_into_itself(h15_cli, h15_glossary: Path) -> None:
    before = h15_glossary.read_bytes()
    r = h15_cli("glossary", "--file", h15_glossary, "import", h15_glossary)
    _refused(r, h15_glossary, before)


def test_glossary_import_output_over_input(h15_cli, h15_glossary: Path, tmp_path: Path) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("source,target\n数据,data\n", encoding="utf-8")
    before = csv.read_bytes()
    r = h15_cli("glossary", "--file", h15_glossary, "import", csv, "-o", _alias(csv, "hardlink"))
    _refused(r, csv, before)


@pytest.mark.parametrize("flag", ["--tmx", "--html", "--out"])
@pytest.mark.parametrize("how", ["dot", "hardlink", "symlink"])
def test_translate_output_over_input(h15_cli, h15_doc: Path, flag: str, how: str) -> None:
    before = h15_doc.read_bytes()
    r = h15_cli("translate", h15_doc, flag, _alias(h15_doc, how), "--engine", "gloss")
    _refused(r, h15_doc, before)


def test_translate_output_over_glossary(h15_cli, h15_doc: Path, h15_glossary: Path) -> None:
    before = h15_glossary.read_bytes()
    r = h15_cli("translate", h15_doc, "--glossary", h15_glossary, "--tmx", h15_glossary)
    _refused(r, h15_glossary, before)


@pytest.mark.parametrize("flag", ["--tmx", "--tsv", "--beads", "--html"])
def test_align_output_over_either_input(h15_cli, h15_doc: Path, tmp_path: Path, flag: str) -> None:
    en = tmp_path / "en.txt"
    en.write_text("Cybersecurity matters.\n", encoding="utf-8")
    for victim in (h15_doc, en):
        before = victim.read_bytes()
        r = h15_cli("align", h15_doc, en, "--presplit", flag, _alias(victim, "hardlink"))
        _refused(r, victim, before)
        for p in tmp_path.glob("alias-*"):
            p.unlink()


def test_two_outputs_on_one_new_file(h15_cli, h15_doc: Path, tmp_path: Path) -> None:
    r = h15_cli("translate", h15_doc, "--tmx", tmp_path / "x.out", "--html", tmp_path / "." / "x.out")
    assert r.code == 2 and "same file" in r.stderr
    assert not (tmp_path / "x.out").exists()


def test_different_file_is_fine(h15_cli, h15_tmx: Path, tmp_path: Path) -> None:
    r = h15_cli("check", h15_tmx, "-o", tmp_path / "report.txt", "--no-default-glossary")
    assert r.code in (0, 1) and (tmp_path / "report.txt").is_file()
