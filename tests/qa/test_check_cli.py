"""CLI tests for ``bitext check`` (CliRunner, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli.main import cli

DATA = Path(__file__).parents[1] / "data" / "qa"
EXPECTED = {
    ("bad-term", "term"),
    ("bad-number", "number"),
    ("bad-untranslated", "untranslated"),
    ("bad-empty", "empty"),
    ("warn-brackets", "brackets"),
    ("warn-identical", "identical"),
}


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.output


def keys(out: str) -> set[tuple[str, str]]:
    """``(tuid, check)`` of every issue in ``bitext check`` JSON output."""
    return {(i["tuid"], i["check"]) for i in json.loads(out)["issues"]}


def check_written(tmp_path: Path, name: str, content: str) -> tuple[int, str]:
    """Write ``content`` to ``name`` and run ``bitext check --json`` on it without a glossary."""
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    return run("check", str(p), "--no-default-glossary", "--format", "json")


@pytest.mark.parametrize("default", [[], ["--no-default-glossary"]])
def test_planted_tmx_json(default: list[str]) -> None:
    code, out = run("check", str(DATA / "planted.tmx"), "--glossary", str(DATA / "glossary.tsv"),
                    "--format", "json", *default)
    assert code == 1
    data = json.loads(out)
    assert keys(out) == EXPECTED
    for i in data["issues"]:
        assert set(i) == {"tuid", "check", "severity", "message"}
        assert i["severity"] == ("warning" if i["tuid"].startswith("warn") else "error")
    s = data["summary"]
    assert s["units"] == 13 and s["errors"] == 4 and s["warnings"] == 2


def test_json_flag_alias() -> None:
    code, out = run("check", str(DATA / "planted.tmx"), "--glossary", str(DATA / "glossary.tsv"),
                    "--json")
    assert code == 1
    assert keys(out) == EXPECTED


def test_text_report() -> None:
    code, out = run("check", str(DATA / "planted.tmx"), "--glossary", str(DATA / "glossary.tsv"))
    assert code == 1
    assert "bad-number\terror\tnumber" in out
    assert "13 units, 4 errors, 2 warnings" in out


def _tmx(tmp_path: Path, units: list[tuple[str, str, str]]) -> Path:
    from xml.sax.saxutils import escape

    body = "".join(
        f'<tu tuid="{escape(t)}"><tuv xml:lang="zh-CN"><seg>{escape(s)}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{escape(e)}</seg></tuv></tu>'
        for t, s, e in units
    )
    p = tmp_path / "t.tmx"
    p.write_text(f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-CN"/>'
                 f"<body>{body}</body></tmx>", encoding="utf-8")
    return p


def test_clean_file_exit_0_and_warnings_only(tmp_path: Path) -> None:
    p = _tmx(tmp_path, [("1", "网信办发布。", "The CAC issued it."),
                        ("2", "增长百分之十五（同比）。", "Up 15% (year on year).")])
    code, out = run("check", str(p), "--glossary", str(DATA / "glossary.tsv"), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["issues"] == []
    p = _tmx(tmp_path, [("1", "他说（好）。", "He said (good.")])
    code, out = run("check", str(p), "--no-default-glossary", "--format", "json")
    assert code == 0
    assert [i["check"] for i in json.loads(out)["issues"]] == ["brackets"]
    code, _ = run("check", str(p), "--no-default-glossary", "--strict")
    assert code == 1


def test_skip(tmp_path: Path) -> None:
    p = _tmx(tmp_path, [("1", "营收5.64亿元", "Revenue of 5.64 million")])
    assert run("check", str(p), "--no-default-glossary")[0] == 1
    assert run("check", str(p), "--no-default-glossary", "--skip", "number")[0] == 0


def test_html_report_escaped(tmp_path: Path) -> None:
    p = _tmx(tmp_path, [("<x>", "网信办<b>", "the <script>alert(1)</script> regulator")])
    out_file = tmp_path / "r.html"
    code, _ = run("check", str(p), "--glossary", str(DATA / "glossary.tsv"), "--format", "html",
                  "-o", str(out_file))
    assert code == 1
    page = out_file.read_text(encoding="utf-8")
    assert page.count("<script") <= 1 and "<script>alert" not in page and "&lt;x&gt;" in page
    assert 'data-check="term"' in page


def test_xliff(tmp_path: Path) -> None:
    code, out = check_written(
        tmp_path,
        "t.xlf",
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file source-language="zh-CN" target-language="en" datatype="plaintext" original="x">'
        '<body><trans-unit id="u1"><source>用户达3万人。</source><target>30,000 users.</target>'
        '</trans-unit><trans-unit id="u2"><source>用户达3万人。</source><target>3,000 users.'
        "</target></trans-unit><trans-unit id=\"u3\"><source>你好</source></trans-unit>"
        '<trans-unit id="skip" translate="no"><source>不要翻译</source></trans-unit>'
        '<group translate="no"><trans-unit id="skip2"><source>不要</source></trans-unit></group>'
        "</body></file></xliff>",
    )
    assert code == 1
    assert keys(out) == {("u2", "number"), ("u3", "empty")}


def test_side_by_side_html(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(
        '<!DOCTYPE html><html><body><table class="bitext"><tbody class="block paragraph" id="p1">'
        '<tr class="seg origin-mt" id="p1.s1"><td class="sid"><a href="#p1.s1">p1.s1</a></td>'
        '<td class="src" lang="zh-CN"><span class="text"><mark class="term">网信办</mark>发布</span></td>'
        '<td class="tgt" lang="en"><span class="text">The <mark class="term">CAC</mark> issued</span>'
        '<ul class="flags"><li class="flag qa-error">QA error 网信办</li></ul></td></tr>'
        '<tr class="seg origin-mt" id="p1.s2"><td class="sid"></td>'
        '<td class="src" lang="zh-CN"><span class="text">营收5.64亿元</span></td>'
        '<td class="tgt" lang="en"><span class="text">revenue of 5.64 million</span></td></tr>'
        "</tbody></table></body></html>",
        encoding="utf-8",
    )
    code, out = run("check", str(p), "--glossary", str(DATA / "glossary.tsv"), "--format", "json")
    assert code == 1
    assert keys(out) == {("p1.s2", "number")}


@pytest.mark.parametrize(
    "name, content",
    [("x.txt", "hello"), ("missing.tmx", None), ("bad.tmx", "<tmx><body><tu>")],
)
def test_bad_input_exit_1(tmp_path: Path, name: str, content: str | None) -> None:
    p = tmp_path / name
    if content is not None:
        p.write_text(content, encoding="utf-8")
    res = CliRunner().invoke(cli, ["check", str(p)])
    assert res.exit_code == 1
    assert "Traceback" not in res.output


def test_usage_error_exit_2() -> None:
    assert run("check", str(DATA / "planted.tmx"), "--format", "pdf")[0] == 2


def test_xliff2(tmp_path: Path) -> None:
    code, out = check_written(
        tmp_path,
        "t.xlf",
        '<?xml version="1.0"?><xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'srcLang="zh-CN" trgLang="en"><file id="f1">'
        '<unit id="u1"><segment id="s1"><source>增长百分之十五<ph id="1"/></source>'
        "<target>up 15%</target></segment>"
        '<segment id="s2"><source>网信办</source><target>网信办</target></segment></unit>'
        '<unit id="u2" translate="no"><segment id="s3"><source>保留</source></segment></unit>'
        "</file></xliff>",
    )
    assert code == 1
    assert keys(out) == {("s2", "untranslated"), ("s2", "identical")}
    assert json.loads(out)["summary"]["units"] == 2


def test_tmx_kept_en_to_zh_still_checks_chinese_as_source(tmp_path: Path) -> None:
    """srclang="en-US" (a memory made the other way round): Chinese is still the source."""
    p = tmp_path / "rev.tmx"
    p.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en-US"/><body>'
        '<tu tuid="1"><tuv xml:lang="EN-US"><seg>Some 30,000 firms.</seg></tuv>'
        '<tuv xml:lang="zh_CN"><seg>约3万家企业。</seg></tuv></tu>'
        '<tu tuid="2"><tuv xml:lang="EN-US"><seg>Some 3,000 firms.</seg></tuv>'
        '<tuv xml:lang="zh_CN"><seg>约3万家企业。</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    code, out = run("check", str(p), "--no-default-glossary", "--json")
    assert code == 1
    assert [(i["tuid"], i["check"]) for i in json.loads(out)["issues"]] == [("2", "number")]


def test_cli_check_names_are_the_library_checks() -> None:
    """``--skip`` choices are spelled in the CLI (no library import at --help time)."""
    from bitext.cli.check import CHECK_NAMES
    from bitext.qa.checks import CHECKS

    assert CHECK_NAMES == CHECKS


def test_html_report_shows_pairs_with_marks_and_links_to_the_page(tmp_path: Path) -> None:
    from lxml import html as lxml_html

    p = _tmx(tmp_path, [
        ("u1", "截至2023年12月，我国网民规模达5.64亿人。", "By December 2023, China had 546 million users."),
        ("u2", "网信办发布通知。", "The regulator issued a notice."),
    ])
    out_file = tmp_path / "out" / "r.html"
    out_file.parent.mkdir()
    page = tmp_path / "law.html"
    code, _ = run("check", str(p), "--glossary", str(DATA / "glossary.tsv"), "--format", "html",
                  "-o", str(out_file), "--page", str(page))
    assert code == 1
    doc = lxml_html.document_fromstring(out_file.read_text(encoding="utf-8"))
    rows = {(r.get("data-unit"), r.get("data-check")): r for r in doc.xpath("//tr[contains(@class, 'finding')]")}
    num = rows[("u1", "number")]
    assert num.xpath("string(.//dd[@class='src']/mark)") == "5.64亿"
    assert num.xpath("string(.//dd[@class='tgt'])") == "By December 2023, China had 546 million users."
    assert num.xpath(".//dd[@class='src']/@lang") == ["zh-CN"]
    assert num.xpath(".//td[@class='unit']/a/@href") == ["../law.html#u1"]
    term = rows[("u2", "term")]
    assert term.xpath("string(.//dd[@class='src']/mark)") == "网信办"
    # the quoted term in the English message sits in a zh-CN span
    assert term.xpath(".//p[@class='msg']/span[@lang='zh-CN']/text()") == ["网信办"]
    # filters by check and severity, a summary on top, CSP and viewport
    assert {i.get("id") for i in doc.xpath("//input[@type='radio']")} >= {
        "show-check-number", "show-check-term", "show-sev-error", "show-sev-warning"}
    assert doc.xpath("string(//header//*[@data-count='errors'])") == str(
        len(doc.xpath("//tr[contains(@class, 'sev-error')]")))
    assert doc.xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert doc.xpath("//meta[@name='viewport']") and doc.xpath("//main")


def test_html_report_of_a_bitext_page_links_to_it(tmp_path: Path) -> None:
    from lxml import html as lxml_html

    src = tmp_path / "doc.txt"
    src.write_text("网信办发布通知。\n", encoding="utf-8")
    assert run("translate", str(src), "--engine", "gloss", "--html", str(tmp_path / "doc.html"),
               "-q")[0] == 0
    out_file = tmp_path / "qa.html"
    run("check", str(tmp_path / "doc.html"), "--format", "html", "-o", str(out_file))
    doc = lxml_html.document_fromstring(out_file.read_text(encoding="utf-8"))
    links = doc.xpath("//td[@class='unit']/a/@href")
    assert all(h.startswith("doc.html#p") for h in links)


def test_report_names_glossaries_without_local_paths(tmp_path: Path) -> None:
    """The JSON report is a deliverable: glossaries by file name, never by path."""
    g = tmp_path / "mine.tsv"
    g.write_text("source\ttarget\n网信办\tCAC\n", encoding="utf-8")
    tmx = DATA / "planted.tmx"
    res = CliRunner().invoke(cli, ["check", str(tmx), "--glossary", str(g), "--json"])
    data = json.loads(res.stdout)
    assert "mine.tsv" in data["summary"]["glossaries"]
    assert not any("/" in name for name in data["summary"]["glossaries"])


def test_xliff_protected_chinese_is_no_untranslated_text(tmp_path: Path) -> None:
    """A CAT tool's protected span (2.0 ``<mrk translate="no">``, 1.2 ``<mrk
    mtype="protected">``) keeps its Chinese in the target: ``bitext check`` of the XLIFF
    flagged it as untranslated text. Chinese outside it still is."""
    for version, ns, unit in (
        ("2.0", "urn:oasis:names:tc:xliff:document:2.0",
         ('<unit id="u{k}"><segment id="s{k}"><source>本法由<mrk id="m1" translate="no">网信办</mrk>负责解释。'
         "</source><target>{t}</target></segment></unit>")),
        ("1.2", "urn:oasis:names:tc:xliff:document:1.2",
         ('<trans-unit id="s{k}"><source>本法由<mrk mtype="protected">网信办</mrk>负责解释。</source>'
         "<target>{t}</target></trans-unit>")),
    ):
        units = "".join(unit.format(k=k, t=t) for k, t in (
            (1, "This Law is interpreted by the 网信办."), (2, "This Law is 负责 by the 网信办.")))
        head = (f'<xliff version="{version}" xmlns="{ns}" srcLang="zh-CN" trgLang="en"><file id="f1">'
                if version == "2.0" else
                f'<xliff version="{version}" xmlns="{ns}"><file source-language="zh-CN" target-language="en" '
                'datatype="plaintext" original="x"><body>')
        tail = "</file></xliff>" if version == "2.0" else "</body></file></xliff>"
        code, out = check_written(tmp_path, f"p{version}.xlf", f'<?xml version="1.0"?>{head}{units}{tail}')
        assert code == 1 and keys(out) == {("s2", "untranslated")}, (version, out)


def test_tmx_of_an_xliff_knows_its_protected_spans(tmp_path: Path) -> None:
    """The TMX bitext writes for an XLIFF carries the text its protected spans keep
    (``x-bitext-keep``), so that a standalone ``bitext check`` of the TMX no longer flags
    their Chinese as untranslated, nor asks for a glossary term inside them."""
    src = tmp_path / "p.xlf"
    src.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'version="2.0" srcLang="zh-CN" trgLang="en"><file id="f1"><unit id="u1"><segment id="s1">'
        '<source>本法由<mrk id="m1" translate="no">网信办</mrk>负责解释。</source></segment></unit>'
        "</file></xliff>\n", encoding="utf-8")
    tmx = tmp_path / "p.tmx"
    res = CliRunner().invoke(cli, ["translate", str(src), "--tmx", str(tmx), "--out", str(tmp_path / "o.xlf"), "-q"])
    assert res.exit_code == 0, res.output
    assert '<prop type="x-bitext-keep">网信办</prop>' in tmx.read_text(encoding="utf-8")
    code, out = check_written(tmp_path, "p2.tmx", tmx.read_text(encoding="utf-8"))
    assert code == 0 and keys(out) == set(), out
    code, out = run("check", str(tmx), "--format", "json")  # the shipped glossary has 网信办 → CAC
    assert code == 0 and keys(out) == set(), out
