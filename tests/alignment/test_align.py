"""Tests of the sentence aligner: bead format, scoring rule, lexicon keys, search, CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.alignment.beads import check_cover, format_bead, parse_bead, read_beads, write_beads
from bitext.alignment.evaluate import Score, evaluate_dirs, pooled, score_beads
from bitext.cli.main import cli
from bitext.errors import AlignmentError, FormatError

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "align-sample"
DTD = Path(__file__).resolve().parents[1] / "tmx14.dtd"


def sample() -> tuple[list[str], list[str], list]:
    zh = (SAMPLE / "zh.txt").read_text(encoding="utf-8").splitlines()
    en = (SAMPLE / "en.txt").read_text(encoding="utf-8").splitlines()
    return zh, en, read_beads(SAMPLE / "gold.align")


# --- bead format -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "line, parsed",
    [
        ("[0]:[0]", ((0,), (0,))),
        ("[0,1]:[0]", ((0, 1), (0,))),
        ("[3]:[]", ((3,), ())),
        ("[]:[4,5,6]", ((), (4, 5, 6))),
        (" [ 1, 2 ] : [ 3 ] ", ((1, 2), (3,))),
    ],
)
def test_parse_bead(line: str, parsed: tuple) -> None:
    assert parse_bead(line) == parsed


@pytest.mark.parametrize("line", ["[0]-[1]", "0:1", "[a]:[1]", "[0]:[1]x", ""])
def test_parse_bead_rejects(line: str) -> None:
    with pytest.raises(FormatError):
        parse_bead(line)


def test_bead_round_trip(tmp_path: Path) -> None:
    beads = [((0, 1), (0,)), ((2,), ()), ((), (1,)), ((3,), (2, 3))]
    p = tmp_path / "x.align"
    write_beads(p, beads)
    assert p.read_text() == "[0,1]:[0]\n[2]:[]\n[]:[1]\n[3]:[2,3]\n"
    assert read_beads(p) == beads
    assert format_bead((0, 1), ()) == "[0,1]:[]"


def test_check_cover() -> None:
    check_cover([((0,), (0,)), ((1, 2), (1,))], 3, 2)
    with pytest.raises(FormatError):
        check_cover([((0,), (0,)), ((2,), (1,))], 3, 2)  # zh 1 missing
    with pytest.raises(FormatError):
        check_cover([((0,), (1,)), ((1,), (0,))], 2, 2)  # out of order


# --- strict scoring ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "gold, auto, matched",
    [
        ([((0,), (0,)), ((1,), (1, 2))], [((0,), (0,)), ((1,), (1, 2))], 2),
        ([((0,), (0,)), ((1,), (1, 2))], [((0,), (0,)), ((1,), (1,)), ((), (2,))], 1),
        ([((0, 1), (0,))], [((0,), (0,)), ((1,), ())], 0),
        ([((0,), ())], [((0,), ())], 1),
    ],
)
def test_score_beads(gold: list, auto: list, matched: int) -> None:
    s = score_beads(gold, auto)
    assert s.matched == matched
    assert s.precision == pytest.approx(matched / len(auto))
    assert s.recall == pytest.approx(matched / len(gold))


def test_pooled_sums_counts_not_averages() -> None:
    p = pooled([Score(1, 2, 2), Score(9, 10, 10)])
    assert (p.matched, p.predicted, p.gold) == (10, 12, 12)
    assert p.f1 == pytest.approx(10 / 12)
    assert Score(0, 0, 5).f1 == 0.0


# --- lexicon keys ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "word, lemma",
    [("cats", "cat"), ("stories", "story"), ("went", "go"), ("stopped", "stop"),
     ("walking", "walk"), ("Li's", "li"), ("boxes", "box"), ("glass", "glass")],
)
def test_stem(word: str, lemma: str) -> None:
    from bitext.alignment.lexicon import stem

    assert stem(word) == lemma


def test_english_tokens_names_numbers_stopwords() -> None:
    from bitext.alignment.lexicon import en_tokens

    toks = en_tokens("Then Chen Qingyang took the 35 cats and twelve dogs.")
    flat = {k for t in toks for k in t}
    assert {"py:chen", "py:qingyang", "cat", "dog", "#35", "#12"} <= flat
    assert "the" not in flat and "and" not in flat


@pytest.mark.parametrize(
    "text, chinese, keys",
    [
        ("“你去哪儿？”", True, ["!?", "!q<", "!q>"]),
        ("'Where are you going?'", False, ["!?", "!q<", "!q>"]),
        ("他说：“好！”然后走了。", True, ["!!", "!qi"]),
        ('He said, "Good!" and left.', False, ["!!", "!qi"]),
        ("It's John's book.", False, []),  # apostrophes are not quotation marks
        ("我们走吧。", True, []),
        ("", False, []),
    ],
)
def test_punctuation_keys(text: str, chinese: bool, keys: list[str]) -> None:
    from bitext.alignment.lexicon import punctuation_keys

    assert punctuation_keys(text, chinese) == keys


def test_chinese_units_offer_dictionary_pinyin_and_numbers() -> None:
    from bitext.alignment import Aligner
    from bitext.alignment.lexicon import zh_units

    al = Aligner()
    units, offered = zh_units("陈清扬买了三十五只猫。", al.lexicon, al.segmenter)
    assert {"py:chen", "py:qingyang", "py:chenqingyang", "#35", "cat", "buy"} <= offered
    assert units


def test_word_keys_include_the_senses_of_its_characters() -> None:
    from bitext.alignment import Aligner

    keys = Aligner().lexicon.word_keys("天亮")  # "daybreak", but also "the sky brightened"
    assert {"dawn", "sky", "bright"} <= keys


def test_glossary_pairs_extend_the_lexicon() -> None:
    from bitext.alignment import Aligner
    from bitext.alignment.lexicon import en_tokens

    al = Aligner([("网信办", "Cyberspace Administration")])
    wanted = {k for t in en_tokens("the cyberspace administration") for k in t}
    assert len(wanted) == 2 and wanted <= al.lexicon.word_keys("网信办")


@pytest.mark.parametrize(
    "pairs, learned",
    [
        # A name the dictionary lacks keeps meeting the same English word: learned.
        ([(["韦小宝", "跑"], {"trinket", "run"}), (["韦小宝"], {"trinket", "laugh"}),
          (["走"], {"walk"})], {"韦小宝": frozenset({"trinket"})}),
        # Co-occurring once is chance, not evidence.
        ([(["韦小宝"], {"trinket"}), (["走"], {"walk"})], {}),
        # A word seen everywhere with a lemma that is everywhere else too: Dice too low.
        ([(["了"], {"go"}), (["了"], {"go"}), (["了"], {"a"}), (["了"], {"b"}),
          (["了"], {"c"}), (["了"], {"d"}), (["了"], {"e"}), (["x"], {"go"}),
          (["y"], {"go"}), (["z"], {"go"}), (["w"], {"go"}), (["v"], {"go"})], {}),
    ],
)
def test_learn_associations(pairs: list, learned: dict) -> None:
    from bitext.alignment.lexicon import learn_associations

    assert learn_associations(pairs) == learned


def test_self_training_learns_translated_names() -> None:
    from bitext.alignment import Aligner

    # 韦小宝 is rendered "Trinket": no dictionary entry, no pinyin match.
    zh = ["韦小宝走进酒馆。", "他要了一碗面。", "韦小宝哈哈大笑。", "老板看着他。",
          "韦小宝付了钱。", "天下雨了。"]
    en = ["Trinket walked into the inn.", "He ordered a bowl of noodles.",
          "Trinket roared with laughter.", "The owner watched him.", "Trinket paid.",
          "It began to rain."]
    al = Aligner()
    learned = al._learn(zh, en, [(i, i + 1, i, i + 1) for i in range(6)], _scorer(al, zh, en))
    assert "trinke" in learned.get("韦小宝", frozenset())
    beads = al.align(zh, en)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [((i,), (i,)) for i in range(6)]
    assert Aligner(self_train=False).align(zh, en)  # the one-pass search still works


def _scorer(al: object, zh: list[str], en: list[str]) -> object:
    from bitext.alignment.scorers import BeadScorer, chinese_features, english_features

    zf = chinese_features(zh, al.lexicon, al.segmenter)  # type: ignore[attr-defined]
    return BeadScorer(zf, english_features(en))


@pytest.mark.parametrize(
    "parts, shape",
    [
        ([{"!q<", "!q>"}], {"!q<", "!q>"}),
        # “…” 他说。 reads as one text that opens a quotation and holds one inside.
        ([{"!q<", "!q>"}, set()], {"!q<", "!qi"}),
        ([set(), {"!q<", "!q>", "!?"}], {"!qi", "!q>", "!?"}),
        ([{"!q<"}, {"!!"}, {"!q>"}], {"!q<", "!!", "!q>"}),
    ],
)
def test_bead_shape(parts: list, shape: set) -> None:
    from bitext.alignment.lexicon import punctuation_keys
    from bitext.alignment.scorers import bead_shape

    assert bead_shape([frozenset(p) for p in parts]) == shape
    zh = [frozenset(punctuation_keys(s, True)) for s in ["“但愿真是个玩笑。”", "沙瑞山摇摇头说。"]]
    en = frozenset(punctuation_keys('"I hope it is a joke," Sha said.', False))
    assert bead_shape(zh) == en


# --- search ------------------------------------------------------------------------------

def test_heaviest_chain_is_increasing_and_heaviest() -> None:
    from bitext.alignment.search import heaviest_chain

    pairs = [(0, 0, 1.0), (1, 1, 1.0), (2, 0, 5.0), (2, 2, 1.0), (3, 3, 1.0), (1, 5, 0.5)]
    chain = heaviest_chain(pairs)
    assert chain == [(2, 0), (3, 3)]  # weight 6 beats the diagonal's 4
    assert heaviest_chain([]) == []


def test_band_is_monotone_connected_and_narrow() -> None:
    from bitext.alignment.search import band

    lo, hi = band(100, 300, [(10, 35), (50, 150)], 5)
    assert lo[0] == 0 and hi[100] == 300
    assert all(lo[i] <= lo[i + 1] and hi[i] <= hi[i + 1] for i in range(100))
    assert all(hi[i] >= lo[i + 1] for i in range(100))
    assert max(h - l for l, h in zip(lo, hi)) < 40


def test_sample_alignment_matches_gold() -> None:
    from bitext.alignment import align

    zh, en, gold = sample()
    beads = align(zh, en)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == gold
    assert all(0.0 <= b.score <= 1.0 for b in beads)


@pytest.mark.parametrize("n_zh, n_en", [(0, 0), (0, 3), (3, 0)])
def test_empty_sides(n_zh: int, n_en: int) -> None:
    from bitext.alignment import align

    zh, en, _ = sample()
    beads = align(zh[:n_zh], en[:n_en])
    assert [i for b in beads for i in b.src_ids] == list(range(n_zh))
    assert [j for b in beads for j in b.tgt_ids] == list(range(n_en))


def test_very_unequal_lengths_cover_everything() -> None:
    from bitext.alignment import align

    zh, en, _ = sample()
    beads = align(zh[:2], en * 5)
    assert [i for b in beads for i in b.src_ids] == [0, 1]
    assert [j for b in beads for j in b.tgt_ids] == list(range(len(en) * 5))


def test_mt_line_count_must_match() -> None:
    from bitext.alignment import align

    zh, en, _ = sample()
    with pytest.raises(AlignmentError):
        align(zh, en, mt=en[:3])


def _synthetic(n: int, seed: int) -> tuple[list[str], list[str]]:
    pairs = [("猫", "cat"), ("狗", "dog"), ("马", "horse"), ("鱼", "fish"), ("鸟", "bird"),
             ("山", "mountain"), ("河", "river"), ("书", "book"), ("茶", "tea"), ("米", "rice"),
             ("刀", "knife"), ("船", "boat"), ("车", "car"), ("花", "flower"), ("雪", "snow")]
    rnd = random.Random(seed)
    zh, en = [], []
    for _ in range(n):
        words = rnd.sample(pairs, 3)
        zh.append("".join(w for w, _ in words) + "。")
        en.append(" ".join(e for _, e in words).capitalize() + ".")
    return zh, en


def test_work_grows_linearly_not_quadratically() -> None:
    """The number of sentence pairs scored doubles (not quadruples) when the text doubles."""
    from bitext.alignment import Aligner
    from bitext.alignment.scorers import BeadScorer, chinese_features, english_features
    from bitext.alignment.search import search

    al = Aligner()
    counts = []
    for n in (150, 300):
        zh, en = _synthetic(n, seed=n)
        sc = BeadScorer(chinese_features(zh, al.lexicon, al.segmenter), english_features(en))
        beads = search(sc, n, n)
        assert sum(len(range(b[0], b[1])) for b in beads) == n
        counts.append(sc.pairs_scored)
    assert counts[1] < 2.6 * counts[0]
    assert counts[1] < 300 * 300 / 4  # far below the full matrix


# --- CLI ---------------------------------------------------------------------------------

def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_cli_presplit_beads_equal_gold(tmp_path: Path) -> None:
    out = tmp_path / "a.align"
    r = run(["align", str(SAMPLE / "zh.txt"), str(SAMPLE / "en.txt"), "--presplit",
             "--beads", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text() == (SAMPLE / "gold.align").read_text()


def test_cli_tmx_html_tsv_json(tmp_path: Path) -> None:
    from lxml import etree

    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("李明说：“A&B <公司> 很好。”\n他买了三本书。\n", encoding="utf-8")
    en.write_text('Li Ming said: "A&B <Company> is good."\nHe bought three books.\n', encoding="utf-8")
    tmx, html, tsv = tmp_path / "a.tmx", tmp_path / "a.html", tmp_path / "a.tsv"
    r = run(["align", str(zh), str(en), "--presplit", "--tmx", str(tmx), "--html", str(html),
             "--tsv", str(tsv), "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["beads"] == 2 and summary["low_confidence"] is False
    assert set(summary["outputs"]) == {"tmx", "html", "tsv"}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.parse(str(tmx), parser)
    assert etree.DTD(str(DTD)).validate(doc)
    tus = doc.findall(".//tu")
    assert len(tus) == 2
    assert tus[0].findall(".//seg")[1].text == 'Li Ming said: "A&B <Company> is good."'
    assert tus[0].find("prop").get("type") == "x-bitext-confidence"
    page = html.read_text(encoding="utf-8")
    assert "&lt;Company&gt;" in page and "A&amp;B" in page and "<Company>" not in page
    rows = tsv.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "zh\ten\tscore" and rows[2].startswith("他买了三本书。\tHe bought three books.\t")


def test_cli_multi_sentence_sides_joined(tmp_path: Path) -> None:
    from lxml import etree

    tmx = tmp_path / "a.tmx"
    r = run(["align", str(SAMPLE / "zh.txt"), str(SAMPLE / "en.txt"), "--presplit", "--tmx", str(tmx)])
    assert r.exit_code == 0
    tus = etree.parse(str(tmx)).findall(".//tu")
    segs = [[s.text for s in tu.findall(".//seg")] for tu in tus]
    assert segs[4] == ["这份工作很辛苦，但他非常喜欢。", "The work is hard. But he loves it very much."]
    assert segs[6][0] == "李明和同事们连续工作了三天三夜。他们修好了两百多根水管。"


def test_cli_not_a_translation_warns_and_exits_0(tmp_path: Path) -> None:
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text((SAMPLE / "zh.txt").read_text(encoding="utf-8"), encoding="utf-8")
    en.write_text(
        "Quarterly revenue rose on strong demand for cloud software.\n"
        "The board approved a dividend.\nAnalysts expect further growth.\n"
        "Shares closed higher on Tuesday.\nThe chief executive declined to comment.\n"
        "Inflation data is due next week.\nBond yields were unchanged.\n"
        "Oil prices fell sharply.\nThe central bank kept rates on hold.\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(cli, ["align", str(zh), str(en), "--presplit", "--json"])
    assert r.exit_code == 0
    summary = json.loads(r.stdout)
    assert summary["low_confidence"] is True and "not translations" in summary["warning"]
    assert "warning" in r.stderr


def test_cli_encodings_crlf_and_blank_lines(tmp_path: Path) -> None:
    zh_lines = (SAMPLE / "zh.txt").read_text(encoding="utf-8").splitlines()
    en_lines = (SAMPLE / "en.txt").read_text(encoding="utf-8").splitlines()
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_bytes("\r\n".join(zh_lines[:4] + [""] + zh_lines[4:]).encode("gb18030") + b"\r\n")
    en.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(en_lines).encode("utf-8"))
    out = tmp_path / "a.align"
    r = run(["align", str(zh), str(en), "--presplit", "--beads", str(out)])
    assert r.exit_code == 0, r.output
    beads = read_beads(out)
    check_cover(beads, len(zh_lines) + 1, len(en_lines))
    assert ((4,), ()) in beads  # the blank line, unaligned, at its place
    assert ((5,), (4, 5)) in beads


def test_cli_documents(tmp_path: Path) -> None:
    zh = tmp_path / "zh.md"
    en = tmp_path / "en.md"
    zh_lines = (SAMPLE / "zh.txt").read_text(encoding="utf-8").splitlines()
    en_lines = (SAMPLE / "en.txt").read_text(encoding="utf-8").splitlines()
    zh.write_text("# 李明\n\n" + "".join(zh_lines[:5]) + "\n\n" + "".join(zh_lines[5:]) + "\n", encoding="utf-8")
    en.write_text("# Li Ming\n\n" + " ".join(en_lines[:6]) + "\n\n" + " ".join(en_lines[6:]) + "\n", encoding="utf-8")
    r = run(["align", str(zh), str(en), "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["zh_sentences"] == 13 and s["en_sentences"] == 13
    assert s["mean_confidence"] > 0.6


def test_cli_mt_file(tmp_path: Path) -> None:
    mt = tmp_path / "mt.txt"
    mt.write_text("\n".join(["x"] * 3) + "\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["align", str(SAMPLE / "zh.txt"), str(SAMPLE / "en.txt"),
                                 "--presplit", "--mt", str(mt)])
    assert r.exit_code == 1 and "one line per Chinese sentence" in r.output
    good = tmp_path / "good.txt"
    good.write_text((SAMPLE / "en.txt").read_text(encoding="utf-8").replace("\n", " ", 1), encoding="utf-8")
    r = run(["align", str(SAMPLE / "zh.txt"), str(SAMPLE / "en.txt"), "--presplit", "--mt",
             str(mt), "--engine", "gloss"])
    assert r.exit_code == 2


def test_cli_bad_input_exit_1(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["align", str(tmp_path / "missing.txt"), str(SAMPLE / "en.txt"), "--presplit"])
    assert r.exit_code == 1


def test_eval_align_cli(tmp_path: Path) -> None:
    gold, auto = tmp_path / "gold", tmp_path / "auto"
    gold.mkdir()
    auto.mkdir()
    write_beads(gold / "a.align", [((0,), (0,)), ((1,), (1, 2))])
    write_beads(auto / "a.align", [((0,), (0,)), ((1,), (1,)), ((), (2,))])
    write_beads(gold / "b.align", [((0,), (0,))])
    r = run(["eval-align", str(gold), str(auto), "--json"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["pooled"]["matched"] == 1 and data["pooled"]["predicted"] == 3
    assert data["pooled"]["gold"] == 3 and data["files"]["b.align"]["predicted"] == 0
    total, _ = evaluate_dirs(gold, auto)
    assert total.precision == pytest.approx(1 / 3)
    r = run(["eval-align", str(gold), str(auto)])
    assert "pooled" in r.output
    r = CliRunner().invoke(cli, ["eval-align", str(tmp_path / "nope"), str(auto)])
    assert r.exit_code == 1


def test_cli_glossary_recorded_and_weak_beads_highlighted(tmp_path: Path) -> None:
    gloss = tmp_path / "g.tsv"
    gloss.write_text("source\ttarget\n工程师\tengineer\n", encoding="utf-8")
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("李明是工程师。\n今天下雨。\n", encoding="utf-8")
    en.write_text("Li Ming is an engineer.\nQuarterly revenue rose sharply.\n", encoding="utf-8")
    tmx, html = tmp_path / "a.tmx", tmp_path / "a.html"
    r = run(["align", str(zh), str(en), "--presplit", "--glossary", str(gloss), "--tmx", str(tmx),
             "--html", str(html), "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["glossaries"][-1]["name"] == gloss.name and len(s["glossaries"][-1]["sha256"]) == 64
    assert str(tmp_path) not in tmx.read_text(encoding="utf-8")  # no local path in the TMX
    assert "x-bitext-glossary" in tmx.read_text(encoding="utf-8")
    page = html.read_text(encoding="utf-8")
    assert page.count('class="bead weak"') + page.count('class="bead gap"') >= 1
    assert 'id="b1"' in page and "<style>" in page
