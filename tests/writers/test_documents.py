"""Document writers (``--out``): txt, md and html rebuild the input's own format in English.

Documents go through the real readers and the real pipeline with a glossary TSV written
in ``tmp_path`` and a small deterministic engine defined here (each Han run becomes
``zh``; a chosen English word can be dropped to plant a term violation).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from click.testing import CliRunner
from lxml import html as lxml_html
from support import HanEngine as _HanEngine

from bitext.document import Block, Document, Segment, TranslatedDocument
from bitext.engines.base import Engine, Translation
from bitext.pipeline import translate_document
from bitext.readers import read as _read
from bitext.terms.glossary import Glossary
from bitext.writers import htmldoc, md, txt, write_document


def read(path, *args, **kwargs):  # type: ignore[no-untyped-def]
    """These tests check article extraction: HTML pages are read article-only (``--article-only``)."""
    if str(path).lower().endswith((".html", ".htm")):
        kwargs.setdefault("article_only", True)
    return _read(path, *args, **kwargs)


ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parents[1] / "data" / "readers"
SAMPLE_MD = ROOT / "corpora" / "sample-policy-zh.md"
SAMPLE_HTML = ROOT / "corpora" / "sample-news-page.html"
HAN = regex.compile(r"\p{Han}+")

GLOSSARY_TSV = (
    "source\ttarget\tnote\n"
    "网信办\tCAC\t\n"
    "国家网信办\tCyberspace Administration of China\t\n"
    "关键信息基础设施\tcritical information infrastructure\t\n"
)


class HanEngine(_HanEngine):
    spaced = False
    sig = "hantest:1"


class GistEngine(HanEngine):
    name = "hangist"
    is_gist = True


@pytest.fixture
def glossary(tmp_path: Path) -> Glossary:
    p = tmp_path / "g.tsv"
    p.write_text(GLOSSARY_TSV, encoding="utf-8")
    return Glossary.load([p])


def run(path: Path, engine: Engine | None = None, glossary: Glossary | None = None) -> TranslatedDocument:
    return translate_document(read(path), engine or HanEngine(), glossary)


def han_html(tmp_path: Path, name: str, page: str) -> str:
    """``page`` as an HTML file, translated by the Han test engine and written as ``.en.html``:
    the English page's body."""
    src = tmp_path / name
    src.write_text(page, encoding="utf-8")
    out = tmp_path / (src.stem + ".en.html")
    htmldoc.write(out, translate_document(_read(src), HanEngine()))
    return out.read_text(encoding="utf-8").split("<body>")[1]


def gist_md(tmp_path: Path, name: str, text: str) -> str:
    """``text`` as a Markdown file, translated by ``bitext translate --engine gloss --out``:
    the English document."""
    from bitext.cli.main import cli

    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / (src.stem + ".en.md")
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


def structure(doc: Document) -> list[tuple]:
    """Each block's shape; the blocks of one HTML block (tag lines passed through, Chinese
    text translated in place: in the English file all of it passes through) count as one."""
    layouts = getattr(doc.source, "layouts", ())
    out: list[tuple] = []
    for i, b in enumerate(doc.blocks):
        html = (i < len(layouts) and layouts[i].style == "html" and layouts[i].wrap != ("", "")) or (
            b.kind == "passthrough" and b.raw.lstrip().startswith("<"))
        if html:
            if out[-1:] != [("html",)]:
                out.append(("html",))
            continue
        out.append((b.kind, b.level, b.marker, b.ordered, b.raw if b.kind == "passthrough" else len(b.segments) > 0))
    return out


# --- Markdown ------------------------------------------------------------------------


def test_md_keeps_front_matter_markers_and_passthrough(tmp_path: Path, glossary: Glossary) -> None:
    tdoc = run(SAMPLE_MD, glossary=glossary)
    out = tmp_path / "sample.en.md"
    md.write(out, tdoc)
    text = out.read_text(encoding="utf-8")
    src = SAMPLE_MD.read_text(encoding="utf-8")
    # front matter verbatim, not translated
    assert text.startswith(src[: src.index("---\n", 4) + 4])
    lines = text.splitlines()
    for line in (
        "[![](https://www.example.com/static/images/logo.png)](https://www.example.com)",
        "* [zh](https://www.example.com)",  # a menu is text: translated inside its link
        "* [zh](https://www.example.com/policy)",
        "[zh](https://www.example.com/login)",
        "![](https://www.example.com/uploads/2024/0801/banner.png)",
        "[zh](#top)",
    ):
        assert line in lines
    assert any(ln.startswith("# Cyberspace Administration of China") for ln in lines)
    assert "## zh" in lines
    bullets = [ln for ln in lines if ln.startswith("* ") and "](" not in ln]
    assert len(bullets) == 3
    assert any(ln.startswith("  * ") for ln in lines)  # the nested item keeps its indent
    assert [ln[:3] for ln in lines if regex.match(r"\d\. ", ln)] == ["1. ", "2. ", "3. "]
    # a paragraph is its segment targets joined by a space, on one line
    p9 = tdoc.document.blocks[8]
    assert " ".join(tdoc.results[s.id].target for s in p9.segments) in lines
    assert "gist" not in text.lower()


def test_md_round_trip_structure(tmp_path: Path) -> None:
    for name in (SAMPLE_MD, DATA / "features.md", DATA / "seedlike.md"):
        tdoc = run(name)
        out = tmp_path / f"{name.stem}.en.md"
        md.write(out, tdoc)
        again = read(out)
        assert structure(again) == structure(tdoc.document), name
        assert again.metadata.get("front_matter") == tdoc.document.metadata.get("front_matter")


