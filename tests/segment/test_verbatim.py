"""Addresses, paths and file names come through translation byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from bitext.segment.verbatim import verbatim_spans
from bitext.terms.enforce import enforce_batch, hold_verbatim, put_back
from bitext.terms.loading import load_glossaries


@pytest.mark.parametrize(
    "text, spans",
    [("详情见 https://www.cac.gov.cn/2024/数据.htm 或发邮件至 test@example.com。",
      ["https://www.cac.gov.cn/2024/数据.htm", "test@example.com"]),
     ("访问www.example.com.cn查看。", ["www.example.com.cn"]),
     ("详见https://a.cn/x查看更多。", ["https://a.cn/x"]),  # running Chinese text ends it
     ("（https://example.com/a_(1).htm）。", ["https://example.com/a_(1).htm"]),
     ("(see https://a.com/b).", ["https://a.com/b"]),
     ("下载地址：“http://a.cn/下载/工具.exe”。", ["http://a.cn/下载/工具.exe"]),
     ("配置文件位于 C:\\Program Files\\数据\\config.ini，运行 python main.py --input 数据.txt 即可。",
      ["C:\\Program Files\\数据\\config.ini", "main.py", "数据.txt"]),
     ("共享目录 \\\\server\\共享\\文件.docx 可用。", ["\\\\server\\共享\\文件.docx"]),
     ("日志在 /var/log/数据/app.log 中。", ["/var/log/数据/app.log"]),
     ("打开数据.txt文件。", []),  # where the name starts is unknown
     ("附件1：检查细则.pdf", []),  # an attachment's title, translated
     ("运行main.py即可，或 file=\"数据.csv\"。", ["main.py", "数据.csv"]),
     ("比例为 1/2，日期 2024/07/31，版本 v1.2.3，增长 3.5%。", []),
     ("见《数据安全法》第3.5条，and/or 是 A/B 测试。", [])],
)  # fmt: skip
def test_spans(text: str, spans: list[str]) -> None:
    assert [text[a:b] for a, b in verbatim_spans(text)] == spans


def test_placeholders_go_back_once_and_lost_ones_before_the_stop() -> None:
    text = "详情见 https://a.cn/数据.htm 或 b@c.cn。"
    hits, held = hold_verbatim(text, ())
    assert [h.entry.target for h in hits] == ["ZQX0Z", "ZQX1Z"] and [s for _, s, _ in held] == [
        "https://a.cn/数据.htm", "b@c.cn"]
    assert put_back("See zqx0z or ZQX1Z.", held) == "See https://a.cn/数据.htm or b@c.cn."
    # lost placeholders: the spans go in near their place in the source, the last one before
    # the final stop
    lost = put_back("See the page or write to us.", held)
    assert lost.startswith("See https://a.cn/数据.htm the page") and lost.endswith(" to us.") and \
        lost.count("b@c.cn") == 1, lost
    assert put_back("See the page.", [("ZQX0Z", "b@c.cn", 1.0)]) == "See the page b@c.cn."
    # a text that already holds the placeholder's spelling gets another one
    assert hold_verbatim("ZQX0Z 见 https://a.cn", ())[1][0][0] == "ZQX1Z"


def test_gist_keeps_spans_and_counts_no_term_hits() -> None:
    from bitext.engines.gloss import GlossEngine

    texts = ["详情见 https://www.cac.gov.cn/2024/数据.htm 或发邮件至 test@example.com。",
             "网信办的配置文件位于 C:\\Program Files\\数据\\config.ini。"]
    out = enforce_batch(GlossEngine(), texts, load_glossaries(user=False))
    assert "https://www.cac.gov.cn/2024/数据.htm" in out[0].text and "test@example.com" in out[0].text
    assert "C:\\Program Files\\数据\\config.ini" in out[1].text
    assert "ZQX" not in out[0].text + out[1].text
    assert [h.entry.source for h in out[1].hits] == ["网信办"]  # the glossary's hit only
    assert not out[0].hits and not out[0].violations


def test_tiny_model_brings_spans_back_byte_for_byte(tiny_argos: Path) -> None:
    from bitext.engines.argos import ArgosEngine

    spans = ["https://www.cac.gov.cn/2024/数据.htm", "C:\\Program Files\\数据\\config.ini", "/etc/数据/app.conf",
             "www.example.com"]
    texts = [f"网信办发布了通知，详情见 {spans[0]} 。", f"配置文件位于 {spans[1]}。",
             f"数据安全法自2021年9月1日起施行，见 {spans[2]} 和 {spans[3]} 。"]
    out = enforce_batch(ArgosEngine(), texts, load_glossaries(user=False))
    joined = "\n".join(e.text for e in out)
    for s in spans:
        assert joined.count(s) == 1, joined
    assert "ZQX" not in joined.upper() and not regex.search(r"\p{Han}", regex.sub("|".join(map(regex.escape, spans)), "", joined))


def test_cli_text_file_keeps_addresses(tmp_path: Path) -> None:
    from bitext.cli.main import cli

    src = tmp_path / "notice.txt"
    src.write_text("详情见 https://www.cac.gov.cn/2024/数据.htm 或发邮件至 test@example.com。\n\n"
                   "运行 python main.py --input 数据.txt 即可。\n", encoding="utf-8")
    out = tmp_path / "notice.en.txt"
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    for s in ("https://www.cac.gov.cn/2024/数据.htm", "test@example.com", "main.py", "数据.txt"):
        assert s in text, text


def test_qa_takes_kept_chinese_for_no_untranslated_text() -> None:
    """An address's or a protected span's Chinese in the target is no untranslated text, and
    a glossary term inside a protected span need not be rendered."""
    from bitext.qa.checks import check_pair

    src = "详情见 https://www.cac.gov.cn/2024/数据.htm 。"
    assert not check_pair("u1", src, "See https://www.cac.gov.cn/2024/数据.htm .")
    found = check_pair("u1", src, "See https://www.cac.gov.cn/2024/ 数据 .htm .")
    assert [f.check for f in found] == ["untranslated"]
    glossary = load_glossaries(user=False)
    src2 = "本法由网信办负责解释。"
    assert [f.check for f in check_pair("u2", src2, "This Law is interpreted by 网信办.", glossary)] == [
        "term", "untranslated"]
    assert not check_pair("u2", src2, "This Law is interpreted by 网信办.", glossary, keep=[(3, 6)])
