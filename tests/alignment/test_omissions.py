"""Omissions and additions: unaligned sentences, the ``omissions`` helper, calibrated
confidence (issue #13). The chapter is synthetic (CC-CEDICT words and their glosses), so
the test needs no corpus."""

from __future__ import annotations

import functools
import random

import pytest


@functools.lru_cache(maxsize=4)
def _chapter(n: int = 90, seed: int = 13) -> tuple[list[str], list[str], list[tuple]]:
    """A MAC-Dev-like chapter: ``n`` Chinese sentences of seven dictionary words each, their
    English glosses; one in five is translated by two English sentences."""
    import regex

    from bitext.zh.cedict import entries

    vocab = []
    for e in entries():
        if len(e.simplified) == 2 and regex.fullmatch(r"\p{Han}{2}", e.simplified):
            d = e.definitions[0]
            if regex.fullmatch(r"[a-z]{4,12}", d):
                vocab.append((e.simplified, d))
    rnd = random.Random(seed)
    rnd.shuffle(vocab)
    vocab = vocab[:2500]
    zh: list[str] = []
    en: list[str] = []
    gold: list[tuple] = []
    for i in range(n):
        words = rnd.sample(vocab, 7)
        zh.append("，".join("".join(w for w, _ in words[k:k + 3]) for k in (0, 3, 6)) + "。")
        eng = [t for _, t in words]
        if rnd.random() < 0.2:
            j = len(en)
            en.append(" ".join(eng[:4]).capitalize() + ".")
            en.append(" ".join(eng[4:]).capitalize() + ".")
            gold.append(((i,), (j, j + 1)))
        else:
            gold.append(((i,), (len(en),)))
            en.append(" ".join(eng).capitalize() + ".")
    return zh, en, gold


def test_omissions_helper() -> None:
    from bitext.alignment import Alignment, omissions

    beads = [Alignment((0,), (0,), 0.9), Alignment((1,), (), 0.0), Alignment((), (1,), 0.0),
             Alignment((2, 3), (2,), 0.8), Alignment((), (3,), 0.0)]
    assert omissions(beads) == ([1], [1, 3])
    assert omissions([]) == ([], [])


@pytest.fixture(scope="module")
def probe() -> dict:
    """Four Chinese sentences of 1–1 beads deleted from the chapter: their English
    sentences are orphans."""
    from bitext.alignment import Aligner

    zh, en, gold = _chapter()
    ones = [g for g in gold if len(g[1]) == 1]
    picks = [ones[k] for k in (8, 25, 44, 60)]
    drop = {g[0][0] for g in picks}
    zh2 = [s for i, s in enumerate(zh) if i not in drop]
    beads = Aligner().align(zh2, en)
    return {"beads": beads, "orphans": sorted(g[1][0] for g in picks), "zh": zh2, "en": en}


def test_omission_probe_orphans_come_out_unaligned(probe: dict) -> None:
    from bitext.alignment import omissions

    beads = probe["beads"]
    unaligned = {b.tgt_ids[0] for b in beads if not b.src_ids}
    caught = [j for j in probe["orphans"] if j in unaligned]
    assert len(caught) >= 3, (probe["orphans"], [(b.src_ids, b.tgt_ids) for b in beads
                                                 if set(b.tgt_ids) & set(probe["orphans"])])
    _, un_en = omissions(beads)
    assert set(caught) <= set(un_en)
    # Few false alarms: the other English sentences stay aligned.
    assert len(set(un_en) - set(probe["orphans"])) <= 1
    # Every sentence still appears once, in order.
    assert [j for b in beads for j in b.tgt_ids] == list(range(len(probe["en"])))
    assert [i for b in beads for i in b.src_ids] == list(range(len(probe["zh"])))


def test_absorbing_bead_has_low_confidence(probe: dict) -> None:
    """A bead that swallowed an orphan must not look confident; clean beads stay high."""
    orphans = set(probe["orphans"])
    absorbing = [b for b in probe["beads"] if b.src_ids and set(b.tgt_ids) & orphans]
    assert all(b.score < 0.6 for b in absorbing), absorbing
    clean = [b.score for b in probe["beads"] if b.src_ids and b.tgt_ids
             and not set(b.tgt_ids) & orphans]
    assert sum(clean) / len(clean) > 0.8