def test_md_quotes_tables_code(tmp_path: Path) -> None:
    out = tmp_path / "f.en.md"
    md.write(out, run(DATA / "features.md"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["zh", "=" * 3] or (lines[0] == "zh" and set(lines[1]) == {"="})
    assert "> zh：“zh。” zh。" in lines
    assert ">" in lines  # the blank line between the quote's paragraphs stays inside it
    assert "> zh。" in lines
    assert "```python" in lines and 'print("代码块不翻译。")' in lines
    assert "| zh | zh |" in lines and "|------|-----:|" in lines
    assert "| zh | 79.1% |" in lines
    k = lines.index('<div class="note">')  # a multi-line HTML block: tags kept, text translated
    assert lines[k + 1 : k + 3] == ["  HTML zh。", "</div>"]
    assert "[guide]: https://example.org/guide" in lines
    assert "1. zh：zh。" in lines and "   * zh：zh。" in lines and "3) zh：zh" in lines


def test_md_code_spans_survive_byte_for_byte(tmp_path: Path) -> None:
    """A code span keeps its backticks around the English (its text is the engine's, kept
    as is), one with Chinese is never translated, and a link with a title gets no extra
    address after the sentence."""
    text = gist_md(tmp_path, "code.md",
                   '参见[官网](https://example.org/ "网站")和 `config.yaml` 文件。\n\n'
                   "运行 ``a`b`` 命令，然后打开 `配置文件.txt` 查看 `x*y<z>`。\n\n"
                   "| 路径 |\n|---|\n| `docs/pipl.md` |\n")
    for span in ("`config.yaml`", "``a`b``", "`配置文件.txt`", "`x*y<z>`", "| `docs/pipl.md` |"):
        assert span in text, (span, text)
    assert '(https://example.org/ "网站")' in text and "<https://example.org/>" not in text
    assert not regex.search(r"\p{Han}", text.replace("`配置文件.txt`", "").replace('"网站"', ""))


def test_md_br_before_a_line_of_only_kept_code_survives(tmp_path: Path) -> None:
    """A code span with Chinese (or an image) alone on a ``<br>`` line, in a table cell or a
    paragraph: the ``<br>`` before it was lost (``| 格<br>`数据.txt` |`` came back as
    ``| Form `数据.txt` |``); it stays, on that line, and lines with words still split.
    So do a ``<br>`` at a line's end or start and a doubled one (3 of 9 came back before)."""
    text = gist_md(tmp_path, "br.md",
                   "| 名称 | 说明 |\n|---|---|\n| 格式<br>`数据.txt` | 文件<br> |\n\n"
                   "第一行<br>`配置.yaml`<br>第三行。\n\n文字<br>![图](a.png)\n\n"
                   "<br>开头文字\n\n甲<br><br>乙\n\n- 项目<br>`数据.txt`\n")
    assert regex.search(r"\| [A-Z][a-z]+ ?<br>`数据\.txt` \| [A-Z][a-z]+ ?<br> \|", text), text
    assert regex.search(r"[a-z] ?<br>`配置\.yaml`<br> ?[A-Z]", text), text
    assert regex.search(r"[a-z] ?<br>!\[图\]\(a\.png\)", text), text
    assert regex.search(r"(?m)^<br>[A-Z]", text), text
    assert regex.search(r"[a-z] ?<br><br> ?[A-Z]", text), text
    assert regex.search(r"(?m)^- [A-Z][a-z]+ ?<br>`数据\.txt`$", text), text
    assert text.count("<br>") == 9, text


def test_md_kept_text_after_a_sentence_s_br_survives(tmp_path: Path) -> None:
    """A template tag alone after ``。<br><br>`` (a line of no text, after the sentence's
    end) was lost with its line; a closing ``<br>`` after 。 was dropped from the English."""
    text = gist_md(tmp_path, "kept.md", "段落句子。<br><br>{{ page.author }}\n\n段落文字。<br>\n\n"
                   "| 格式。<br> | 乙 |\n|---|---|\n| 甲 | 乙 |\n")
    assert text.count("{{ page.author }}") == 1, text
    assert regex.search(r"(?m)^[A-Z][a-z ]+\.<br>$", text), text
    assert regex.search(r"\| [A-Z][a-z ]+\.<br> \|", text), text


def test_md_br_and_kept_pieces_after_a_sentence_s_end_survive(tmp_path: Path) -> None:
    """What follows a sentence's 。<br> when it is only kept pieces: the ``<br>`` and the
    pieces come back. A code span between ``。<br>`` and a closing ``<br>`` was *lost* with
    its line; a ``<br>`` before a comment, an image or a doubled one before a template tag
    was dropped."""
    text = gist_md(tmp_path, "after.md",
                   "甲句。<br>`数据.txt`<br>\n\n乙句。<br><!-- 注释 -->\n\n丙句。<br><br>![图](a.png)\n\n"
                   "丁句。<br><br>{{ page.author }}\n\n| 戊句。<br>`配置.yaml`<br> | 乙 |\n|---|---|\n| 甲 | 乙 |\n")
    sentence = r"[A-Z][A-Za-z ]+\.<br>"  # the English sentence and its <br>
    for after in (r"`数据\.txt`<br>$", r"<!-- 注释 -->$", r"<br>!\[图\]\(a\.png\)$",
                  r"<br>\{\{ page\.author \}\}$"):
        assert regex.search("(?m)^" + sentence + after, text), (after, text)
    assert regex.search(r"\| " + sentence + r"`配置\.yaml`<br> \|", text), text
    assert text.count("<br>") == 9, text


def test_md_inline_html_survives(tmp_path: Path) -> None:
    """Inline HTML in Markdown keeps its tags around the English (before, the tags were
    dropped and <code> holding Chinese was translated); code holding Chinese, images and
    comments are copied verbatim."""
    text = gist_md(tmp_path, "inline.md",
                   "请运行<code>安装程序.exe</code>并按<kbd>回车</kbd>。\n\n"
                   '这是<span style="color:red">红色</span>文字，还有<b>粗体</b>和<sup>1</sup>上标。\n\n'
                   '运行<code>config.yaml</code>文件<!-- 注释 -->，见<img src="a.png" alt="图">下图。\n')
    for el in ("<code>安装程序.exe</code>", "<kbd>回车</kbd>", "<!-- 注释 -->", '<img src="a.png" alt="图">',
               "<code>config.yaml</code>"):
        assert text.count(el) == 1, (el, text)
    assert regex.search(r'<span style="color:red">[A-Za-z ]+</span>', text), text
    assert regex.search(r"<b>[A-Za-z ]+</b>", text) and "<sup>1</sup>" in text, text
    kept = regex.sub(r"<code>[^<]*</code>|<kbd>[^<]*</kbd>|<!--.*?-->|<img[^>]*>", "", text)
    assert not HAN.search(kept.split("\n", 2)[2]), kept


def test_md_one_line_html_blocks_are_translated_inside_their_tags(tmp_path: Path) -> None:
    """A README's centred title and tagline (<h1 align="center">…</h1>) were carried through
    in Chinese, or lost their tags: the text is translated between the element's own tags,
    in a multi-line HTML block too (each line's text between that line's tags)."""
    lines = gist_md(tmp_path, "readme.md",
                    '<h1 align="center">网络安全工具</h1>\n\n'
                    '<p align="center">一个<b>离线</b>的翻译工具。第二句话！</p>\n\n'
                    '<div align="center"><img src="logo.png"></div>\n\n'
                    "<details><summary>点击展开</summary>\n内容\n</details>\n\n正文段落。\n").split("\n")
    assert regex.fullmatch(r'<h1 align="center">[A-Z][a-z ]+</h1>', lines[2]), lines
    assert regex.fullmatch(r'<p align="center">[A-Za-z ]+<b>[a-z]+</b>[a-z ]+\. [A-Za-z ]+!</p>', lines[4]), lines
    assert '<div align="center"><img src="logo.png"></div>' in lines
    k = next(i for i, ln in enumerate(lines) if ln.startswith("<details>"))
    assert regex.fullmatch(r"<details><summary>[A-Z][a-z ]+</summary>", lines[k]), lines
    assert regex.fullmatch(r"[A-Z][a-z]+", lines[k + 1]) and lines[k + 2] == "</details>", lines
    assert not any(regex.search(r"\p{Han}", ln) for ln in lines), lines


def test_md_html_blocks_translate_text_and_keep_raw_parts_byte_for_byte(tmp_path: Path) -> None:
    """Multi-line HTML blocks (a README's table, a centred div) were carried through in
    Chinese; a comment or <pre> with a blank line inside had its second half translated as a
    Markdown paragraph. Now: the Chinese text between block tags is translated in place (cells
    of one row stay on their line), while tags, attributes, comments, scripts and <pre>
    survive byte for byte, also across blank lines."""
    raw_parts = [
        "<!--\n注释第一段。\n\n注释第二段。\n-->",
        "<pre>\n代码第一行\n\n代码第二行\n</pre>",
        '<script>\nvar a = "中文";\n\nvar b = "中文";\n</script>',
    ]
    src = (
        "<table>\n"
        "  <tr>\n    <td>名称</td>\n    <td>说明</td>\n  </tr>\n"
        '<tr><td title="提示">网络安全</td><td><b>重要</b>数据<br>第二行</td><td>2024</td></tr>\n'
        '<tr><td><img alt="图片" src="a.png"></td><td><pre>中文代码</pre></td></tr>\n'
        "</table>\n\n"
        + raw_parts[0] + "\n\n" + raw_parts[1] + "\n\n"
        + '<div align="center">\n<h2 id="x">第一章</h2>\n' + raw_parts[2] + "\n"
        "<p>结束。</p> <!-- 注释 --> <p>另外。</p>\n</div>\n\n正文。\n"
    )
    out = gist_md(tmp_path, "blocks.md", src)
    lines = out.split("\n")
    assert "<table>" in lines and "  <tr>" in lines and "</table>" in lines
    cells = [ln for ln in lines if ln.startswith("    <td>")]
    assert len(cells) == 2 and all(regex.fullmatch(r"    <td>[A-Z][a-z]+</td>", c) for c in cells), lines
    row = next(ln for ln in lines if ln.startswith('<tr><td title="提示">'))
    assert regex.fullmatch(r'<tr><td title="提示">[A-Z][a-z]+</td><td><b>[A-Z][a-z]+</b> [a-z]+<br>'
                           r"[A-Z][a-z ]+</td><td>2024</td></tr>", row), row
    assert '<tr><td><img alt="图片" src="a.png"></td><td><pre>中文代码</pre></td></tr>' in lines
    for part in raw_parts:
        assert part in out
    assert regex.search(r'^<h2 id="x">Chapter 1</h2>$', out, regex.M), out
    end = next(ln for ln in lines if "<!-- 注释 -->" in ln)
    assert regex.fullmatch(r"<p>[A-Z][a-z]+\.</p> <!-- 注释 --> <p>[A-Z][a-z]+\.</p>", end), end
    # outside the raw parts, attributes and the kept codes, no Chinese is left
    rest = out
    for keep in [*raw_parts, "提示", "图片", "中文代码", "<!-- 注释 -->"]:
        rest = rest.replace(keep, "")
    assert not regex.search(r"\p{Han}", rest), rest


def test_md_code_math_and_templates_survive_byte_for_byte(tmp_path: Path) -> None:
    """Code the user did not ask to translate came back changed: an indented code block was
    translated as a paragraph, a fenced block inside a list item lost a backtick and had
    its lines translated, every tab became spaces (a Makefile recipe broke), a blank-looking
    code line lost its spaces, $$ math and Hugo/Liquid template tags were translated."""
    code = [
        '    x = 1  # 缩进代码\n    print("第二行")',
        "```makefile\nall:\n\tgo build ./...\n  \n\techo \"完成\"\n```",
        '   ```bash\n   echo "列表中的代码"\n\n   echo "第二段"\n   ```',
        '  ```go\n  func main() {\n  \tfmt.Println("你好")\n  }\n  ```',
        "> ```\n> \t引用中的代码\n> ```",
        "$$\n数学公式 = 1\n$$",
        '{{< figure src="a.png" title="图片标题" >}}',
        "{% include 文件.html %}",
    ]
    src = (f"# 构建\n\n{code[0]}\n\n正文段落。\n\n{code[1]}\n\n1. 列表项\n\n{code[2]}\n\n"
           f"   列表项的第二段。\n\n2. 第二项\n\n- 步骤：\n\n{code[3]}\n\n> 引用：\n>\n{code[4]}\n\n"
           f"{code[5]}\n\n{code[6]}\n\n{code[7]}\n\n详见{{{{< ref \"文档.md\" >}}}}一文，作者{{{{ page.author }}}}。\n")
    out = gist_md(tmp_path, "code.md", src)
    for part in code:
        assert part in out, part
    # Chinese prose indented by four spaces (a text file saved as .md) is no code: translated
    prose = gist_md(tmp_path, "prose.md", "    第一条 为了规范数据处理活动，制定本办法。\n")
    assert regex.search(r"^    Article 1 [a-z]", prose, regex.M) and not regex.search(r"\p{Han}", prose), prose
    lines = out.split("\n")
    assert regex.fullmatch(r"   [A-Z][a-z]+ .*\.", next(ln for ln in lines if ln.startswith("   ") and "second" in ln.lower())), lines
    assert "1. List item" in lines and "2. Item 2" in lines
    end = next(ln for ln in lines if "page.author" in ln)
    assert '{{< ref "文档.md" >}}' in end and "{{ page.author }}" in end, end
    rest = out
    for keep in [*code, '{{< ref "文档.md" >}}']:
        rest = rest.replace(keep, "")
    assert not regex.search(r"\p{Han}", rest), rest


def test_untranslated_lines_come_back_as_they_were(tmp_path: Path) -> None:
    """A paragraph without Chinese (code in a text file, an English abstract) is not the
    user's to translate: its lines come back byte for byte (the text file lost the code's
    indentation; Markdown escaped `5 * 3` as `5 \\* 3` and joined its lines)."""
    from bitext.cli.main import cli

    txt = tmp_path / "code.txt"
    txt.write_text("运行下面的代码。\n\n    def main():\n        return 0\n\nPlain English line, 5 * 3.\n",
                   encoding="utf-8")
    out = tmp_path / "code.en.txt"
    res = CliRunner().invoke(cli, ["translate", str(txt), "--engine", "gloss", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert "\n    def main():\n        return 0\n\nPlain English line, 5 * 3.\n" in text, text
    english = ("English paragraph with snake_case_names, 5 * 3 = 15, a #hashtag.\n  continued line.\n\n"
               "- English item with `code` and 2 * 2\n\n> Quoted *English*.\n\n"
               '<p align="center">English only &amp; more</p>\n')
    md_out = gist_md(tmp_path, "en.md", "# 标题\n\n" + english + "\n中文段落。\n")
    assert english in md_out, md_out
    # a table: English cells as they were (code with an escaped pipe, `.txt`), and in a
    # translated cell a code span keeps its leading dot and its escaped pipe
    table = gist_md(tmp_path, "table.md", "| 命令 | 说明 |\n|---|---|\n"
                    "| `bitext check [--format text\\|json]` | `.txt`, `.md` in |\n"
                    "| `a\\|b` | 读取 `.txt` 文件 |\n").split("\n")
    assert "| `bitext check [--format text\\|json]` | `.txt`, `.md` in |" in table, table
    row = next(ln for ln in table if ln.startswith("| `a"))
    assert row.startswith("| `a\\|b` | ") and " `.txt` " in row and "\\\\|" not in row, row
    # a sentence split never cuts a code span in two (`G]... [--engine` held "..." )
    mixed = gist_md(tmp_path, "mixed.md", "See `G]... [--engine` here. 中文。\n")
    assert "`G]... [--engine`" in mixed, mixed


def test_md_footnotes_translated_and_kept(tmp_path: Path) -> None:
    """A footnote reference stays where it was (after the sentence), the definition's text
    is translated under its label."""
    lines = gist_md(tmp_path, "fn.md", "第一条 制定本条例。[^1] 第二句[^note]没有标点\n\n"
                    "[^1]: 脚注内容。\n[^note]: 第二个脚注。\n").splitlines()
    body = next(ln for ln in lines if ln.startswith("Article 1"))
    assert ".[^1]" in body and "[^note]" in body
    defs = [ln for ln in lines if ln.startswith("[^")]
    assert [d.split(":")[0] for d in defs] == ["[^1]", "[^note]"]
    assert not any(regex.search(r"\p{Han}", ln) for ln in lines), lines


def test_md_escapes_markup_in_translations(tmp_path: Path) -> None:
    doc = Document(None, "md", (
        Block("p1", "paragraph", "甲", (Segment("p1.s1", "甲", "p1"),)),
        Block("p2", "paragraph", "乙", (Segment("p2.s1", "乙", "p2"),)),
    ))

    class Evil(HanEngine):
        def translate_batch(self, texts, **_):
            return [Translation("# not a heading <script>alert(1)</script>"), Translation("1. not *a* list")]

    out = tmp_path / "e.md"
    md.write(out, translate_document(doc, Evil()))
    text = out.read_text(encoding="utf-8")
    assert "\\# not a heading \\<script>alert(1)\\</script>" in text
    assert "1\\. not \\*a\\* list" in text
    assert [b.kind for b in read(out).blocks] == ["paragraph", "paragraph"]


def test_md_in_memory_document_without_reader_layout(tmp_path: Path) -> None:
    doc = Document(None, "md", (
        Block("p1", "heading", "标题", (Segment("p1.s1", "标题", "p1"),), level=2, marker="##"),
        Block("p2", "list_item", "一", (Segment("p2.s1", "一", "p2"),), marker="-"),
        Block("p3", "list_item", "二", (Segment("p3.s1", "二", "p3"),), marker="-", level=1),
        Block("p4", "passthrough", "", raw="![](a.png)"),
    ))
    out = tmp_path / "m.md"
    md.write(out, translate_document(doc, HanEngine()))
    assert out.read_text(encoding="utf-8") == "## zh\n\n- zh\n  - zh\n\n![](a.png)\n"


# --- gist label and violations -------------------------------------------------------


@pytest.mark.parametrize("src", [SAMPLE_MD, DATA / "lines.txt", SAMPLE_HTML])
def test_gist_documents_label_themselves(tmp_path: Path, src: Path) -> None:
    tdoc = run(src, GistEngine())
    assert tdoc.info.is_gist
    out = tmp_path / f"out{src.suffix}"
    write_document(out, tdoc)
    text = out.read_text(encoding="utf-8")
    assert "GIST" in text and "NOT A TRANSLATION" in text
    if src.suffix == ".txt":
        assert text.splitlines()[0].startswith("[WORD-BY-WORD GIST")
    elif src.suffix == ".md":
        after_fm = text.split("---\n", 2)[2].lstrip("\n")
        assert after_fm.startswith("> **WORD-BY-WORD GIST")
    else:
        page = lxml_html.fromstring(text)
        body = page.find("body")
        first = next(iter(body))
        assert first.get("class") == "bitext-gist" and "NOT A TRANSLATION" in first.text_content()
        assert page.findtext(".//title").startswith("[GIST]")


@pytest.mark.parametrize("src", [SAMPLE_MD, SAMPLE_HTML])
def test_term_violations_are_flagged(tmp_path: Path, glossary: Glossary, src: Path) -> None:
    tdoc = run(src, HanEngine(drop=["CAC", "critical information infrastructure"]), glossary)
    assert tdoc.stats()["term_violations"] > 0
    out = tmp_path / f"v{src.suffix}"
    write_document(out, tdoc)
    text = out.read_text(encoding="utf-8")
    assert "glossary term not enforced" in text
    if src.suffix == ".html":
        assert lxml_html.fromstring(text).xpath("//*[@data-bitext-term-violation]")
    else:  # inline comments keep lists and headings intact
        assert structure(read(out)) == structure(tdoc.document)


def test_txt_violations_listed_at_the_end(tmp_path: Path) -> None:
    from bitext.document import RunInfo, SegmentResult
    from bitext.terms.glossary import GlossaryEntry, TermHit

    doc = read(DATA / "lines.txt")
    seg = doc.segments[0]
    hit = TermHit(0, 2, GlossaryEntry(source="第一", target="first"))  # type: ignore[call-arg]
    results = {s.id: SegmentResult(s, "EN " + s.id) for s in doc.segments}
    results[seg.id] = SegmentResult(seg, "EN", term_hits=(hit,), term_violations=(hit,))
    info = RunInfo("0", "x", "x", False, (), str(DATA / "lines.txt"), "20240101T000000Z")
    out = tmp_path / "v.txt"
    txt.write(out, TranslatedDocument(doc, results, info))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "EN EN p1.s2"
    assert lines[-1] == "  p1.s1: 第一 → first"


# --- text ----------------------------------------------------------------------------


def test_a_clause_after_a_semicolon_continues_its_sentence(tmp_path: Path) -> None:
    """Chinese splits after ``；``: a law's ``…罚款；情节严重的，…`` is two segments, and the second
    one's English came back capitalised inside the sentence (``fine; Where the circumstances
    …``). A function word after ``;``, ``,`` or ``:`` is lowered; names and acronyms are not."""
    from bitext.cli.main import cli

    src = tmp_path / "fine.txt"
    src.write_text("处十万元以上罚款；情节严重的，处五十万元以上罚款。\n", encoding="utf-8")
    out = tmp_path / "fine.en.txt"
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert "fine; where the circumstances are serious" in out.read_text(encoding="utf-8")
    assert txt.continued("a fine;", "Where it is serious") == "where it is serious"
    assert txt.continued("a fine;", "China shall") == "China shall"
    assert txt.continued("a fine;", "CAC shall") == "CAC shall"
    assert txt.continued("a fine.", "Where it is") == "Where it is"  # a new sentence


def test_txt_keeps_paragraph_layout(tmp_path: Path) -> None:
    out = tmp_path / "l.en.txt"
    txt.write(out, run(DATA / "lines.txt"))
    assert out.read_text(encoding="utf-8") == "zh。 zh。\nzh。\n\nzh。\n"
    out2 = tmp_path / "c.en.txt"
    txt.write(out2, run(DATA / "crlf.txt"))
    # the file indents its paragraphs with two ideographic spaces (U+3000): kept
    assert out2.read_bytes() == ("　　".encode() + b"zh\xe3\x80\x82\r\n\r\n"
                                 + "　　".encode() + b"zh\xef\xbc\x81\r\n")


def test_paragraph_indentation_survives_in_every_document_format(tmp_path: Path) -> None:
    """Chinese laws indent each article with two ideographic spaces (``　　第一条``) or with
    ``&emsp;`` / ``&nbsp;``: layout, not text to translate, kept before the English as
    OmegaT keeps it in its target file (its segments, and so the TMX, leave it out)."""
    src = tmp_path / "law.txt"
    src.write_text("　　第一条 为了保障网络安全。\n　　第二条 本法适用。\n\n  第三条 国家。\n", encoding="utf-8")
    out = tmp_path / "law.en.txt"
    tdoc = run(src)
    txt.write(out, tdoc)
    assert out.read_text(encoding="utf-8") == "　　zh zh。\n　　zh zh。\n\n  zh zh。\n"
    assert all(not s.text[0].isspace() for b in tdoc.document.blocks for s in b.segments)

    md_src = tmp_path / "law.md"
    md_src.write_text("&emsp;&emsp;第一条 网络安全。\n\n　　第二条 本法。\n\n> &nbsp;&nbsp;引用。\n\n"
                      "&emsp;&emsp;English stays as it was.\n", encoding="utf-8")
    md_out = tmp_path / "law.en.md"
    md.write(md_out, run(md_src))
    assert md_out.read_text(encoding="utf-8") == (
        "&emsp;&emsp;zh zh。\n\n　　zh zh。\n\n> &nbsp;&nbsp;zh。\n\n&emsp;&emsp;English stays as it was.\n")

    body = han_html(tmp_path, "law.html", "<html><body><p>　　第一条 网络安全。</p>"
                    "<p>&emsp;&emsp;第二条 本法。<br>&emsp;&emsp;第三条 国家。<br>\n　　第四条 <b>网络</b>。</p>"
                    "<div>　　第五条 数据。<br>　　第六条 安全。<p>别的段落。</p></div>"
                    "<p>\n  第七条 普通的空白。</p><p>　　第八条<b>甲。<br>　　第九条</b>乙。</p></body></html>")
    assert "<p>\u3000\u3000zh zh。</p>" in body
    assert "<p>\u2003\u2003zh zh。<br>\u2003\u2003zh zh。<br>\n\u3000\u3000zh <b>zh</b>。</p>" in body
    assert "<div>\u3000\u3000zh zh。<br>\u3000\u3000zh zh。<p>zh。</p></div>" in body
    assert "<p>zh zh。</p>" in body  # plain white space: the page's formatting, not kept
    assert regex.search(r"<p>\u3000\u3000zh ?<b>[^<]*<br>\u3000\u3000zh</b>", body), body  # a <br> in bold


def test_bold_article_labels_keep_their_bold_on_the_english_label(tmp_path: Path) -> None:
    """Laws bold their article labels (``**第一条**　为了…``, ``<strong>第一条</strong>``); the
    tags were placed by proportion and came back around ``Article 1 in`` or ``Article``
    alone. A label and its English (``第二十一条`` ↔ ``Article 21``) now anchor them."""
    out = gist_md(tmp_path, "law.md", "**第一条**　为了保障网络安全，制定本法。\n\n"
                  "**第二条**　在中华人民共和国境内建设网络，适用本法。\n\n"
                  "违反本法**第二十一条**第二款规定的，处罚款。\n")
    assert "**Article 1** in order" in out and "**Article 2** in within" in out, out
    assert "**Article 21** Paragraph 2" in out, out


# --- HTML ----------------------------------------------------------------------------


def test_html_translations_go_back_into_their_elements(tmp_path: Path) -> None:
    tdoc = run(SAMPLE_HTML)
    out = tmp_path / "page.en.html"
    htmldoc.write(out, tdoc)
    data = out.read_bytes()
    page = lxml_html.fromstring(data.decode("utf-8"))
    assert data.startswith(b"<!DOCTYPE html>")
    assert page.get("lang") == "en"
    assert page.xpath("//meta/@charset") == ["utf-8"]
    assert page.findtext(".//h1") == "zh"
    content = page.get_element_by_id("content")
    assert not HAN.search(content.text_content())  # the whole article is English now
    assert [li.text for li in content.iter("li")] == ["zh，zh。", "zh。", "zh。"]
    # everything around the article is untouched
    assert page.xpath("//nav//a/text()") == ["首页", "政策法规", "行业动态", "会议活动"]
    assert "版权所有" in page.xpath("string(//footer)")
    assert page.xpath("//script/text()") == ['var _hmt = _hmt || []; document.write("统计代码");']
    assert page.xpath("//div[@class='share-bar']/a/text()") == ["微信", "微博", "QQ空间"]
    # the reader's tree is not modified: writing twice gives the same bytes
    out2 = tmp_path / "again.html"
    htmldoc.write(out2, tdoc)
    assert out2.read_bytes() == data
    assert "生成式人工智能" in tdoc.document.source.tree.findtext(".//h1")


def test_html_bare_text_runs_and_nested_lists(tmp_path: Path) -> None:
    tdoc = run(DATA / "article.html")
    out = tmp_path / "a.en.html"
    htmldoc.write(out, tdoc)
    page = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    div = page.xpath("//div[@class='content-text']")[0]
    assert div.text == "zh。" and div.find("br").tail == "zh。"
    assert div.xpath("span/text()") == ["分享到微信"]  # skipped widget stays as it was
    lis = page.xpath("//article//li")
    assert [li.text for li in lis] == ["zh。", None, "zh。"]
    # the inline link of the item keeps its place around the English words
    assert lis[1].xpath("a/@href") == ["/x"] and lis[1].xpath("string(a)") == "zh"
    assert lis[1].xpath("ul/li/text()") == ["zh。"]
    assert page.xpath("//th/text()") == ["zh", "zh"]
    assert page.xpath("//td/text()") == ["zh", "3zh12zh"]
    assert page.xpath("//aside//h2/text()") == ["推荐阅读：数据安全法实施情况"]


def test_html_user_text_is_escaped(tmp_path: Path) -> None:
    tdoc = run(DATA / "entities.html")

    class Echo(HanEngine):
        def translate_batch(self, texts, **_):
            return [Translation(t.replace("第二段", "<b>x</b> & <script>alert(1)</script>")) for t in texts]

    tdoc = translate_document(read(DATA / "entities.html"), Echo())
    out = tmp_path / "e.html"
    htmldoc.write(out, tdoc)
    raw = out.read_text(encoding="utf-8")
    assert "<script>" not in raw and "<b>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "&amp;" in raw
    page = lxml_html.fromstring(raw)
    assert page.xpath("//script") == [] and page.xpath("//p/b") == []


def test_html_legacy_charset_becomes_utf8(tmp_path: Path) -> None:
    src = tmp_path / "gbk.html"
    src.write_bytes(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>标题</title></head><body><p>网络安全很重要。</p></body></html>".encode("gbk")
    )
    out = tmp_path / "gbk.en.html"
    htmldoc.write(out, run(src))
    raw = out.read_bytes()
    assert b'<meta charset="utf-8">' in raw and b"gb2312" not in raw
    assert lxml_html.fromstring(raw.decode("utf-8")).findtext(".//p") == "zh。"


def test_html_in_memory_document_gets_a_simple_page(tmp_path: Path) -> None:
    doc = Document(None, "html", (
        Block("p1", "heading", "标题", (Segment("p1.s1", "标题", "p1"),), level=1),
        Block("p2", "list_item", "一", (Segment("p2.s1", "一", "p2"),), ordered=True),
        Block("p3", "paragraph", "<b>", (Segment("p3.s1", "<b>", "p3"),)),
    ))
    out = tmp_path / "s.html"
    htmldoc.write(out, translate_document(doc, HanEngine()))
    page = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    assert page.findtext(".//h1") == "zh" and page.xpath("//ol/li/text()") == ["zh"]
    assert page.findtext(".//p") == "<b>" and page.xpath("//p/b") == []


# --- atomicity and the CLI -----------------------------------------------------------


@pytest.mark.parametrize(("src", "mod"), [(SAMPLE_MD, md), (DATA / "lines.txt", txt), (SAMPLE_HTML, htmldoc)])
def test_failed_write_leaves_earlier_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, src: Path, mod) -> None:
    tdoc = run(src)
    out = tmp_path / f"keep{src.suffix}"
    out.write_text("earlier output", encoding="utf-8")

    def boom(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mod, "violations", boom)
    with pytest.raises(RuntimeError):
        mod.write(out, tdoc)
    assert out.read_text(encoding="utf-8") == "earlier output"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


@pytest.mark.parametrize("src", [SAMPLE_HTML, DATA / "lines.txt"])
def test_cli_out_writes_the_english_document(tmp_path: Path, src: Path) -> None:
    from bitext.cli.main import cli

    out = tmp_path / f"english{src.suffix}"
    res = CliRunner().invoke(cli, ["translate", str(src), "--out", str(out), "--engine", "gloss", "-q",
                                   "--no-default-glossary"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    text = out.read_text(encoding="utf-8")
    assert "NOT A TRANSLATION" in text


def test_html_br_lines_are_segmented_and_kept(tmp_path: Path) -> None:
    src = tmp_path / "br.html"
    src.write_text(
        "<html><body><div id='c'>一、总体要求<br>第一段内容。第二句。<br><br>第二段内容<b>加粗</b>"
        "<p>段落。</p>尾部文字<br>第二行</div></body></html>",
        encoding="utf-8",
    )
    tdoc = run(src)
    assert [[s.text for s in b.segments] for b in tdoc.document.blocks] == [
        ["一、总体要求", "第一段内容。", "第二句。", "第二段内容加粗"],
        ["段落。"],
        ["尾部文字", "第二行"],
    ]
    out = tmp_path / "br.en.html"
    htmldoc.write(out, tdoc)
    raw = out.read_text(encoding="utf-8")
    # HanEngine turns the Han run 第二段内容加粗 into one "zh": the bold tag wraps it; both
    # <br> of the empty line survive
    assert '<div id="c">zh、zh<br>zh。 zh。<br><br><b>zh</b><p>zh。</p>zh<br>zh</div>' in raw
    assert '<head><meta charset="utf-8"></head>' in raw


def test_html_inline_images_survive(tmp_path: Path) -> None:
    src = tmp_path / "img.html"
    src.write_text(
        '<html><body><article><p>图片说明<img src="a.png">后面文字。<span class="share">分享</span></p>'
        '<div>容器文字<a href="/x"><img src="b.png"></a>尾巴。<p>段落。</p></div></article></body></html>',
        encoding="utf-8",
    )
    tdoc = run(src)
    assert [b.text for b in tdoc.document.blocks] == ["图片说明后面文字。", "容器文字尾巴。", "段落。"]
    out = tmp_path / "img.en.html"
    htmldoc.write(out, tdoc)
    raw = out.read_text(encoding="utf-8")
    # images are inline codes: each comes back once, at its place among the English words;
    # an inline element left out of the text (a share widget) stays, untranslated
    assert '<p>zh<img src="a.png">。 <span class="share">分享</span></p>' in raw
    assert '<div>zh<a href="/x"><img src="b.png"></a>。<p>zh。</p></div>' in raw


def test_html_paragraph_widgets_comments_and_no_translate_survive(tmp_path: Path) -> None:
    """Inside a paragraph, a comment was dropped, an image at either edge of a paragraph
    with other tags was lost, the text after an <input> stayed Chinese, a <button> vanished,
    and translate="no" / class="notranslate" (HTML's own "do not translate") were
    translated. Now each comes back once, where it stood, and only the text is English."""
    from bitext.cli.main import cli

    kept = ["<!-- 注释 -->", '<img src="a.png">', '<img src="b.png">', '<input type="text">',
            '<span translate="no">网信办</span>', '<math><mi>变量</mi></math>']
    src = tmp_path / "widgets.html"
    src.write_text(
        "<html><head><title>页面</title></head><body>\n"
        f"<p>第一句{kept[0]}第二句。</p>\n"
        f"<p>文本<b>粗体</b>后面{kept[1]}</p>\n"
        f"<p>{kept[2]}前面<b>粗体</b>文本。</p>\n"
        f"<p>请点击<button>提交</button>按钮，然后{kept[3]}输入内容。</p>\n"
        f"<p>本法由{kept[4]}负责解释。</p>\n"
        f"<p>公式{kept[5]}成立。</p>\n"
        '<p translate="no">不要翻译这段。</p>\n<div class="notranslate"><p>也不要翻译。</p></div>\n'
        '<p>文字<img alt="图片" src="c.png">后文。请在<input placeholder="用户名">中输入。</p>\n'
        "<div><span><a href=\"/x\">链接文字</a><script>var a = 1;</script></span></div>\n"
        "<p>English only, <b>kept</b>  as   it was.</p>\n"
        "</body></html>\n", encoding="utf-8")
    out, tmx = tmp_path / "widgets.en.html", tmp_path / "widgets.tmx"
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--out", str(out),
                                   "--tmx", str(tmx), "--tmx-tags", "omegat", "-q"])
    assert res.exit_code == 0, res.output
    raw = out.read_text(encoding="utf-8")
    body = raw.split("<body>")[1]
    for el in kept + ['<p translate="no">不要翻译这段。</p>', '<div class="notranslate"><p>也不要翻译。</p></div>']:
        assert body.count(el) == 1, (el, body)
    assert regex.search(r'<p><img src="b\.png">[A-Z]', body), body  # still before the text
    assert regex.search(r'[a-z]<img src="a\.png"></p>', body), body  # still after it
    assert regex.search(r"<button>[a-z]+</button>", body), body  # a button's label is text
    # an image inside a sentence comes back once, with its alt text translated; so does a
    # field's placeholder
    assert body.count('src="c.png"') == 1 and regex.search(r'<img alt="[A-Z][a-z]+" src="c\.png">', body), body
    assert regex.search(r'<input placeholder="[A-Z][a-z ]+">', body), body
    # a wrapper's script stays beside the link that holds the text; English is left alone
    assert regex.search(r'<div><span><a href="/x">[A-Z][a-z ]+</a><script>var a = 1;</script></span></div>', body), body
    assert "<p>English only, <b>kept</b>  as   it was.</p>" in body, body
    rest = body
    for el in kept + ['<p translate="no">不要翻译这段。</p>', '<div class="notranslate"><p>也不要翻译。</p></div>']:
        rest = rest.replace(el, "")
    assert not HAN.search(rest), rest
    # OmegaT's view of the segments: a control is one tag, a translate="no" span shows its text
    segs = ["".join(s.itertext()) for s in lxml_html.fromstring(tmx.read_bytes()).iter("seg")]
    assert "请点击<b0>提交</b0>按钮，然后<i1>输入内容。" in segs, segs
    assert "本法由<s0>网信办</s0>负责解释。" in segs, segs


def test_html_wrappers_numbers_and_anchors_keep_their_place(tmp_path: Path) -> None:
    """A <span> wrapping a whole container's text was dropped (WeChat's styled sections), a
    tag around digits only could come back twice, an empty anchor at a paragraph's head
    moved to its end."""
    src = tmp_path / "wrap.html"
    src.write_text(
        '<html><body><section><span style="font-size:15px;">第一段文字。</span></section>\n'
        "<div><button>发表评论</button></div>\n"
        "<p>本季度共监测到<b>12,345</b>起事件。</p>\n"
        '<p><a name="top"></a>段首锚点。</p></body></html>\n', encoding="utf-8")
    tdoc = translate_document(_read(src), HanEngine())  # the whole page
    out = tmp_path / "wrap.en.html"
    htmldoc.write(out, tdoc)
    body = out.read_text(encoding="utf-8").split("<body>")[1]
    assert regex.search(r'<section><span style="font-size:15px;">zh。</span></section>', body), body
    assert "<div><button>zh</button></div>" in body, body
    assert body.count("<b>12,345</b>") == 1, body
    assert '<p><a name="top"></a>zh。</p>' in body, body


def test_html_wrapped_runs_keep_their_wrapper_and_edge_elements(tmp_path: Path) -> None:
    """A <span> wrapping all of a paragraph's or a container's text, with tags inside, was
    dropped together with what it held at the text's edges (an image, a comment, a script):
    the reader leaves the wrapper and edge tags out of the segment (as OmegaT does) and the
    writer rebuilt the text without them. A translate="no" span deeper inside an inline
    element was translated. Each now comes back once; the wrapper keeps its attributes."""
    kept = ['<img src="a.png">', "<!-- 注释 -->", "<script>var a='中';</script>", '<input type="text">',
            '<span translate="no">网信办</span>', "<code>数据.txt</code>"]
    src = tmp_path / "wrapped.html"
    src.write_text(
        "<html><body>"
        f'<p><span style="color:red"><button>提交</button>文字{kept[0]}</span></p>\n'
        f"<section><span>中文句子。English{kept[1]}{kept[5]}{kept[2]}</span></section>\n"
        f"<div><span>{kept[3]}第一段<b>粗体</b>文字。</span><span>{kept[1]}第二段。</span></div>\n"
        f"<p>请<b>注意{kept[4]}规定</b>。</p>\n"
        "<p>运行：<br><code>安装.exe</code><br>然后重启。</p>\n"
        "</body></html>\n", encoding="utf-8")
    tdoc = translate_document(_read(src), HanEngine())
    assert not any("网信办" in s.text for b in tdoc.document.blocks for s in b.segments)
    out = tmp_path / "wrapped.en.html"
    htmldoc.write(out, tdoc)
    body = out.read_text(encoding="utf-8").split("<body>")[1]
    assert body.count(kept[0]) == 1 and body.count(kept[1]) == 2, body
    for el in kept[2:]:
        assert body.count(el) == 1, (el, body)
    assert '<p><span style="color:red"><button>zh</button><img src="a.png"></span></p>' in body, body
    assert "<section><span>zh。 English<code>数据.txt</code><!-- 注释 --><script>" in body, body
    # alone on its line between two <br>: kept, on that line (it came after the last line)
    assert regex.search(r"<p>zh ?：<br><code>安装\.exe</code><br>zh ?。</p>", body), body
    rest = body
    for el in kept + ["<code>安装.exe</code>"]:
        rest = rest.replace(el, "")
    assert not HAN.search(rest), rest


def test_html_line_breaks_and_leading_elements_keep_their_order(tmp_path: Path) -> None:
    """A paragraph opening with an image and holding a <br> came back as
    ``<br>zh<img>zh`` (the second line went in before the image); a comment opening a
    container's text moved to its end; a <br> at a paragraph's start or end was dropped, and
    so was one opening a container's bare text (``<div><br>文字…``)."""
    body = han_html(
        tmp_path, "br.html",
        '<html><body><p><img src="a.png">第一行<br>第二行</p>\n'
        "<div><!-- c -->文字<br>第二</div>\n"
        "<p><br>段首有换行的段落。</p>\n<p>段尾有换行的段落。<br></p>\n"
        '<p><a href="x">链接<br>第二行</a></p>\n'
        "<div><br>文字，<em>容器里的句子。</em></div>\n<ul><li>项</li></ul><br>裸露的句子。</body></html>\n")
    assert '<p><img src="a.png">zh<br>zh</p>' in body, body
    assert "<div><!-- c -->zh<br>zh</div>" in body, body
    assert "<p><br>zh。</p>" in body and "<p>zh。<br></p>" in body, body
    assert '<p><a href="x">zh<br>zh</a></p>' in body, body
    # a container's (or the page's) bare text opening with a <br> kept it too
    assert regex.search(r"<div><br>[^<]*<em>zh。</em></div>|<div><br><em>zh，zh。</em></div>", body), body
    assert "</ul><br>zh。" in body, body


def test_html_tags_around_a_line_break_or_beside_kept_code_survive(tmp_path: Path) -> None:
    """Bold ending its line with a <br> (``<b>加粗的句子。<br></b>``) or opening with one was
    lost with its <br> (the closing tag sat in a piece of tags only after the sentence);
    ``<code>数据.txt</code><b>…</b>`` lost the bold (taken for a tag around the whole text, as
    OmegaT drops one), and so did ``<em><math>…</math></em><b>…</b>``; a <br> before a link
    holding kept code came back twice, and a container's closing <br> after one inside its
    text was lost."""
    body = han_html(
        tmp_path, "tags.html",
        "<html><body><p>正文<b>加粗的句子。<br></b></p>\n<p><b><br>加粗的句子。</b>后文。</p>\n"
        "<p><code>数据.txt</code><b>加粗的句子。</b></p>\n"
        '<p><span translate="no">网信办</span><em>强调的句子。</em></p>\n'
        '<p>中文句子。English<br><a href="x"><code>数据.txt</code></a></p>\n'
        "<div><em><math><mi>x</mi></math></em><b>加粗的文字</b></div>\n"
        "<section>中文句子。English<br>English<br> </section></body></html>\n")
    assert regex.search(r"<p>[^<]*<b>zh。<br></b></p>", body), body
    assert "<p><b><br>zh。</b>" in body, body
    assert "<p><code>数据.txt</code><b>zh。</b></p>" in body, body
    assert '<p><span translate="no">网信办</span><em>zh。</em></p>' in body, body
    assert regex.search(r'English<br><a href="x"><code>数据\.txt</code></a></p>', body), body
    assert "<div><em><math><mi>x</mi></math></em><b>zh</b></div>" in body, body
    assert regex.search(r"<section>zh。 ?English<br>English<br> ?</section>", body), body
    assert body.count("<br>") == 5, body


def test_html_tags_left_in_pieces_of_tags_only_by_omegat_rules_survive(tmp_path: Path, omegat_srx: Path) -> None:
    """Under a CAT tool's SRX rules, which split where they say, ``中文句子。<br></b>`` left
    ``<br></b>`` a piece without text: no segment (as in OmegaT, and not in the TMX), and the
    page lost the bold; the tags go back after the sentence now."""
    from bitext.segment import srx

    src = tmp_path / "srx.html"
    src.write_text("<html><body><p>正文<b>加粗的句子。<br></b></p>\n<p><b><br>加粗的句子。</b>后文。</p>\n"
                   "<p>第一行。<br>第二行。</p></body></html>\n", encoding="utf-8")
    doc = _read(src, srx=srx.load(omegat_srx))
    first = doc.blocks[0].segments[-1]
    assert [c.tag for c in first.tags_after] == ["br", "b"] and first.text == "正文加粗的句子。", first
    out = tmp_path / "srx.en.html"
    htmldoc.write(out, translate_document(doc, HanEngine()))
    body = out.read_text(encoding="utf-8").split("<body>")[1]
    assert regex.search(r"<p>[^<]*<b>zh。<br></b></p>", body), body
    assert regex.search(r"<p><b><br>zh。 ?</b> ?zh。</p>", body), body
    assert "<p>zh。<br>zh。</p>" in body and body.count("<br>") == 3, body


def test_html_form_options_and_text_areas_are_translated(tmp_path: Path) -> None:
    """A list's options and a text area's default text are page text (OmegaT offers them too):
    they stayed Chinese. Their values, and the list inside a sentence, stay as they were."""
    src = tmp_path / "form.html"
    src.write_text('<html><body><form><select name="t"><option value="all">全部栏目</option>'
                   '<option value="n">通知公告</option></select><textarea name="c">请填写意见</textarea>'
                   '</form><p>请选择<select name="k"><option value="1">自查报告</option></select>后上传。</p>'
                   "</body></html>", encoding="utf-8")
    doc = _read(src)
    assert [b.text for b in doc.blocks[-4:]] == ["全部栏目", "通知公告", "请填写意见", "自查报告"]
    out = tmp_path / "form.en.html"
    htmldoc.write(out, translate_document(doc, HanEngine()))
    body = out.read_text(encoding="utf-8").split("<body>")[1]
    assert '<option value="all">zh</option><option value="n">zh</option>' in body, body
    assert '<textarea name="c">zh</textarea>' in body and '<option value="1">zh</option>' in body, body
    assert not regex.search(r"\p{Han}", body), body


def test_html_saved_from_word_is_translated_whole(tmp_path: Path) -> None:
    """Pages saved from Word (common for Chinese laws and notices): ``<st1:chsdate>`` date tags
    stopped the run with an internal error (XPath cannot read the prefix); the text after an
    ``<o:p>``, a custom element or a ``<style>`` inside a paragraph was left Chinese. OmegaT
    reads such elements as tags of the sentence, and so does bitext now."""
    from bitext.cli.main import cli

    src = tmp_path / "word.html"
    src.write_text('<html><body><p class="MsoNormal">第一条<o:p></o:p>为了规范数据处理活动，制定本办法。</p>'
                   '<p>本办法自<st1:chsdate year="2024" month="1" day="1">2024年1月1日</st1:chsdate>起施行。</p>'
                   "<p>前面<x-note>说明</x-note>后面的文字。</p><p>第七段前面<style>b{}</style>第七段后面。</p>"
                   '<p class="MsoNormal">正文内容。<o:p></o:p></p></body></html>', encoding="utf-8")
    out = tmp_path / "word.en.html"
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    body = out.read_text(encoding="utf-8").split("<body>")[1]
    assert not regex.search(r"\p{Han}", body), body
    assert body.count("<o:p></o:p>") == 2 and "<style>b{}</style>" in body, body
    assert regex.search(r"<p class=\"MsoNormal\">[^<]+<o:p></o:p></p></body>", body), body
    # their tags stay around the English, as OmegaT shows them (<s0>2024年1月1日</s0>)
    assert regex.search(r'<st1:chsdate year="2024" month="1" day="1">[^<]*\d[^<]*</st1:chsdate>', body), body
    assert regex.search(r"<x-note>[^<]+</x-note>", body), body


def test_html_legacy_and_unknown_inline_elements_keep_the_text_after_them(tmp_path: Path) -> None:
    """``<blink>``, ``<marquee>`` (old government pages) and ``<slot>`` inside a paragraph left
    the text after them Chinese (only names with ``:`` or ``-`` were read as tags of the
    sentence); OmegaT reads them as tags (its segments and bitext's TMX agree, 5/5 on such a
    page), and so does bitext now. One holding blocks stays a container."""
    body = han_html(tmp_path, "old.html",
                    "<html><body><p>段落<blink>闪烁</blink>结束了。</p><p>前面<marquee>滚动</marquee>后面的文字。</p>"
                    "<p>槽<slot>内容</slot>之后。</p><marquee><p>第一条新闻。</p><p>第二条新闻。</p></marquee>"
                    "<fieldset><legend>图例</legend>表单说明。</fieldset></body></html>")
    assert not regex.search(r"\p{Han}", body), body
    for tag in ("blink", "marquee", "slot"):  # the tags stay in their paragraph, around English
        assert regex.search(rf"<p>[^<]*<{tag}>zh</{tag}>[^<]*</p>", body), body
    assert "<marquee><p>zh。</p><p>zh。</p></marquee>" in body, body
    assert "<legend>zh</legend>zh。" in body, body  # a legend is no tag of the text after it


def test_html_text_after_an_embed_source_track_or_wbr_is_translated(tmp_path: Path, omegat_srx: Path) -> None:
    """libxml2 does not know ``<embed>``, ``<source>``, ``<track>`` and ``<wbr>`` are empty: it
    nested the text after one inside it, which stayed Chinese, and the page gained end tags
    (``</embed>``) it never had. The text is the paragraph's again; under OmegaT's rules an
    ``<embed>`` ends a segment, as OmegaT's HTML filter ends its paragraph there."""
    from bitext.segment import srx
    from bitext.writers.tmx import omegat_tag

    page = ('<html><body><p>前面的文字<embed src="a.swf">后面的文字。</p><p>视频<video><source src="a.mp4">'
            '<track src="a.vtt"></video>之后的文字。</p><p>长单词<wbr>之后的文字。</p></body></html>')
    body = han_html(tmp_path, "void.html", page)
    assert not regex.search(r"\p{Han}", body), body
    assert '<embed src="a.swf">' in body and '<source src="a.mp4"><track src="a.vtt"></video>' in body, body
    assert "<wbr>" in body and not regex.search(r"</(embed|source|track|wbr)>", body), body
    src = tmp_path / "void.html"
    doc = _read(src, srx=srx.load(omegat_srx))
    segs = [s for b in doc.blocks for s in b.segments]
    assert [s.text for s in segs][:2] == ["前面的文字", "后面的文字。"], segs
    wbr = [c for s in segs for c in s.codes if c.tag == "wbr"]
    assert [omegat_tag(c) for c in wbr] == ["<w0>"], wbr  # OmegaT's tag: standalone, no pair


def test_html_tags_after_a_closing_br_and_a_number_line_survive(tmp_path: Path) -> None:
    """Two cases random pages showed: bold and italics closing after a line's ``<br>`` and a
    space (``中文句子。<br></u> </i></b>``) were lost (the space kept the closing tags out of
    the sentence); a ``<br>`` after a number (``<span>12,345</span><br>第一条``) came back
    twice (a number was taken for no text, the ``<br>`` for one opening the paragraph)."""
    body = han_html(tmp_path, "cases.html",
                    "<html><body><p><span>文字English</span><b><i><script>var a='中';</script>"
                    "<u>中文句子。<br></u> </i></b></p><h2><span>12,345</span><br>第一条</h2></body></html>")
    assert body.count("<b>") == body.count("<i>") == 1 and "<br></u></i></b></p>" in body, body
    assert regex.search(r"<h2><span>12,345</span><br>zh</h2>", body), body


def test_html_icons_inside_links_at_a_paragraph_edge_survive(tmp_path: Path) -> None:
    """An icon inside a link at the end (or start) of a paragraph with other tags was lost:
    the reader left it out of the segment, the writer rebuilt the link without it. OmegaT
    keeps such a tag in the segment (``<a1>下载链接<i2></a1>``), and so does bitext now."""
    from bitext.cli.main import cli

    src = tmp_path / "icons.html"
    src.write_text('<html><body><p>请阅读<b>重要</b>说明<a href="x">下载链接<img src="icon.png"></a></p>'
                   '<p><a href="y"><img src="logo.png">首页</a>的<b>介绍</b>内容</p></body></html>',
                   encoding="utf-8")
    out, tmx = tmp_path / "icons.en.html", tmp_path / "icons.tmx"
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--out", str(out),
                                   "--tmx", str(tmx), "--tmx-tags", "omegat", "-q"])
    assert res.exit_code == 0, res.output
    body = out.read_text(encoding="utf-8").split("<body>")[1]
    assert body.count('<img src="icon.png">') == 1 and body.count('<img src="logo.png">') == 1, body
    assert regex.search(r'<a href="x">[a-z ]+<img src="icon\.png"></a>', body), body  # inside the link
    assert regex.search(r'<a href="y"><img src="logo\.png">[A-Z][a-z ]+</a>', body), body
    segs = ["".join(s.itertext()) for s in lxml_html.fromstring(tmx.read_bytes()).iter("seg")]
    assert "请阅读<b0>重要</b0>说明<a1>下载链接<i2></a1>" in segs and "<a0><i1>首页</a0>的<b2>介绍</b2>内容" in segs, segs


def test_html_code_with_chinese_survives_byte_for_byte(tmp_path: Path) -> None:
    """``<code>``/``<kbd>``/``<samp>``/``<var>`` holding Chinese (a path, a file name, a key
    label) are code: never translated, back at their place among the English words, and in
    the TMX (OmegaT's tags) with their text inside the tag pair as OmegaT shows the segment."""
    from bitext.cli.main import cli

    src = tmp_path / "code.html"
    src.write_text(
        '<html><body><p>请运行<code class="f">安装程序.exe</code>并按<kbd>回车</kbd>。</p>'
        "<p>路径是<code>C:\\数据\\文件.txt</code>，变量<var>用户名</var>和<samp>结果：成功</samp>。</p>"
        "<p><code>配置.yaml</code>是配置文件，<code>config.yaml</code>也是。</p></body></html>",
        encoding="utf-8",
    )
    out, tmx = tmp_path / "code.en.html", tmp_path / "code.tmx"
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--out", str(out),
                                   "--tmx", str(tmx), "--tmx-tags", "omegat", "-q"])
    assert res.exit_code == 0, res.output
    raw = out.read_text(encoding="utf-8")
    for el in ('<code class="f">安装程序.exe</code>', "<kbd>回车</kbd>", "<code>C:\\数据\\文件.txt</code>",
               "<var>用户名</var>", "<samp>结果：成功</samp>", "<code>配置.yaml</code>", "<code>config.yaml</code>"):
        assert raw.count(el) == 1, (el, raw)
    # an element kept verbatim reads as a word: spaced from the English around it; one that
    # starts the sentence takes the engine's capital ("Is" → "is")
    assert regex.search(r"[a-z] <code class=\"f\">安装程序\.exe</code> [a-z]", raw), raw
    assert "<code>配置.yaml</code> is " in raw, raw
    # nothing else stays Chinese
    body = regex.sub(r"<(code|kbd|var|samp)[^>]*>[^<]*</\1>", "", raw.split("<body>")[1])
    assert not HAN.search(body), body
    segs = ["".join(s.itertext()) for s in lxml_html.fromstring(tmx.read_bytes()).iter("seg")]
    assert "请运行<c0>安装程序.exe</c0>并按<k1>回车</k1>。" in segs
    assert "<c0>配置.yaml</c0>是配置文件，<c1>config.yaml</c1>也是。" in segs
    en = segs[segs.index("请运行<c0>安装程序.exe</c0>并按<k1>回车</k1>。") + 1]
    assert en.count("<c0>安装程序.exe</c0>") == 1 and en.count("<k1>回车</k1>") == 1, en
    assert not HAN.search(regex.sub(r"<([ck])(\d)>[^<]*</\1\2>", "", en)), en


