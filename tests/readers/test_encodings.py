"""Every supported encoding read through the real readers; binary/undecodable inputs refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bitext.errors import FormatError
from bitext.files import decode_bytes, read_text
from bitext.readers import read as _read


def read(path, *args, **kwargs):  # type: ignore[no-untyped-def]
    """These tests check article extraction: HTML pages are read article-only (``--article-only``)."""
    if str(path).lower().endswith((".html", ".htm")):
        kwargs.setdefault("article_only", True)
    return _read(path, *args, **kwargs)


SIMPLIFIED = (
    "国家互联网信息办公室发布数据出境安全评估办法。关键信息基础设施运营者应当履行安全保护义务，"
    "注册用户已突破5.64亿！"
)
TRADITIONAL = (
    "國家互聯網信息辦公室發布數據出境安全評估辦法。關鍵資訊基礎設施營運者應當履行安全保護義務，"
    "註冊用戶已突破5.64億！"
)


def encode(text: str, enc: str) -> bytes:
    if enc == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if enc == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if enc == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(enc)


CASES = [
    ("utf-8", SIMPLIFIED, "utf-8"),
    ("utf-8-sig", SIMPLIFIED, "utf-8-sig"),
    ("utf-16-le-bom", SIMPLIFIED, "utf-16"),
    ("utf-16-be-bom", SIMPLIFIED, "utf-16"),
    ("gb18030", SIMPLIFIED, "gb18030"),
    ("gbk", SIMPLIFIED, "gb18030"),
    ("gb2312", SIMPLIFIED, "gb18030"),
    ("gbk", TRADITIONAL, "gb18030"),
    ("big5", TRADITIONAL, "big5"),
    ("utf-8", TRADITIONAL, "utf-8"),
    ("utf-16-le-bom", TRADITIONAL, "utf-16"),
]


@pytest.mark.parametrize(("enc", "text", "detected"), CASES, ids=[f"{c[0]}-{'trad' if c[1] == TRADITIONAL else 'simp'}" for c in CASES])
@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_encodings_read_correctly(tmp_path: Path, enc: str, text: str, detected: str, fmt: str) -> None:
    if fmt == "html":
        body = f"<html><head><title>t</title></head><body><p>{text}</p></body></html>\n"
    elif fmt == "md":
        body = f"# 标题\n\n{text}\n" if text == SIMPLIFIED else f"# 標題\n\n{text}\n"
    else:
        body = text + "\n"
    p = tmp_path / f"doc.{fmt}"
    p.write_bytes(encode(body, enc))
    doc = read(p)
    assert doc.metadata["encoding"] == detected
    paragraph = next(b for b in doc.blocks if b.kind == "paragraph")
    assert paragraph.text == text
    assert [s.text for s in paragraph.segments] == [text[: text.index("。") + 1], text[text.index("。") + 1 :]]
    assert "\ufeff" not in "".join(s.text for s in doc.segments)


SHORT_TRADITIONAL = ["數位發展部今日公布資通安全管理法修正草案。", "香港特別行政區政府資訊科技總監辦公室", "個人資料保護"]
SHORT_SIMPLIFIED = ["网络安全法自2017年6月1日起施行。", "中央网络安全和信息化委员会办公室", "个人信息保护"]


@pytest.mark.parametrize("text", SHORT_TRADITIONAL)
def test_short_big5_not_mistaken_for_gb18030(text: str) -> None:
    assert decode_bytes(text.encode("big5")) == (text, "big5")


@pytest.mark.parametrize("text", SHORT_SIMPLIFIED)
@pytest.mark.parametrize("enc", ["gbk", "gb18030"])
def test_short_gb_not_mistaken_for_big5(text: str, enc: str) -> None:
    assert decode_bytes(text.encode(enc)) == (text, "gb18030")


def test_gb18030_four_byte_characters() -> None:
    text = "𠀀扩展字符与€符号。"
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


BAD = [
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary"),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "binary"),
    ("controls", b"\x01\x02\x03\x04\x05\x06\x07\x08abc\x0e\x0f\x10\x11\x12\x13", "binary"),
    ("undecodable", b"abc \xff\xfe\xfd\xff \x80\x80 def", "cannot decode"),
    ("bad-utf16-bom", b"\xff\xfe\x00\xd8", "byte-order mark"),
    # signatures without a NUL byte early on (a short PNG, a PDF, RTF) are still refused
    ("png-head", b"\x89PNG\r\n\x1a\n", "PNG"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "PDF"),
    ("rtf", "{\\rtf1\\ansi 网信办}".encode("gb18030"), "RTF"),
    ("utf16-no-bom", "网信办 2024 年\n".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
]


@pytest.mark.parametrize(("name", "data", "words"), BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_binary_and_undecodable_files_give_one_line_errors(
    tmp_path: Path, name: str, data: bytes, words: str, fmt: str
) -> None:
    p = tmp_path / f"{name}.{fmt}"
    p.write_bytes(data)
    with pytest.raises(FormatError) as e:
        read(p)
    msg = str(e.value)
    assert words in msg
    assert "\n" not in msg
    assert str(p) in msg


def test_read_text_errors(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(FormatError, match="folder"):
        read_text(tmp_path)


def test_empty_text_file_reads_as_empty_document(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    doc = read(p)
    assert doc.blocks == () and doc.segments == []


def test_cp950_extension_characters() -> None:
    text = "碁銹測試資料。"  # in Windows cp950, not in plain Big5
    assert decode_bytes(text.encode("cp950")) == (text, "cp950")


def test_html_declared_charset_breaks_a_tie(tmp_path: Path) -> None:
    # Four Big5 characters that also decode as four common GB2312 ones.
    text = "關鍵基礎"
    page = f'<html><head><meta charset="big5"></head><body><p>{text}</p></body></html>'
    p = tmp_path / "tie.html"
    p.write_bytes(page.encode("big5"))
    doc = read(p)
    assert doc.metadata["encoding"] == "big5"
    assert doc.blocks[0].text == text


def test_atomic_write_keeps_symlinks_and_devices(tmp_path):
    """Outputs through a symlink replace its target; a FIFO is written into, not replaced."""
    import os
    import threading

    from bitext.files import atomic_write

    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with atomic_write(link) as f:
        f.write("new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    with atomic_write(fifo) as f:
        f.write("through the pipe")
    reader.join(timeout=10)
    assert got == [b"through the pipe"]
    assert not fifo.is_file() and fifo.exists()
