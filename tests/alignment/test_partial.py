"""Partial translations: one side covers only a sub-range of the other (issue 5).

The covered part must get its beads and the rest of the longer side must stay
unaligned, instead of the short side being spread across the whole long one.
"""

from __future__ import annotations

import pytest

from bitext.alignment import align
from bitext.alignment.search import band

ZH = [
    "我的朋友王小明住在北京。",
    "他每天早上七点起床。",
    "然后他喝一杯茶，吃两个鸡蛋。",
    "八点钟他骑自行车去学校。",
    "他是一个数学老师。",
    "他的学生都很喜欢他。",
    "下午五点他回家做饭。",
    "晚上他看书或者听音乐。",
    "星期六他和妻子去公园散步。",
    "公园里有很多花和树。",
    "星期天他们去看他的父母。",
    "他的父母住在上海。",
    "他们坐火车去，要走五个小时。",
    "他的母亲做的饭非常好吃。",
    "晚上十点他们回到北京。",
    "王小明说这是他最快乐的一天。",
]
EN = [
    "My friend Wang Xiaoming lives in Beijing.",
    "He gets up at seven o'clock every morning.",
    "Then he drinks a cup of tea and eats two eggs.",
    "At eight o'clock he rides his bicycle to school.",
    "He is a mathematics teacher.",
    "His students all like him very much.",
    "At five in the afternoon he goes home and cooks.",
    "In the evening he reads books or listens to music.",
    "On Saturday he and his wife take a walk in the park.",
    "There are many flowers and trees in the park.",
    "On Sunday they go to see his parents.",
    "His parents live in Shanghai.",
    "They go by train, and the trip takes five hours.",
    "His mother's cooking is very delicious.",
    "At ten in the evening they return to Beijing.",
    "Wang Xiaoming says this is his happiest day.",
]


def _pairs(beads, zh_off=0, en_off=0):
    return [
        (tuple(i + zh_off for i in b.src_ids), tuple(j + en_off for j in b.tgt_ids))
        for b in beads
        if b.src_ids and b.tgt_ids
    ]


def _check_cover(beads, n, m):
    zs = [i for b in beads for i in b.src_ids]
    es = [j for b in beads for j in b.tgt_ids]
    assert zs == list(range(n)) and es == list(range(m))


def _one_to_one(z0, z1, e0):
    return [((i,), (e0 + i - z0,)) for i in range(z0, z1)]


def test_whole_text_is_one_to_one():
    beads = align(ZH, EN)
    _check_cover(beads, len(ZH), len(EN))
    assert _pairs(beads) == _one_to_one(0, len(ZH), 0)


@pytest.mark.parametrize(
    ("zh_range", "en_range"),
    [
        ((0, 16), (0, 3)),  # full Chinese, first English lines
        ((0, 2), (0, 16)),  # first Chinese lines, full English
        ((0, 16), (13, 16)),  # full Chinese, last English lines
        ((6, 9), (0, 16)),  # a Chinese excerpt from the middle, full English
        ((0, 16), (5, 8)),  # full Chinese, an English excerpt from the middle
    ],
)
def test_partial_side_aligns_covered_part_and_leaves_rest_unaligned(zh_range, en_range):
    (z0, z1), (e0, e1) = zh_range, en_range
    zh, en = ZH[z0:z1], EN[e0:e1]
    beads = align(zh, en)
    _check_cover(beads, len(zh), len(en))
    lo, hi = max(z0, e0), min(z1, e1)  # the covered lines (the texts are 1-1)
    assert _pairs(beads, z0, e0) == _one_to_one(lo, hi, lo)
    unaligned = [b for b in beads if not (b.src_ids and b.tgt_ids)]
    assert len(unaligned) == (z1 - z0) + (e1 - e0) - 2 * (hi - lo)


def test_partial_band_follows_the_chain_to_the_edges():
    # Ten Chinese lines translating English lines 49-58 of 100, anchored on the diagonal:
    # the partial band leaves the chain along its own slope and then runs along the table
    # edges; the plain band cuts straight to the corners and misses the true path.
    anchors = [(1, 50), (3, 52), (5, 54), (7, 56)]
    true_path = {0: 49, 9: 58, 10: 59}
    lo, hi = band(10, 100, anchors, 2, partial=True)
    assert all(lo[i] <= j <= hi[i] for i, j in true_path.items())
    assert lo[0] == 0 and hi[10] == 100
    assert all(lo[i] <= lo[i + 1] and hi[i] <= hi[i + 1] for i in range(10))
    assert max(h - lo_ for lo_, h in zip(lo[1:10], hi[1:10])) <= 8  # still a band
    lo2, hi2 = band(10, 100, anchors, 2)
    assert not all(lo2[i] <= j <= hi2[i] for i, j in true_path.items())