def test_md_inline_images_stay_among_the_words(tmp_path: Path) -> None:
    """An image inside a sentence was moved after the translation (and a list item's icon
    at its start to its end): it is a standalone code now, back where it stood."""
    src = tmp_path / "img.md"
    src.write_text("图示![图1](a.png)如下。\n\n* 项目[![](b.png)](https://x.cn)说明。\n\n"
                   "- ![图标](i.png) 第一项。\n", encoding="utf-8")
    out = tmp_path / "img.en.md"
    md.write(out, run(src))
    assert out.read_text(encoding="utf-8") == ("zh ![图1](a.png)。\n\n* zh [![](b.png)](https://x.cn)。\n\n"
                                               "- ![图标](i.png) zh。\n")


def test_md_kept_markup_comments_quotes_and_emphasis(tmp_path: Path) -> None:
    """Found by random documents: a ``translate="no"`` span in Markdown was translated; the
    text after a comment that opens a line stayed Chinese (and inside a quote the comment
    was lost); two block quotes came back as one; codes after a sentence's full stop in a
    table cell were lost; emphasis placed around spaces (``* zh*``) no longer parsed."""
    src = tmp_path / "kept.md"
    src.write_text(
        '本法由<span translate="no">网信办</span>负责解释。\n\n'
        "<!-- 注释 --> 后面的文字。\n\n"
        "> <!-- 注释 --> 引用文字。\n\n"
        "> 第二个引用。\n\n"
        "| 列一 | 列二 |\n|---|---|\n| `数据.txt` 中文句子。 <kbd>回车</kbd>  <kbd>回车</kbd> | 文字 |\n\n"
        "> 引用 *斜体*中文句子。\n", encoding="utf-8")
    out = tmp_path / "kept.en.md"
    md.write(out, run(src))
    got = out.read_text(encoding="utf-8")
    assert got.count('<span translate="no">网信办</span>') == 1, got
    assert "<!-- 注释 --> zh。\n" in got and "> <!-- 注释 --> zh。\n\n> zh。\n" in got, got
    assert got.count("<kbd>回车</kbd>") == 2 and got.count("`数据.txt`") == 1, got
    assert "*zh*" in got and not regex.search(r"\*\s|\s\*(?=\s|$)", got), got
    rest = got
    for kept in ('<span translate="no">网信办</span>', "<kbd>回车</kbd>", "`数据.txt`", "<!-- 注释 -->", "列一", "列二"):
        rest = rest.replace(kept, "")
    assert not HAN.search(rest), rest


