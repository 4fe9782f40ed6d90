"""Term candidates from Chinese documents (``bitext glossary suggest``).

Documents are read with bitext's own readers (so Markdown image lines and code are
skipped; menu items fall under the size filter below), cut into words with a private ``jieba`` tokenizer that keeps existing glossary
terms whole, and filtered by part of speech (nouns, proper nouns, verbal nouns, set
phrases) and a stop-word list. Candidates are single words and collocations of two to
four adjacent content words (``网络安全 防护 体系``) seen at least twice.

Scoring is TF-IDF against a general background: jieba's IDF table (estimated on a large
general Chinese corpus) gives how unusual a word is; unknown words get the table's
median. A collocation scores its count times the mean IDF of its parts, boosted by how
strongly the parts stick together (``count(ab) / min(count(a), count(b))``). A word that
only ever occurs inside a suggested collocation is dropped in its favour. Entries already
in the glossary are excluded. Each candidate carries a CC-CEDICT hint (whole word, else
its parts) and an example context from the document.
"""

from __future__ import annotations

import functools
import logging
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import regex

from bitext import readers
from bitext.errors import FormatError
from bitext.zh.cedict import lookup
from bitext.zh.text import HAN, fold

log = logging.getLogger(__name__)

HAN_WORD = regex.compile(r"^\p{Han}{2,}$")
HAN_RUN = regex.compile(r"^\p{Han}+$")
HAN_CHARS = HAN
BOILERPLATE = ("本站", "版权", "转载", "免责声明", "扫一扫", "二维码", "ICP备", "关注我们", "点击", "原文地址")
CLAUSE_SPLIT = regex.compile(r"[^\p{Han}A-Za-z0-9]+")

CONTENT_POS = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "an", "l", "i", "j", "nrt", "nrfg", "ng", "x")
"""jieba part-of-speech tags kept as term material (``x``: words the HMM found)."""

NOUN_POS = ("n", "vn", "j", "an")
"""A collocation needs at least one part with one of these tags (or a glossary term)."""

_BAD_LAST = frozenset("的了后您们着过吗呢吧")
_BAD_FIRST = frozenset("这那我你他她您每各该本此其")

STOP_WORDS = frozenset(
    ["我们", "你们", "他们", "她们", "它们", "大家", "自己", "这个", "那个", "这些", "那些", "这样", "那样", "如何", "什么", "怎么", "为什么", "以及", "或者", "而且", "但是", "因为", "所以", "如果", "虽然", "并且", "不仅", "而是", "还是", "就是", "只是", "可以", "能够", "应该", "需要", "进行", "开展", "加强", "推进", "推动", "实现", "提供", "提出", "提升", "表示", "认为", "指出", "强调", "坚持", "不断", "进一步", "方面", "问题", "工作", "情况", "时候", "时间", "目前", "当前", "今天", "昨天", "明天", "今年", "去年", "同时", "其中", "之一", "一些", "有关", "相关", "各类", "各种", "重要", "主要", "一定", "已经", "正在", "通过", "根据", "按照", "关于", "对于", "作为", "成为", "具有", "记者", "文章", "作者", "评论", "首页", "登录", "注册", "收藏", "分享", "原文", "地址", "图片", "网站", "本站", "版权", "来源", "转载", "微信", "微博", "点击", "扫码", "右上角", "家伙", "支持", "感谢", "努力", "字体", "素材", "原作者", "联系", "侵犯", "所有", "下载", "全文", "阅读", "编辑", "责任编辑", "发布", "时间", "日期", "链接", "更多", "查看", "相关", "热文", "资讯", "企业", "公司", "简介", "日志", "政策", "隐私", "友情", "投稿", "服务", "平台", "国家", "社会", "全国", "我国", "中国", "人民", "群众", "领域", "方式", "能力", "水平", "作用", "基础", "体系", "建设", "发展", "安全", "技术", "产业", "行业", "经济", "政府", "部门", "单位", "机构", "内容", "环境"]
)
"""Function words, generic nouns and web-page boilerplate never suggested on their own."""


