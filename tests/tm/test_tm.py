"""The SQLite translation memory: normalisation, import/merge, exact and fuzzy lookup, export,
concurrent writers, learning from a run."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from bitext.errors import ConfigError, FormatError
from bitext.readers.tmx import iter_units, pick
from bitext.tm import TmEntry, TranslationMemory, default_path, normalize, similarity
from bitext.writers.tmx import TmxUnit, write_units

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
        srclang="zh-CN" datatype="plaintext"/>
<body>
<tu tuid="a1" creationdate="20200101T000000Z" creationid="alice">
  <prop type="x-domain">law</prop>
  <note>checked</note>
  <tuv xml:lang="zh-CN"><seg>网络安全很重要。</seg></tuv>
  <tuv xml:lang="en-US"><seg>Cybersecurity matters.</seg></tuv>
</tu>
<tu tuid="a2" changedate="20230505T101010Z">
  <prop type="x-client">acme</prop>
  <tuv xml:lang="ZH-hans"><seg>网络安全很重要。</seg></tuv>
  <tuv xml:lang="en"><seg>Cybersecurity matters.</seg></tuv>
</tu>
<tu tuid="b">
  <tuv xml:lang="en-GB"><seg>Data must be protected.</seg></tuv>
  <tuv xml:lang="zh-TW"><seg>數據必須受到保護。</seg></tuv>
</tu>
<tu tuid="c">
  <tuv xml:lang="zh-CN"><seg>只有中文。</seg></tuv>
  <tuv xml:lang="fr"><seg>Seulement du chinois.</seg></tuv>
</tu>
<tu tuid="d">
  <tuv xml:lang="zh-CN"><seg>个人信息处理者应当采取必要措施。</seg></tuv>
  <tuv xml:lang="en"><seg>Personal information handlers shall take necessary measures.</seg></tuv>
</tu>
<tu tuid="e">
  <tuv xml:lang="zh-CN"><seg>   </seg></tuv>
  <tuv xml:lang="en"><seg>Empty source.</seg></tuv>
</tu>
</body>
</tmx>
"""


@pytest.fixture
def sample_tmx(tmp_path: Path) -> Path:
    p = tmp_path / "sample.tmx"
    p.write_text(SAMPLE, encoding="utf-8")
    return p


@pytest.fixture
def mem(tmp_path: Path, sample_tmx: Path) -> TranslationMemory:
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.import_tmx(sample_tmx)
    yield tm
    tm.close()


@pytest.mark.parametrize(
    "a, b",
    [
        ("网络安全，很重要！", "网络安全,很重要!"),
        ("网络 安全 很重要。", "网络安全很重要。"),
        ("（测试）ＡＢＣ１２３", "(测试)ABC123"),
        ("“引号”", '"引号"'),
        ("  Hello   world  ", "Hello world"),
        ("数据\u3000安全", "数据安全"),
        ("数据。", "数据｡"),
    ],
)
def test_normalize_folds_width_and_whitespace(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    "a, b",
    [("网络安全很重要。", "网络安全很重要"), ("Hello world", "Helloworld"), ("ABC", "abc")],
)
def test_normalize_keeps_real_differences(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


def test_import_counts_merge_and_skip(tmp_path: Path, sample_tmx: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        counts = tm.import_tmx(sample_tmx)
        assert counts.as_dict() == {"read": 6, "added": 3, "merged": 1, "skipped": 2}
        assert len(tm) == 3
        again = tm.import_tmx(sample_tmx)
        assert again.added == 0 and again.merged == 4
        assert len(tm) == 3


def test_merge_keeps_dates_props_notes_and_attrs(mem: TranslationMemory) -> None:
    entries = {e.source: e for e in mem.iter_entries()}
    e = entries["网络安全很重要。"]
    assert e.tuid == "a1"
    assert e.creationdate == "20200101T000000Z"
    assert e.changedate == "20230505T101010Z"
    assert e.props == [("x-domain", "law"), ("x-client", "acme")]
    assert e.notes == ["checked"]
    assert e.attrs == {"creationid": "alice"}
    assert e.srclang == "zh-CN" and e.tgtlang == "en-US"
    tw = entries["數據必須受到保護。"]
    assert (tw.srclang, tw.tgtlang, tw.target) == ("zh-TW", "en-GB", "Data must be protected.")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("网络安全很重要。", "Cybersecurity matters."),
        ("网络安全很重要.", "Cybersecurity matters."),
        (" 网络 安全很重要 。 ", "Cybersecurity matters."),
        ("數據必須受到保護。", "Data must be protected."),
        ("网络安全很重要", None),
        ("只有中文。", None),
        ("", None),
    ],
)
def test_lookup_exact(mem: TranslationMemory, query: str, expected: str | None) -> None:
    assert mem.lookup_exact(query) == expected


