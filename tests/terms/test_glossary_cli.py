"""CLI tests for ``bitext glossary`` (always on copies in tmp_path, never the shipped file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli.main import cli
from bitext.terms.glossary import SHIPPED_GLOSSARIES, Glossary

DATA = Path(__file__).parents[1] / "data" / "qa"


@pytest.fixture()
def gfile(tmp_path: Path) -> Path:
    p = tmp_path / "edit.tsv"
    shutil.copy(DATA / "edit.tsv", p)
    return p


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.stdout, res.stderr


def lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").split("\n")


def test_list_and_json(gfile: Path) -> None:
    code, out, _ = run("glossary", "--file", str(gfile), "list")
    assert code == 0
    assert out.splitlines()[0].startswith("网信办 → CAC  # short form")
    code, out, _ = run("glossary", "list", "--file", str(gfile), "--json")
    data = json.loads(out)
    assert data["columns"] == ["source", "target", "note", "domain", "pos"]
    assert [e["source"] for e in data["entries"]] == ["网信办", "数据安全法", "大模型"]
    assert data["entries"][1]["domain"] == "law"


def test_list_without_file_shows_every_loaded_entry() -> None:
    code, out, _ = run("glossary", "list", "--json")
    assert code == 0
    entries = json.loads(out)["entries"]
    assert len(entries) == len(Glossary.load(list(SHIPPED_GLOSSARIES)))
    assert {Path(e["file"]).name for e in entries} == {"zh-en-cyberpolicy.tsv", "zh-en-legal.tsv"}


@pytest.mark.parametrize(
    "query, sources",
    [("网信", ["网信办"]), ("law", ["数据安全法"]), ("LARGE", ["大模型"]), ("ｃａｃ", ["网信办"])],
)
def test_search(gfile: Path, query: str, sources: list[str]) -> None:
    code, out, _ = run("glossary", "--file", str(gfile), "search", query, "--json")
    assert code == 0
    assert [e["source"] for e in json.loads(out)["entries"]] == sources


def test_search_nothing(gfile: Path) -> None:
    code, out, err = run("glossary", "--file", str(gfile), "search", "不存在")
    assert code == 0 and out == "" and "no entry" in err
    code, out, _ = run("glossary", "--file", str(gfile), "search", "不存在", "--json")
    assert json.loads(out)["entries"] == []


def test_add_keeps_everything_else(gfile: Path) -> None:
    before = lines(gfile)
    code, _, err = run("glossary", "--file", str(gfile), "add", "数据出境", "cross-border data transfer",
                       "--note", "DSL")
    assert code == 0, err
    after = lines(gfile)
    assert after[: len(before) - 1] == before[:-1]
    assert after[-2] == "数据出境\tcross-border data transfer\tDSL\t\t"
    assert after[-1] == ""
    g = Glossary.load([gfile])
    assert g.get("数据出境").target == "cross-border data transfer"
    assert g.get("网信办").extra == (("domain", "org"), ("pos", "n"))


def test_add_conflict_refused_then_replace(gfile: Path) -> None:
    before = gfile.read_bytes()
    code, _, err = run("glossary", "--file", str(gfile), "add", "网信办", "Cyberspace Administration")
    assert code == 1
    assert "--replace" in err
    assert gfile.read_bytes() == before
    # same target again: nothing to do, no error
    assert run("glossary", "--file", str(gfile), "add", "网信办", "CAC")[0] == 0
    assert gfile.read_bytes() == before
    code, _, _ = run("glossary", "--file", str(gfile), "add", "网信办", "Cyberspace Administration",
                     "--replace")
    assert code == 0
    after = lines(gfile)
    assert after[3] == "网信办\tCyberspace Administration\tshort form\torg\tn"
    assert len(after) == len(before.decode().split("\n"))


def test_add_creates_file(tmp_path: Path) -> None:
    p = tmp_path / "new.tsv"
    assert run("glossary", "--file", str(p), "add", "算法", "algorithm")[0] == 0
    assert p.read_text(encoding="utf-8") == "source\ttarget\tnote\n算法\talgorithm\t\n"


@pytest.mark.parametrize("bad", [["", "x"], ["源", "  "], ["a\tb", "x"]])
def test_add_rejects_bad_cells(gfile: Path, bad: list[str]) -> None:
    before = gfile.read_bytes()
    assert run("glossary", "--file", str(gfile), "add", *bad)[0] == 1
    assert gfile.read_bytes() == before


def test_remove(gfile: Path) -> None:
    code, _, _ = run("glossary", "--file", str(gfile), "remove", "数据安全法")
    assert code == 0
    text = gfile.read_text(encoding="utf-8")
    assert "数据安全法" not in text
    assert "# data law section" in text and "# client glossary" in text
    assert run("glossary", "--file", str(gfile), "remove", "数据安全法")[0] == 1


def test_edit(gfile: Path) -> None:
    code, _, _ = run("glossary", "--file", str(gfile), "edit", "大模型", "--target", "foundation model",
                     "--note", "preferred by client")
    assert code == 0
    assert "大模型\tfoundation model\tpreferred by client\tai\tn" in lines(gfile)
    assert run("glossary", "--file", str(gfile), "edit", "大模型")[0] == 2
    assert run("glossary", "--file", str(gfile), "edit", "没有", "--target", "x")[0] == 1


def test_note_column_added_when_missing(tmp_path: Path) -> None:
    p = tmp_path / "two.tsv"
    p.write_text("source\ttarget\n算法\talgorithm\n", encoding="utf-8")
    assert run("glossary", "--file", str(p), "add", "模型", "model", "--note", "n1")[0] == 0
    assert p.read_text(encoding="utf-8") == "source\ttarget\tnote\n算法\talgorithm\n模型\tmodel\tn1\n"
    assert Glossary.load([p]).get("算法").note == ""


def test_crlf_bom_and_no_final_newline_kept(tmp_path: Path) -> None:
    p = tmp_path / "win.tsv"
    p.write_bytes("\ufeffsource\ttarget\r\n算法\talgorithm".encode())
    assert run("glossary", "--file", str(p), "add", "模型", "model")[0] == 0
    assert p.read_bytes() == "\ufeffsource\ttarget\r\n算法\talgorithm\r\n模型\tmodel\r\n".encode()


def test_symlink_followed(tmp_path: Path, gfile: Path) -> None:
    link = tmp_path / "link.tsv"
    link.symlink_to(gfile)
    assert run("glossary", "--file", str(link), "add", "算法", "algorithm")[0] == 0
    assert link.is_symlink()
    assert "算法\talgorithm" in gfile.read_text(encoding="utf-8")


def test_lint_report() -> None:
    code, out, _ = run("glossary", "--file", str(DATA / "lint.tsv"), "lint", "--json")
    assert code == 1
    data = json.loads(out)
    got = {(i["line"], i["check"], i["severity"]) for i in data["issues"]}
    assert got == {
        (3, "duplicate", "error"),
        (5, "conflict", "error"),
        (6, "spaces", "error"),
        (7, "fullwidth-space", "error"),
        (8, "han-in-target", "error"),
        (9, "nested", "warning"),
        (10, "empty", "error"),
        (11, "columns", "error"),
    }
    assert data["summary"]["errors"] == 7 and data["summary"]["warnings"] == 1


def test_lint_text_and_clean(tmp_path: Path, gfile: Path) -> None:
    code, out, _ = run("glossary", "--file", str(DATA / "lint.tsv"), "lint")
    assert code == 1
    assert "lint.tsv:5: error: [conflict]" in out
    code, out, _ = run("glossary", "--file", str(gfile), "lint")
    assert code == 0
    assert "0 errors, 0 warnings" in out
    # every problem the issue lists is an error on its own (exit 1), nested terms only warn
    p = tmp_path / "w.tsv"
    for body, code in [
        ("算法 \talgorithm\n", 1),  # stray space
        ("算法\talgorithm\n算法\talgorithm\n", 1),  # exact duplicate
        ("算法\talgorithm\n算法\talgorithms\n", 1),  # two targets
        ("算法\talgo\u3000rithm\n", 1),  # full-width space
        ("算法\t算法 algorithm\n", 1),  # Han in the target
        ("算法\t\n", 1),  # empty cell
        ("算法\talgorithm\n推荐算法\trecommender\n", 0),  # nested: warning
        ("算法\talgorithm\n", 0),
    ]:
        p.write_text("source\ttarget\n" + body, encoding="utf-8")
        assert run("glossary", "--file", str(p), "lint")[0] == code, body
        data = json.loads(run("glossary", "--file", str(p), "lint", "--json")[1])
        assert bool(data["issues"]) == (body != "算法\talgorithm\n"), body
    assert run("glossary", "--file", str(p), "lint", "--strict")[0] == 0
    p.write_text("source\ttarget\n算法\talgorithm\n推荐算法\trecommender\n", encoding="utf-8")
    assert run("glossary", "--file", str(p), "lint", "--strict")[0] == 1


def test_shipped_glossary_lints_without_errors() -> None:
    code, out, _ = run("glossary", "lint", "--json")
    assert code == 0, out


@pytest.mark.parametrize("fmt, ext", [("tsv", "tsv"), ("csv", "csv"), ("tbx", "tbx")])
def test_export_import_round_trip(tmp_path: Path, gfile: Path, fmt: str, ext: str) -> None:
    out = tmp_path / f"x.{ext}"
    code, _, err = run("glossary", "--file", str(gfile), "export", str(out))
    assert code == 0, err
    back = tmp_path / "back.tsv"
    code, _, err = run("glossary", "import", str(out), "-o", str(back))
    assert code == 0, err
    a = json.loads(run("glossary", "--file", str(gfile), "list", "--json")[1])
    b = json.loads(run("glossary", "--file", str(back), "list", "--json")[1])
    assert b["columns"] == a["columns"]
    strip = [{k: v for k, v in e.items() if k != "line"} for e in a["entries"]]
    assert [{k: v for k, v in e.items() if k != "line"} for e in b["entries"]] == strip


def test_export_two_column(tmp_path: Path, gfile: Path) -> None:
    out = tmp_path / "deepl.tsv"
    assert run("glossary", "--file", str(gfile), "export", str(out), "--format", "tsv-2col")[0] == 0
    assert out.read_text(encoding="utf-8") == (
        "网信办\tCAC\n数据安全法\tData Security Law\n大模型\tlarge model\n")
    code, out_text, _ = run("glossary", "--file", str(gfile), "export", "-", "--format", "csv-2col")
    assert code == 0
    assert out_text.splitlines()[0] == "网信办,CAC"


def test_import_merge(tmp_path: Path, gfile: Path) -> None:
    code, _, err = run("glossary", "--file", str(gfile), "import", str(DATA / "v3-ed30.tbx"), "--json")
    assert code == 0, err
    g = Glossary.load([gfile])
    assert g.get("个人信息").target == "personal information"
    assert dict(g.get("数据安全法").extra)["definition"] == "Law on data handling."
    assert "# data law section" in gfile.read_text(encoding="utf-8")


def test_import_conflict_refused(tmp_path: Path, gfile: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("网信办,Cyberspace Administration of China\n算法,algorithm\n", encoding="utf-8")
    before = gfile.read_bytes()
    code, _, err = run("glossary", "--file", str(gfile), "import", str(src))
    assert code == 1 and "--replace" in err
    assert gfile.read_bytes() == before
    assert run("glossary", "--file", str(gfile), "import", str(src), "--replace")[0] == 0
    g = Glossary.load([gfile])
    assert g.get("网信办").target == "Cyberspace Administration of China"
    assert g.get("网信办").note == "short form"
    assert g.get("算法").target == "algorithm"


def test_suggest_cli(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text(
        "# 量子密钥分发\n\n量子密钥分发网络正在建设。量子密钥分发网络覆盖多个城市。"
        "网信办表示，量子密钥分发网络将服务政务系统。\n",
        encoding="utf-8",
    )
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n网信办\tCAC\n", encoding="utf-8")
    code, out, err = run("glossary", "--file", str(g), "suggest", str(doc), "--top", "5", "--json")
    assert code == 0, err
    cands = json.loads(out)["candidates"]
    terms = [c["term"] for c in cands]
    assert "网信办" not in terms
    assert any("量子" in t for t in terms)
    assert all(c["context"] for c in cands)
    code, out, _ = run("glossary", "--file", str(g), "suggest", str(doc), "--top", "3")
    assert code == 0 and out.startswith("  1. ")


def test_help_has_examples() -> None:
    code, out, _ = run("glossary", "--help")
    assert code == 0 and "Examples" in out


@pytest.mark.parametrize(
    "args, expected",
    [(["--format", "deepl"], "网信办\tCAC\n"), (["--no-header"], "网信办\tCAC\n"),
     (["--format", "google"], "网信办,CAC\n"), (["--format", "csv", "--no-header"], "网信办,CAC\n")],
)
def test_export_headerless_aliases(gfile: Path, args: list[str], expected: str) -> None:
    code, out, _ = run("glossary", "--file", str(gfile), "export", "-", *args)
    assert code == 0
    assert out.startswith(expected)


def test_headerless_import_round_trip(tmp_path: Path, gfile: Path) -> None:
    out = tmp_path / "plain.tsv"
    assert run("glossary", "--file", str(gfile), "export", str(out), "--no-header")[0] == 0
    back = tmp_path / "back.tsv"
    assert run("glossary", "import", str(out), "-o", str(back))[0] == 0
    g = Glossary.load([back])
    assert [(e.source, e.target) for e in g] == [
        ("网信办", "CAC"), ("数据安全法", "Data Security Law"), ("大模型", "large model")]


@pytest.mark.parametrize("ext", ["tsv", "csv", "tbx"])
def test_round_trip_keeps_column_order(tmp_path: Path, ext: str) -> None:
    """source is not always first: the glossary's own column order survives export/import."""
    g = tmp_path / "g.tsv"
    g.write_text("# c\nsource\tdomain\ttarget\tnote\tstatus\n网信办\tgov\tCAC\tabbr, \"x\"\tok\n"
                 "算法\t\talgorithm\t\t\n", encoding="utf-8")
    out = tmp_path / f"x.{ext}"
    assert run("glossary", "--file", str(g), "export", str(out))[0] == 0
    back = tmp_path / "back.tsv"
    assert run("glossary", "import", str(out), "-o", str(back))[0] == 0
    assert back.read_text(encoding="utf-8").splitlines() == [
        "source\tdomain\ttarget\tnote\tstatus", '网信办\tgov\tCAC\tabbr, "x"\tok', "算法\t\talgorithm\t\t"]


def test_import_cells_with_tabs_and_line_breaks(tmp_path: Path, gfile: Path) -> None:
    """A CSV cell may hold a line break or a tab; merged or written, it becomes a space."""
    src = tmp_path / "odd.csv"
    src.write_text('source,target,note\n数据出境,"cross-border\tdata transfer","line1\nline2, ""q"""\n',
                   encoding="utf-8")
    code, _, err = run("glossary", "--file", str(gfile), "import", str(src))
    assert code == 0, err
    assert "数据出境\tcross-border data transfer\tline1 line2, \"q\"" in gfile.read_text(encoding="utf-8")
    out = tmp_path / "o.tsv"
    assert run("glossary", "import", str(src), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").splitlines()[1] == (
        '数据出境\tcross-border data transfer\tline1 line2, "q"')