def test_md_hard_breaks_and_br_are_kept(tmp_path: Path) -> None:
    src = tmp_path / "br.md"
    src.write_text("地址：北京市  \n电话：010-1234\\\n邮编：100000\n\n* 第一行<br>第二行\n\n"
                   "| 格<br>二 | b |\n|---|---|\n| x | y |\n", encoding="utf-8")
    tdoc = run(src)
    assert [s.text for s in tdoc.document.blocks[0].segments] == ["地址：北京市", "电话：010-1234", "邮编：100000"]
    out = tmp_path / "br.en.md"
    md.write(out, tdoc)
    assert out.read_text(encoding="utf-8") == (
        "zh：zh<br>zh：010-1234<br>zh：100000\n\n* zh<br>zh\n\n| zh<br>zh | b |\n|---|---|\n| x | y |\n"
    )
    assert structure(read(out)) == structure(tdoc.document)


def test_md_br_keeps_its_spelling(tmp_path: Path) -> None:
    """A source that writes ``<br/>`` or ``<br />`` gets it back (every line break came back as
    ``<br>``)."""
    text = gist_md(tmp_path, "slash.md", "第一行<br/>第二行。\n\n| 格<br />二 | b |\n|---|---|\n| x | y |\n")
    assert regex.search(r"(?m)^[A-Z][A-Za-z ]*<br/>[A-Z][A-Za-z ]*\.$", text), text
    assert regex.search(r"\| [A-Z][A-Za-z ]*<br />[A-Z][A-Za-z ]* \|", text), text
    assert "<br>" not in text, text