@dataclass(frozen=True)
class Candidate:
    """A suggested term.

    Attributes:
        term: the Chinese term.
        count: occurrences in the documents.
        score: TF-IDF style score (higher first).
        kind: ``word`` or ``collocation``.
        parts: the jieba words it is made of.
        hint: English hint from CC-CEDICT ("" when it knows nothing).
        context: an example sentence fragment.
        docs: in how many documents it occurs.
    """

    term: str
    count: int
    score: float
    kind: str
    parts: tuple[str, ...]
    hint: str
    context: str
    docs: int = 1

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "term": self.term,
            "count": self.count,
            "score": round(self.score, 3),
            "kind": self.kind,
            "parts": list(self.parts),
            "hint": self.hint,
            "context": self.context,
            "docs": self.docs,
        }


@functools.lru_cache(maxsize=1)
def background_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table (word → idf) and its median, read once."""
    import jieba

    path = Path(os.path.dirname(jieba.__file__)) / "analyse" / "idf.txt"
    idf: dict[str, float] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                try:
                    idf[parts[0]] = float(parts[1])
                except ValueError:
                    continue
    values = sorted(idf.values())
    median = values[len(values) // 2] if values else 10.0
    return idf, median


def document_texts(path: str | Path) -> list[str]:
    """Translatable block texts of a document (bitext readers; plain text as fallback)."""
    try:
        fmt = readers.format_of(path)
    except FormatError:
        fmt = None
    if fmt is not None:
        doc = readers.read(path, fmt)
        blocks = [(b.kind, b.text) for b in doc.blocks if b.kind != "passthrough"]
    else:
        from bitext.files import read_text

        text, _ = read_text(path)
        blocks = [("paragraph", p) for p in text.split("\n")]
    return [t for kind, t in blocks if _is_content(kind, t)]


def _is_content(kind: str, text: str) -> bool:
    """Drop web-page furniture: tiny non-heading blocks (menus, author names, buttons) and
    copyright / sharing boilerplate."""
    if not text.strip():
        return False
    if kind != "heading" and len(HAN_CHARS.findall(text)) < 8:
        return False
    return not any(m in text for m in BOILERPLATE)


def _pos_tokenizer(terms: Iterable[str]) -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for t in sorted(set(terms)):
        if t.strip() and " " not in t:
            tok.add_word(t, freq=max(10_000, tok.suggest_freq(t, tune=False) * 10), tag="nz")
    return jieba.posseg.POSTokenizer(tok)


_VARIANT = regex.compile(r"(?:old )?variant of (?:[^|\[\s]+\|)?([^|\[\s]+)\[")


def _hint(term: str, parts: Sequence[str]) -> str:
    def short(word: str, follow: bool = True) -> str:
        # the first two senses of the first entry, plus the first sense of up to two more
        # entries (other readings: 重点 chóngdiǎn "to recount" vs zhòngdiǎn "key point");
        # common-word readings before proper nouns (资源 zīyuán before Zīyuán county)
        out: list[str] = []
        entries = sorted(lookup(word), key=lambda e: e.pinyin[:1].isupper())
        for k, e in enumerate(entries[:3]):
            defs = [d for d in e.definitions
                    if not d.startswith(("variant of", "old variant", "surname ", "see ", "CL:"))]
            out.extend(defs[: 2 if k == 0 else 1])
        if not out and follow:  # 标识: "variant of 標誌|标志[biao1 zhi4]" → the senses of 标志
            for e in entries:
                for d in e.definitions:
                    m = _VARIANT.match(d)
                    if m and m.group(1) != word:
                        return short(m.group(1), follow=False)
        return "; ".join(dict.fromkeys(out))

    whole = short(term)
    if whole:
        return whole
    pieces = []
    if len(parts) > 1:
        pieces = [(p, short(p)) for p in parts]
    else:  # split an unknown word into the longest dictionary words
        i = 0
        while i < len(term):
            for j in range(len(term), i, -1):
                h = short(term[i:j]) if j - i > 1 else ""
                if h or j == i + 1:
                    pieces.append((term[i:j], h))
                    i = j
                    break
    if not any(h for _, h in pieces):
        return ""
    return " + ".join(f"{p}: {h}" if h else p for p, h in pieces)


def _context(texts: Sequence[str], term: str, width: int = 24) -> str:
    for t in texts:
        i = t.find(term)
        if i < 0:
            continue
        a, b = max(0, i - width), min(len(t), i + len(term) + width)
        return ("…" if a > 0 else "") + t[a:b].strip() + ("…" if b < len(t) else "")
    return ""


def suggest(
    docs: Sequence[str | Path],
    existing: Iterable[str] = (),
    *,
    top: int = 20,
    min_count: int = 2,
) -> list[Candidate]:
    """Rank term candidates in ``docs`` (see module doc).

    Args:
        docs: Chinese documents (.md, .txt, .html, .xlf or any text file).
        existing: glossary sources to exclude (kept whole when cutting words).
        top: how many to return.
        min_count: minimum occurrences of a collocation (words need 1 when they are rare
            in the background, else 2).

    Raises:
        FormatError: a document cannot be read.
    """
    existing_set = {fold(e.strip()) for e in existing if e.strip()}
    texts_per_doc = [document_texts(d) for d in docs]
    all_texts = [t for ts in texts_per_doc for t in ts]
    pt = _pos_tokenizer(existing_set)
    idf, median = background_idf()

    words: Counter[str] = Counter()
    colls: Counter[tuple[str, ...]] = Counter()
    word_docs: dict[str, set[int]] = defaultdict(set)
    coll_docs: dict[tuple[str, ...], set[int]] = defaultdict(set)
    words_known: Counter[str] = Counter()
    flags: dict[str, str] = {}
    nouns: set[str] = set()
    for di, texts in enumerate(texts_per_doc):
        for text in texts:
            for clause in CLAUSE_SPLIT.split(text):
                if not clause:
                    continue
                run: list[str] = []
                for pair in pt.lcut(clause):
                    w, flag = pair.word, pair.flag
                    han = HAN_WORD.match(w) is not None
                    known = fold(w) in existing_set
                    good = (
                        han
                        and flag.startswith(CONTENT_POS)
                        and w not in STOP_WORDS
                        and w[-1] not in _BAD_LAST
                        and w[0] not in _BAD_FIRST
                    )
                    if good and not known:
                        flags.setdefault(w, flag)
                        words[w] += 1
                        word_docs[w].add(di)
                    in_run = HAN_RUN.match(w) is not None and not flag.startswith("nr") and (
                        known or flag.startswith(CONTENT_POS) or flag == "v"
                    )
                    if in_run:
                        run.append(w)
                        if known or flag.startswith(NOUN_POS):
                            nouns.add(w)
                        for n in (2, 3, 4):
                            if len(run) >= n:
                                gram = tuple(run[-n:])
                                if (
                                    any(g in nouns for g in gram)
                                    and gram[0] not in STOP_WORDS
                                    and any(
                                        g not in STOP_WORDS and fold(g) not in existing_set
                                        for g in gram
                                    )
                                ):
                                    colls[gram] += 1
                                    coll_docs[gram].add(di)
                    else:
                        run = []
                    if known:
                        words_known[w] += 1

    cands: list[Candidate] = []
    for gram, c in colls.items():
        term = "".join(gram)
        if c < min_count or fold(term) in existing_set or len(term) > 12:
            continue
        parts_counts = [max(1, words.get(g, 0) or words_known.get(g, 0) or c) for g in gram]
        assoc = c / min(parts_counts)
        mean_idf = sum(idf.get(g, median) for g in gram) / len(gram)
        score = c * mean_idf * (0.5 + assoc)
        cands.append(Candidate(term, c, score, "collocation", gram, "", "", len(coll_docs[gram])))
    for w, c in words.items():
        if fold(w) in existing_set:
            continue
        w_idf = idf.get(w, median)
        if c < min_count and (flags.get(w) == "x" or w_idf < 0.6 * median):
            continue  # once-seen words only when unusual in the background
        score = c * w_idf
        cands.append(Candidate(w, c, score, "word", (w,), "", "", len(word_docs[w])))

    cands.sort(key=lambda k: (-k.score, -k.count, k.term))
    chosen: list[Candidate] = []
    for k in cands:
        if len(chosen) >= top:
            break
        # a word that never occurs outside a chosen collocation adds nothing
        if k.kind == "word" and any(
            k.term in ch.parts and ch.count >= k.count for ch in chosen if ch.kind == "collocation"
        ):
            continue
        # a shorter candidate inside a longer chosen one with as many occurrences adds nothing
        if any(k.term in ch.term and ch.count >= k.count for ch in chosen):
            continue
        # …and a longer one replaces the shorter ones it contains
        chosen = [ch for ch in chosen if not (ch.term in k.term and k.count >= ch.count)]
        chosen.append(k)
    return [
        replace(k, hint=_hint(k.term, k.parts), context=_context(all_texts, k.term)) for k in chosen
    ]