def test_exact_returns_verbatim_target_and_latest_alternative(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        tm.add("数据安全。", "Data  security .", changedate="20200101T000000Z")
        assert tm.lookup_exact("数据安全。") == "Data  security ."
        tm.add("数据安全。", "Data security.", changedate="20240101T000000Z")
        tm.add("数据安全。", "Old data security.", changedate="20100101T000000Z")
        assert len(tm) == 3
        assert tm.lookup_exact("数据安全。") == "Data security."


def test_lookup_fuzzy(mem: TranslationMemory) -> None:
    got = mem.lookup_fuzzy("个人信息处理者应该采取必要措施。", 0.75)
    assert len(got) == 1
    score, src, tgt = got[0]
    assert src == "个人信息处理者应当采取必要措施。"
    assert tgt == "Personal information handlers shall take necessary measures."
    assert score == pytest.approx(similarity(normalize(src), normalize("个人信息处理者应该采取必要措施。")))
    assert 0.75 <= score < 1.0
    # above the similarity: nothing
    assert mem.lookup_fuzzy("个人信息处理者应该采取必要措施。", 0.95) == []
    # exact match is included with similarity 1
    assert mem.lookup_fuzzy("网络安全很重要。", 0.8)[0][0] == 1.0
    assert mem.lookup_fuzzy("完全无关的句子内容在这里。", 0.5) == []
    assert mem.lookup_fuzzy("", 0.5) == []


def test_fuzzy_short_queries_use_the_length_bucket(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        tm.add("安全", "security")
        tm.add("安全法", "security law")
        tm.add("数据", "data")
        got = tm.lookup_fuzzy("安全", 0.6)
        assert [g[2] for g in got] == ["security", "security law"]


def _sentence(i: int) -> str:
    digits = "零一二三四五六七八九"
    return "第" + "".join(digits[int(c)] for c in str(i)) + "条规定网络运营者应当履行安全保护义务。"


def test_fuzzy_finds_best_among_many(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        tm.add_entries(TmEntry(_sentence(i), f"Article {i}.") for i in range(2000))
        tm.add("个人信息保护法自公布之日起施行。", "This Law takes effect on the date of promulgation.")
        got = tm.lookup_fuzzy(_sentence(1234).replace("履行", "承担"), 0.8, limit=3)
        assert got[0][2] == "Article 1234."
        assert len(got) == 3
        assert got[0][0] >= got[1][0] >= got[2][0] >= 0.8
        got = tm.lookup_fuzzy("个人信息保护法自发布之日起施行。", 0.8)
        assert [g[2] for g in got] == ["This Law takes effect on the date of promulgation."]


def test_export_round_trip_keeps_everything(mem: TranslationMemory, tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    assert mem.export_tmx(out) == 3
    units = list(iter_units(out))
    assert len(units) == 3
    u = next(u for u in units if u.tuid == "a1")
    assert pick(u, "zh") == "网络安全很重要。"
    assert pick(u, "en") == "Cybersecurity matters."
    assert ("x-domain", "law") in u.props and ("x-client", "acme") in u.props
    assert dict(u.attrs)["creationdate"] == "20200101T000000Z"
    assert dict(u.attrs)["changedate"] == "20230505T101010Z"
    assert u.notes == ("checked",)
    assert dict(u.attrs)["creationid"] == "alice"  # other <tu> attributes survive too
    b = next(u for u in units if u.tuid == "b")
    assert dict(b.attrs)["srclang"] == "zh-TW"  # differs from the header's zh-CN
    from lxml import etree

    assert etree.DTD(str(Path(__file__).parents[1].joinpath("tmx14.dtd"))).validate(etree.parse(str(out)))
    with TranslationMemory(tmp_path / "again.sqlite") as tm2:
        counts = tm2.import_tmx(out)
        assert counts.added == 3
        assert tm2.lookup_exact("數據必須受到保護。") == "Data must be protected."


def test_escaping_and_control_characters_survive(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        tm.add("A&B<C>“引”", "A&B<C> \"q\"")
        tm.add("控制\x01字符。", "control\x02 chars.")
        out = tmp_path / "x.tmx"
        tm.export_tmx(out)
    units = {pick(u, "zh"): pick(u, "en") for u in iter_units(out)}
    assert units["A&B<C>“引”"] == 'A&B<C> "q"'
    assert units["控制字符。"] == "control chars."


def test_omegat_tag_text_is_taken_out_when_both_sides_carry_it(tmp_path: Path) -> None:
    """A TMX from OmegaT (or bitext's with OmegaT's tags) holds tag text such as ``<br0>``:
    imported, both sides lose it when they carry the same tags, so the plain sentence
    matches; text whose tags differ between the sides is stored as it is."""
    p = tmp_path / "omegat.tmx"
    p.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="OmegaT" '
        'creationtoolversion="3.6" segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US" '
        'srclang="zh-CN" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="zh-CN"><seg>联系人：张华&lt;br0&gt;</seg></tuv>'
        '<tuv xml:lang="en"><seg>Contact: Zhang Hua&lt;br0&gt;</seg></tuv></tu>'
        '<tu><tuv xml:lang="zh-CN"><seg>各地区要&lt;s0&gt;切实&lt;/s0&gt;落实责任。</seg></tuv>'
        '<tuv xml:lang="en"><seg>Every region must &lt;s0&gt;really&lt;/s0&gt; carry out its duty.</seg></tuv></tu>'
        '<tu><tuv xml:lang="zh-CN"><seg>&lt;s0&gt;1.&lt;/s0&gt;&lt;!1&gt;&lt;s2&gt;重要数据处理者应当备案。</seg></tuv>'
        '<tuv xml:lang="en"><seg>&lt;s0&gt;1.&lt;/s0&gt;&lt;!1&gt;&lt;s2&gt;Processors must file.</seg></tuv></tu>'
        '<tu><tuv xml:lang="zh-CN"><seg>标签&lt;b0&gt;不&lt;/b0&gt;一致。</seg></tuv>'
        '<tuv xml:lang="en"><seg>Tags differ.</seg></tuv></tu>'
        "</body></tmx>\n",
        encoding="utf-8",
    )
    tm = TranslationMemory(tmp_path / "tm.sqlite", create=True)
    tm.import_tmx(p)
    assert tm.lookup_exact("联系人：张华") == "Contact: Zhang Hua"
    assert tm.lookup_exact("各地区要切实落实责任。") == "Every region must really carry out its duty."
    assert tm.lookup_exact("1.重要数据处理者应当备案。") == "1.Processors must file."  # Word's <!1> too
    assert tm.lookup_exact("标签<b0>不</b0>一致。") == "Tags differ."
    assert tm.lookup_exact("标签不一致。") is None


def test_stats(mem: TranslationMemory) -> None:
    st = mem.stats()
    assert st["units"] == 3
    assert st["distinct_sources"] == 3
    assert st["language_pairs"]["zh-CN→en-US"] == 1
    assert st["oldest_unit"] == "20200101T000000Z"
    assert st["newest_unit"] == "20230505T101010Z"
    assert st["size_bytes"] > 0


def test_wal_mode(tmp_path: Path) -> None:
    TranslationMemory(tmp_path / "tm.sqlite").close()
    con = sqlite3.connect(tmp_path / "tm.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_missing_file_refused_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        TranslationMemory(tmp_path / "nope.sqlite", create=False)
    assert not (tmp_path / "nope.sqlite").exists()


@pytest.mark.parametrize("content", [b"not a database at all" * 100, None])
def test_not_a_memory(tmp_path: Path, content: bytes | None) -> None:
    p = tmp_path / "other.sqlite"
    if content is None:
        con = sqlite3.connect(p)
        con.execute("CREATE TABLE people(name)")
        con.commit()
        con.close()
    else:
        p.write_bytes(content)
    with pytest.raises(FormatError):
        TranslationMemory(p)


def test_import_errors_are_format_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    with TranslationMemory(tmp_path / "tm.sqlite") as tm, pytest.raises(FormatError):
        tm.import_tmx(bad)
    with TranslationMemory(tmp_path / "tm.sqlite") as tm, pytest.raises(FormatError):
        tm.import_tmx(tmp_path / "missing.tmx")
    empty = tmp_path / "empty.tmx"
    empty.write_bytes(b"")
    with TranslationMemory(tmp_path / "tm.sqlite") as tm, pytest.raises(FormatError) as exc:
        tm.import_tmx(empty)
    assert "empty.tmx:0" not in str(exc.value)  # no line 0 in the message


def test_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "bitext" / "tm.sqlite"
    with TranslationMemory() as tm:
        tm.add("你好。", "Hello.")
    assert (tmp_path / "xdg" / "bitext" / "tm.sqlite").exists()


def _writer(args: tuple[str, int]) -> int:
    path, start = args
    with TranslationMemory(path) as tm:
        total = 0
        for i in range(start, start + 300, 50):
            total += tm.add_entries(TmEntry(_sentence(j), f"Article {j}.") for j in range(i, i + 50)).added
        return total


def test_concurrent_writers(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.sqlite")
    TranslationMemory(path).close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        added = pool.map(_writer, [(path, 0), (path, 300), (path, 150)])
    with TranslationMemory(path) as tm:
        assert len(tm) == 600
        assert sum(added) == 600  # overlapping ranges merged, never duplicated
        assert tm.lookup_exact(_sentence(451)) == "Article 451."
        assert tm.lookup_fuzzy(_sentence(451), 0.99)[0][2] == "Article 451."


def test_tmx_written_by_write_units_imports(tmp_path: Path) -> None:
    p = tmp_path / "w.tmx"
    write_units(p, [TmxUnit("1", "第一句。", "First."), TmxUnit("2", "第二句。", "Second.", tgtlang="en-AU")])
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        assert tm.import_tmx(p).added == 2
        assert tm.lookup_exact("第二句。") == "Second."