def test_md_emphasis_keeps_its_marks(tmp_path: Path) -> None:
    """``***bold italic***`` lost its bold; ``__bold__`` and ``_italic_`` came back with
    stars; underscores inside a word (``foo__bar__baz``, or between Chinese characters) were
    read as bold, which CommonMark does not."""
    text = gist_md(tmp_path, "em.md", "这是***粗斜体***文字。\n\n这是 __粗体__ 和 _斜体_ 文字。\n\n"
                   "变量 foo__bar__baz 的值。\n")
    assert regex.search(r"\*\*\*[A-Za-z][A-Za-z ]*\*\*\*", text), text
    assert regex.search(r" __[A-Za-z][A-Za-z ]*__ .* _[A-Za-z][A-Za-z ]*_ ", text), text
    assert "foo__bar__baz" in text and "**" not in text.split("foo")[1], text


def test_md_headings_with_numbers_and_task_lists(tmp_path: Path) -> None:
    src = tmp_path / "n.md"
    src.write_text("## 1. 主要内容\n\n段落。\n\n- [ ] 待办事项\n- [x] 已完成\n", encoding="utf-8")
    out = tmp_path / "n.en.md"
    md.write(out, run(src))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "## 1. zh" in lines  # no "1\." after "## ": a heading's text is no list marker
    assert "- [ ] zh" in lines and "- [x] zh" in lines
    assert [(b.kind, b.marker) for b in read(out).blocks][-2:] == [("list_item", "- [ ]"), ("list_item", "- [x]")]


