"""Tests for the streaming TMX reader (bitext.readers.tmx)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.errors import FormatError
from bitext.readers.tmx import TmxUnit, iter_units, lang_matches, pick, read_header

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="bitext" creationtoolversion="0.1.0" segtype="sentence"
          o-tmf="bitext" adminlang="en" srclang="zh-CN" datatype="plaintext">
    <prop type="x-engine">argos</prop>
    <note>made for tests</note>
  </header>
  <body>
    <tu tuid="p1.s1" creationdate="20240731T120000Z" changedate="20240801T000000Z">
      <prop type="x-origin">mt</prop>
      <note>term ok</note>
      <tuv xml:lang="zh-CN"><seg>网信办发布&lt;通知&gt; &amp; 规定</seg></tuv>
      <tuv xml:lang="en-US"><seg>The CAC issued a &lt;notice&gt; &amp; rules</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ZH"><seg>加粗<bpt i="1">&lt;b&gt;</bpt>文字<ept i="1">&lt;/b&gt;</ept>结束<ph>&lt;br/&gt;</ph></seg></tuv>
      <tuv xml:lang="en"><seg><hi type="b">bold</hi> text<it pos="begin">&lt;i&gt;</it> end</seg></tuv>
    </tu>
    <tu tuid="old">
      <tuv lang="zh-TW"><seg>舊格式</seg></tuv>
      <tuv lang="EN-GB"><seg>old format</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.fixture()
def tmx(tmp_path: Path) -> Path:
    p = tmp_path / "t.tmx"
    p.write_text(TMX, encoding="utf-8")
    return p


def test_units_fields(tmx: Path) -> None:
    units = list(iter_units(tmx))
    assert len(units) == 3
    u = units[0]
    assert isinstance(u, TmxUnit)
    assert u.tuid == "p1.s1"
    assert u.variants == (("zh-CN", "网信办发布<通知> & 规定"), ("en-US", "The CAC issued a <notice> & rules"))
    assert u.props == (("x-origin", "mt"),)
    assert u.notes == ("term ok",)
    assert dict(u.attrs) == {"creationdate": "20240731T120000Z", "changedate": "20240801T000000Z"}


def test_inline_tags_flattened(tmx: Path) -> None:
    u = list(iter_units(tmx))[1]
    assert u.tuid is None
    assert pick(u, "zh") == "加粗文字结束"
    assert pick(u, "en") == "bold text end"


@pytest.mark.parametrize(
    "prefix, expected",
    [("zh", "舊格式"), ("ZH", "舊格式"), ("zh-tw", "舊格式"), ("en", "old format"), ("fr", None)],
)
def test_pick_tmx11_lang(tmx: Path, prefix: str, expected: str | None) -> None:
    u = list(iter_units(tmx))[2]
    assert pick(u, prefix) == expected


def test_pick_prefers_exact_subtag() -> None:
    u = TmxUnit("x", (("zhx", "a"), ("zh-CN", "b")))
    assert pick(u, "zh") == "b"
    assert u.text("zhx") == "a"


def test_header(tmx: Path) -> None:
    h = read_header(tmx)
    assert h["srclang"] == "zh-CN"
    assert h["creationtool"] == "bitext"
    assert h["version"] == "1.4"
    assert h["props"] == [("x-engine", "argos")]
    assert h["notes"] == ["made for tests"]


def test_entities_refused(tmp_path: Path) -> None:
    p = tmp_path / "evil.tmx"
    p.write_text(
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<tmx version="1.4"><header srclang="zh"/><body><tu><tuv xml:lang="zh"><seg>&x;</seg>'
        "</tuv></tu></body></tmx>",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="entities"):
        list(iter_units(p))
    with pytest.raises(FormatError, match="entities"):
        read_header(p)


@pytest.mark.parametrize(
    "content, match",
    [
        ("<tmx version='1.4'><header/><body><tu><tuv xml:lang='zh'><seg>a</tuv></tu></body></tmx>", "line"),
        ("<xliff><file/></xliff>", "not a TMX"),
        ("", "empty file"),
    ],
)
def test_bad_files(tmp_path: Path, content: str, match: str) -> None:
    p = tmp_path / "bad.tmx"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as ei:
        list(iter_units(p))
    assert match in str(ei.value) or (match == "line" and ei.value.line is not None)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file"):
        list(iter_units(tmp_path / "nope.tmx"))


def test_utf16_and_many_units(tmp_path: Path) -> None:
    body = "".join(
        f'<tu tuid="{i}"><tuv xml:lang="zh"><seg>第{i}条</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Article {i}</seg></tuv></tu>'
        for i in range(2000)
    )
    text = f'<?xml version="1.0" encoding="UTF-16"?><tmx version="1.4"><header srclang="zh"/><body>{body}</body></tmx>'
    p = tmp_path / "big.tmx"
    p.write_bytes(text.encode("utf-16"))
    n = 0
    for n, u in enumerate(iter_units(p)):
        assert u.tuid == str(n)
        assert pick(u, "en") == f"Article {n}"
    assert n == 1999


def test_empty_file_header(tmp_path: Path) -> None:
    p = tmp_path / "empty.tmx"
    p.write_bytes(b"")
    with pytest.raises(FormatError, match="empty file") as ei:
        read_header(p)
    assert ei.value.line is None


@pytest.mark.parametrize(
    "lang, prefix, expected",
    [("zh", "zh", True), ("ZH-Hans", "zh", True), ("zh_CN", "zh", True), ("en-US", "EN", True),
     ("zhs", "zh", False), ("en", "zh", False), ("", "zh", False)],
)
def test_lang_matches(lang: str, prefix: str, expected: bool) -> None:
    assert lang_matches(lang, prefix) is expected