def test_explained_is_low_for_an_untranslated_sentence() -> None:
    """``BeadScorer.explained``: 1 for a bead whose sentences all match, low when one
    sentence of the bead is unrelated to the other side."""
    from bitext.alignment import Aligner
    from bitext.alignment.scorers import BeadScorer, chinese_features, english_features
    from bitext.alignment.search import band

    zh, en, _ = _chapter(40)
    al = Aligner()
    zf = chinese_features(zh, al.lexicon, al.segmenter)
    ef = english_features(en)
    sc = BeadScorer(zf, ef)
    lo, hi = band(len(zh), len(en), [], 16)
    sc.calibrate_skips(lo, hi)
    assert 0 < sc.rho[0] < 0.5 and 0 < sc.rho[1] < 0.5
    gold = _chapter(40)[2]
    k = next(k for k in range(len(gold) - 1) if len(gold[k][1]) == 1 and len(gold[k + 1][1]) == 1)
    jj = gold[k][1][0]
    assert sc.explained(k, k + 1, jj, jj + 1) > 0.9
    # The next English sentence translates the next Chinese one, not this one.
    assert sc.explained(k, k + 1, jj, jj + 2) < 0.5
    assert sc.confidence(k, k + 1, jj, jj + 2) < 0.5 < sc.confidence(k, k + 1, jj, jj + 1)


def test_orphans_switch_keeps_the_old_output() -> None:
    """``orphans=False`` turns the split-out pass off (beads cover everything either way)."""
    from bitext.alignment import Aligner

    zh, en, _ = _chapter(30)
    beads = Aligner(orphans=False).align(zh[:10] + zh[11:], en)
    assert [j for b in beads for j in b.tgt_ids] == list(range(len(en)))


def test_orphan_length_split() -> None:
    """The orphan pass's length test: a sentence the bead's other side matches at chance
    level is split out when the rest of the bead then fits the length ratio better; a real
    1–2 bead (both sentences translate the Chinese) is left whole."""
    from bitext.alignment import Aligner
    from bitext.alignment.scorers import BeadScorer, Weights, chinese_features, english_features
    from bitext.alignment.search import band

    zh, en, gold = _chapter(40)
    al = Aligner()
    zf = chinese_features(zh, al.lexicon, al.segmenter)
    ef = english_features(en)
    # Only the length clause (orphan_kappa 0 turns the plain chance test off).
    sc = BeadScorer(zf, ef, Weights(orphan_kappa=0.0, orphan_len_kappa=2.5))
    lo, hi = band(len(zh), len(en), [], 16)
    sc.calibrate_skips(lo, hi)
    k = next(k for k in range(len(gold) - 1) if len(gold[k][1]) == 1 and len(gold[k + 1][1]) == 1)
    jj = gold[k][1][0]
    glued = (k, k + 1, jj, jj + 2)  # the next Chinese sentence's English glued on
    assert sc.length_logprob(k, k + 1, jj, jj + 1) - sc.length_logprob(*glued) >= 0.5
    assert sc.orphans([glued]) == [(k, k + 1, jj, jj + 1), (k + 1, k + 1, jj + 1, jj + 2)]
    assert sc.orphans([glued], len_kappa=0.0) == [glued]  # the clause off
    assert sc.orphans([glued], len_gain=10.0) == [glued]  # length does not gain enough
    # A real 1–2 bead of the chapter stays whole.
    m = next(g for g in gold if len(g[1]) == 2)
    real = (m[0][0], m[0][0] + 1, m[1][0], m[1][1] + 1)
    assert sc.orphans([real]) == [real]


def test_rehome_undoes_a_one_to_one_bead_of_strangers() -> None:
    """``BeadScorer.rehome``: when an orphan sits in a 1–1 bead with a Chinese sentence
    whose English went to the previous bead (A ↔ a+b, B ↔ orphan), the repair pairs B with
    b and leaves the orphan unaligned; a correct path is left alone."""
    from bitext.alignment import Aligner
    from bitext.alignment.scorers import BeadScorer, Weights, chinese_features, english_features
    from bitext.alignment.search import band

    zh, en, gold = _chapter(40)
    ones = [k for k in range(len(gold) - 2)
            if all(len(gold[k + d][1]) == 1 for d in range(3))]
    k = ones[len(ones) // 2]
    a, b, c = (gold[k + d][1][0] for d in range(3))
    # The orphan: the English of sentence k + 2, with Chinese sentence k + 2 deleted.
    zh2 = zh[:k + 2] + zh[k + 3:]
    al = Aligner()
    sc = BeadScorer(chinese_features(zh2, al.lexicon, al.segmenter), english_features(en),
                    Weights())
    lo, hi = band(len(zh2), len(en), [], 16)
    sc.calibrate_skips(lo, hi)
    wrong = [(k, k + 1, a, b + 1), (k + 1, k + 2, c, c + 1)]
    assert sc.rehome(wrong) == [(k, k + 1, a, a + 1), (k + 1, k + 2, b, b + 1),
                                (k + 2, k + 2, c, c + 1)]
    assert sc.rehome(wrong, margin=-1.0) == wrong  # off
    right = [(k, k + 1, a, a + 1), (k + 1, k + 2, b, b + 1), (k + 2, k + 2, c, c + 1)]
    assert sc.rehome(right) == right
