"""The user glossary, glossary formats wherever a glossary is read, and the shipped files' lint."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli.main import cli
from bitext.terms.glossary import SHIPPED_GLOSSARIES, user_glossary_path
from bitext.terms.loading import load_glossaries

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.stdout, res.stderr


def _digest(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture()
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-data"
    monkeypatch.setenv("BITEXT_DATA_DIR", str(folder))
    return folder


def test_add_without_file_writes_the_user_glossary_not_the_package(user_dir: Path, tmp_path: Path) -> None:
    shipped = _digest([p.resolve() for p in SHIPPED_GLOSSARIES])
    code, _, err = run("glossary", "add", "测试术语", "test term")
    assert code == 0, err
    assert user_glossary_path() == user_dir / "glossary.tsv"
    assert "测试术语\ttest term" in (user_dir / "glossary.tsv").read_text(encoding="utf-8")
    assert _digest([p.resolve() for p in SHIPPED_GLOSSARIES]) == shipped
    # enforced on the next translate, and listed with its file
    doc = tmp_path / "a.txt"
    doc.write_text("测试术语很重要。\n", encoding="utf-8")
    code, _, err = run("translate", str(doc), "-o", str(tmp_path / "out"), "-q")
    assert code == 0, err
    assert "test term" in (tmp_path / "out" / "a.en.txt").read_text(encoding="utf-8").lower()
    code, out, _ = run("glossary", "list", "--sources")
    assert any("测试术语" in ln and str(user_dir / "glossary.tsv") in ln for ln in out.splitlines())
    assert any("总则" in ln and "zh-en-legal.tsv" in ln for ln in out.splitlines())


def test_edit_without_file_overrides_a_shipped_entry(user_dir: Path) -> None:
    code, _, err = run("glossary", "edit", "总则", "--target", "General Rules")
    assert code == 0, err
    assert load_glossaries().get("总则").target == "General Rules"  # type: ignore[union-attr]
    assert load_glossaries(user=False).get("总则").target == "General Provisions"  # type: ignore[union-attr]
    code, _, err = run("glossary", "remove", "总则")
    assert code == 0, err
    assert load_glossaries().get("总则").target == "General Provisions"  # type: ignore[union-attr]


def test_remove_without_user_glossary_is_a_clear_error(user_dir: Path) -> None:
    code, _, err = run("glossary", "remove", "网信办")
    assert code == 1
    assert "Traceback" not in err and "glossary" in err


CSV = "source,target,note\n测试术语,csv term,from a CSV\n"
TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>
<text><body><conceptEntry id="c1">
<langSec xml:lang="zh"><termSec><term>测试术语</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>tbx term</term></termSec></langSec>
</conceptEntry></body></text></tbx>
"""


@pytest.mark.parametrize(
    "name, body, target",
    [("g.csv", CSV, "csv term"), ("g.tbx", TBX, "tbx term"), ("g.txt", CSV, "csv term"),
     ("g.terms", TBX, "tbx term")],
)  # fmt: skip
def test_glossary_option_reads_csv_and_tbx(tmp_path: Path, name: str, body: str, target: str) -> None:
    g = tmp_path / name
    g.write_text(body, encoding="utf-8")
    assert load_glossaries([g]).get("测试术语").target == target  # type: ignore[union-attr]
    doc = tmp_path / "a.txt"
    doc.write_text("测试术语很重要。\n", encoding="utf-8")
    code, _, err = run("translate", str(doc), "--glossary", str(g), "-o", str(tmp_path / "out"), "-q")
    assert code == 0, err
    assert target in (tmp_path / "out" / "a.en.txt").read_text(encoding="utf-8").lower()
    tmx = tmp_path / "out" / "a.tmx"
    code, out, _ = run("check", str(tmx), "--glossary", str(g), "--json")
    assert code == 0, out
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("测试术语很重要。\n", encoding="utf-8")
    en.write_text(f"The {target} matters.\n", encoding="utf-8")
    code, out, err = run("align", str(zh), str(en), "--presplit", "--glossary", str(g), "--json")
    assert code == 0, err
    assert json.loads(out)["glossaries"][-1]["name"] == g.name  # a name, never a local path


def test_same_file_twice_is_loaded_once_and_align_uses_the_shipped_ones(tmp_path: Path) -> None:
    g = load_glossaries([SHIPPED_GLOSSARIES[0], REPO / "glossaries" / "zh-en-cyberpolicy.tsv"])
    assert len(g.files) == len(SHIPPED_GLOSSARIES)
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("网信办发布通知。\n", encoding="utf-8")
    en.write_text("The CAC issued a notice.\n", encoding="utf-8")
    code, out, err = run("align", str(zh), str(en), "--presplit", "--json")
    assert code == 0, err
    assert {x["name"] for x in json.loads(out)["glossaries"]} == {
        "zh-en-cyberpolicy.tsv", "zh-en-legal.tsv"}
    code, out, err = run("align", str(zh), str(en), "--presplit", "--json", "--no-default-glossary")
    assert json.loads(out)["glossaries"] == []


@pytest.mark.parametrize("path", SHIPPED_GLOSSARIES, ids=lambda p: p.name)
def test_shipped_glossaries_pass_strict_lint(path: Path) -> None:
    code, out, _ = run("glossary", "--file", str(path), "lint", "--strict")
    assert code == 0, out


def test_legal_glossary_size_and_package_copy() -> None:
    legal = REPO / "glossaries" / "zh-en-legal.tsv"
    assert SHIPPED_GLOSSARIES[1].read_bytes() == legal.read_bytes()
    g = load_glossaries([legal], defaults=False, user=False)
    assert len(g) >= 150
    for src, tgt in [("总则", "General Provisions"), ("附则", "Supplementary Provisions"),
                     ("法律责任", "Legal Liability"), ("责令改正", "order to make corrections"),
                     ("没收违法所得", "confiscate unlawful gains"), ("罚款", "fine")]:
        assert g.get(src).target == tgt  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body, warns",
    [("算法\talgorithm\n算法推荐\talgorithmic recommendation\n", False),
     ("人工智能\tartificial intelligence\n通用人工智能\tartificial general intelligence\n", False),
     ("公安部\tMinistry of Public Security\n公安部门\tpublic security department\n", False),
     ("算法\talgorithm\n推荐算法\trecommender\n", True)],
)  # fmt: skip
def test_nested_rule(tmp_path: Path, body: str, warns: bool) -> None:
    p = tmp_path / "w.tsv"
    p.write_text("source\ttarget\n" + body, encoding="utf-8")
    data = json.loads(run("glossary", "--file", str(p), "lint", "--json")[1])
    assert bool(data["issues"]) == warns, data