def test_md_links_inside_translated_sentences_keep_their_address(tmp_path):
    src = tmp_path / "l.md"
    src.write_text(
        "全文见[网信办官网](https://www.cac.gov.cn/a.htm)和[附件](<https://e.cn/b.pdf>)。\n",
        encoding="utf-8",
    )
    out = tmp_path / "l.en.md"
    md.write(out, translate_document(read(src), HanEngine()))
    text = out.read_text(encoding="utf-8")
    # the links stay inline around the English words, each address once
    assert "](https://www.cac.gov.cn/a.htm)" in text and text.count("https://e.cn/b.pdf") == 1


def test_html_links_survive_translation(tmp_path):
    src = tmp_path / "lk.html"
    src.write_text(
        '<html><head><title>t</title></head><body><article>'
        '<h1><a href="/n/1">国家网信办发布通知</a></h1>'
        '<p>全文见<a href="https://www.cac.gov.cn/a.htm">CAC官网</a>，附件<a href="/f.pdf"><b>PDF</b></a>。</p>'
        "</article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "lk.en.html"
    htmldoc.write(out, translate_document(read(src), HanEngine()))
    root = lxml_html.fromstring(out.read_bytes())
    h1_link = root.find(".//h1/a")
    assert h1_link is not None and h1_link.get("href") == "/n/1" and "zh" in h1_link.text_content()
    # links inside a sentence keep their place around the English words (no [1] references)
    refs = root.findall(".//p/a")
    assert [a.get("href") for a in refs] == ["https://www.cac.gov.cn/a.htm", "/f.pdf"]
    assert "CAC" in refs[0].text_content() and refs[1].text_content() == "PDF"
    assert refs[1].findtext("b") == "PDF"  # the bold inside the second link too


class _TitleEngine(HanEngine):
    """An engine that changes Latin words too (``make install`` → ``Make Install``), as a
    neural model may."""

    def translate_batch(self, texts, **kw):  # type: ignore[no-untyped-def]
        return [Translation(regex.sub(r"\b[a-z]", lambda m: m.group().upper(), t.text), score=t.score)
                for t in super().translate_batch(texts, **kw)]


def test_inline_code_is_never_changed_by_the_engine(tmp_path: Path) -> None:
    """Code inside a sentence (HTML ``<code>``/``<kbd>``, a Markdown code span) reached the
    engine as words: an engine that rewrites Latin words changed the command. It is now
    held as it is (``Segment.keep``) and the code tags sit around it; two code spans with
    the same text each keep their own."""
    page, doc = tmp_path / "c.html", tmp_path / "c.md"
    page.write_text("<html><body><p>请运行<code>make install</code>，再按<kbd>enter</kbd>。</p></body></html>",
                    encoding="utf-8")
    doc.write_text("请运行 `make install` 命令，然后运行 `make` 和 `make` 两次。\n", encoding="utf-8")
    out_page, out_doc = tmp_path / "c.en.html", tmp_path / "c.en.md"
    htmldoc.write(out_page, translate_document(_read(page), _TitleEngine()))
    md.write(out_doc, translate_document(_read(doc), _TitleEngine()))
    body = out_page.read_text(encoding="utf-8")
    assert "<code>make install</code>" in body and "<kbd>enter</kbd>" in body, body
    got = out_doc.read_text(encoding="utf-8")
    assert "`make install`" in got and got.count("`make`") == 2, got


def test_html_standalone_tags_keep_their_order() -> None:
    """Two standalone codes (images, kept code) placed into a short translation stay in
    source order (each was placed on its own, and the second could land first)."""
    from bitext.document import InlineCode
    from bitext.writers.tmx import placed_parts

    codes = (InlineCode("ph", 7, 0, "code", (), "<code>甲.exe</code>", True, "甲.exe"),
             InlineCode("ph", 10, 1, "code", (), "<code>C:\\乙</code>", True, "C:\\乙"))
    seg = Segment("p1.s1", "网信办要求运行并打开。", "p1", codes)
    parts = placed_parts(seg, "zh 。")
    assert [p.num for p in parts if not isinstance(p, str)] == [0, 1], parts
    assert "".join(p if isinstance(p, str) else f"<{p.num}>" for p in parts) == "zh <0> <1>。"
