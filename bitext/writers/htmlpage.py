"""What bitext's three review pages share: the side-by-side page, the QA report and the
alignment page.

This module owns:

* the page skeleton (``new_page``/``finish``): ``<meta charset>``, a viewport, a strict
  Content-Security-Policy whose hashes name the one inline ``<style>`` and the one inline
  ``<script>`` (nothing else may run or load: no network, no images, no forms);
* the Chinese font stack (``:lang(zh)`` starts with Simplified Chinese families, so
  Linux with ``fonts-noto-cjk`` draws SC glyphs, not the JP forms fontconfig prefers);
* ``wrap_zh``: every run of Chinese text outside a ``lang="zh…"`` element is wrapped in
  ``<span lang="zh-CN">`` (messages quoting a term, file names, untranslated targets);
* the review script (``SCRIPT``): a search box, radio filters, next/previous-flag keys
  and buttons, count links that select a filter. It is driven by data attributes, so one
  script serves all three pages, and the pages stay complete without it (the tools are
  ``hidden`` until the script shows them).

Pages are lxml element trees, so every user text is escaped by construction.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

from bitext.files import xml_safe
from bitext.zh.text import HAN

ZH_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei"'

BASE_CSS = (
    """
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", ZH_FONTS, sans-serif;
  overflow-wrap: break-word; }
:lang(zh) { font-family: ZH_FONTS, sans-serif; }
:lang(zh) code, :lang(zh) kbd { font-family: ui-monospace, "Noto Sans Mono CJK SC", ZH_FONTS, monospace; }
code { overflow-wrap: anywhere; word-break: break-word; white-space: pre-wrap; }
.tools { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem .9rem; margin: .6rem 0;
  padding: .5rem .6rem; border: 1px solid #ccc; border-radius: 6px; background: #f7f7f8; }
.tools input[type=search] { font: inherit; padding: .25rem .4rem; min-width: 12rem; max-width: 100%;
  border: 1px solid #767676; border-radius: 4px; }
.tools fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem .7rem; }
.tools legend { float: left; margin-right: .4rem; font-weight: 600; }
.tools label { white-space: nowrap; }
.tools button { font: inherit; padding: .15rem .6rem; border: 1px solid #767676; border-radius: 4px;
  background: #fff; color: #1d1d1f; cursor: pointer; min-height: 24px; }
.tools kbd { font-size: .8em; border: 1px solid #999; border-radius: 3px; padding: 0 .25em; }
.shown { color: #555; font-size: .9rem; margin: 0; }
tr.current td { box-shadow: inset 0 0 0 2px #0b57d0; }
@media (max-width: 700px) {
  body { padding: .5rem .6rem !important; }
  .tools input[type=search] { min-width: 0; width: 100%; }
}
""".replace("ZH_FONTS", ZH_FONTS)
)

SCRIPT = r"""(function () {
"use strict";
var d = document, table = d.querySelector("[data-rows]");
if (!table) { return; }
var rows = Array.prototype.slice.call(table.querySelectorAll(table.getAttribute("data-rows")));
var others = Array.prototype.slice.call(table.querySelectorAll(table.getAttribute("data-others") || "tr.passthrough"));
var scope = table.getAttribute("data-search") || "td";
var flagSel = table.getAttribute("data-flag") || ".has-error";
var texts = rows.map(function (r) {
  var parts = Array.prototype.map.call(r.querySelectorAll(scope), function (e) { return e.textContent; });
  return parts.join("\n").toLowerCase();
});
var q = d.getElementById("q"), shown = d.getElementById("shown");
var radios = Array.prototype.slice.call(d.querySelectorAll("input[type=radio][data-filter]"));
var cur = -1;
Array.prototype.forEach.call(d.querySelectorAll(".tools[hidden]"), function (t) { t.hidden = false; });
if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
  Array.prototype.forEach.call(d.querySelectorAll("details.provenance[open]"), function (x) { x.open = false; });
}
function say(s) { if (shown) { shown.textContent = s; } }
function apply() {
  var needle = q ? q.value.trim().toLowerCase() : "";
  var sels = radios.filter(function (r) { return r.checked && r.value; }).map(function (r) { return r.value; });
  var n = 0;
  rows.forEach(function (r, i) {
    var ok = (!needle || texts[i].indexOf(needle) >= 0) && sels.every(function (s) { return r.matches(s); });
    r.hidden = !ok;
    if (ok) { n += 1; }
  });
  var narrowed = !!needle || sels.length > 0;
  others.forEach(function (o) { o.hidden = narrowed; });
  say(narrowed ? n + " of " + rows.length + " rows shown" : rows.length + " rows");
}
function jump(step) {
  var list = [];
  rows.forEach(function (r, i) { if (!r.hidden && r.matches(flagSel)) { list.push(i); } });
  if (!list.length) { say("no flagged rows shown"); return; }
  var k = -1, j;
  if (step > 0) { for (j = 0; j < list.length; j++) { if (list[j] > cur) { k = list[j]; break; } } if (k < 0) { k = list[0]; } }
  else { for (j = list.length - 1; j >= 0; j--) { if (list[j] < cur) { k = list[j]; break; } } if (k < 0) { k = list[list.length - 1]; } }
  if (cur >= 0 && rows[cur]) { rows[cur].classList.remove("current"); }
  cur = k;
  var row = rows[k];
  row.classList.add("current");
  row.scrollIntoView({block: "center"});
  var a = row.querySelector("a[href]");
  if (a) { a.focus({preventScroll: true}); }
  say("flag " + (list.indexOf(k) + 1) + " of " + list.length + ": " + (row.id || ""));
}
function show(id) {
  var r = d.getElementById(id);
  if (r && r.type === "radio") { r.checked = true; apply(); return true; }
  return false;
}
var timer = 0;
if (q) {
  q.addEventListener("input", function () {  // long pages: filter once typing pauses
    clearTimeout(timer);
    if (rows.length > 500) { timer = setTimeout(apply, 250); } else { apply(); }
  });
}
radios.forEach(function (r) { r.addEventListener("change", apply); });
Array.prototype.forEach.call(d.querySelectorAll("[data-jump]"), function (b) {
  b.addEventListener("click", function () { jump(b.getAttribute("data-jump") === "prev" ? -1 : 1); });
});
Array.prototype.forEach.call(d.querySelectorAll("a[data-show]"), function (a) {
  a.addEventListener("click", function (ev) {
    if (show(a.getAttribute("data-show"))) { ev.preventDefault(); var t = d.getElementById("tools"); if (t) { t.scrollIntoView(); } }
  });
});
d.addEventListener("keydown", function (ev) {
  var t = ev.target, tag = t && t.tagName;
  if (ev.ctrlKey || ev.metaKey || ev.altKey || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
    if (ev.key === "Escape" && t === q) { q.value = ""; apply(); }
    return;
  }
  if (ev.key === "n" || ev.key === "j") { jump(1); ev.preventDefault(); }
  else if (ev.key === "p" || ev.key === "k") { jump(-1); ev.preventDefault(); }
  else if (ev.key === "/" && q) { q.focus(); ev.preventDefault(); }
});
if (location.hash.indexOf("#show-") === 0) { show(location.hash.slice(1)); } else { apply(); }
})();
"""


def sha256_b64(text: str) -> str:
    """The CSP hash source of an inline element's text: ``'sha256-…'``."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def csp(style: str, script: str | None) -> str:
    """A policy that allows exactly the page's own inline style and script and nothing else."""
    parts = [
        "default-src 'none'",
        f"style-src {sha256_b64(style)}",
        f"script-src {sha256_b64(script)}" if script else "script-src 'none'",
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(parts)


# --- tree helpers --------------------------------------------------------------------------


def el(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    """Append a child element; attribute names lose a trailing ``_`` and use ``-`` for ``_``."""
    from lxml import etree

    clean = {k.rstrip("_").replace("_", "-"): xml_safe(v) for k, v in attrs.items()}
    child = etree.SubElement(parent, tag, clean)
    if text is not None:
        child.text = xml_safe(text)
    return child


def add_text(parent: Any, text: str) -> None:
    """Append text after the last child of ``parent`` (or as its text)."""
    text = xml_safe(text)
    if not text:
        return
    try:
        last = parent[-1]  # O(1); len(parent) would walk the children
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def new_page(title: str, *, lang: str = "en") -> tuple[Any, Any, Any]:
    """``(html, head, body)`` of a new page with charset, viewport and title."""
    from lxml import etree

    html = etree.Element("html", lang=lang)
    head = el(html, "head")
    el(head, "meta", charset="utf-8")
    el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    el(head, "title", title)
    body = el(html, "body")
    return html, head, body


def finish(html: Any, css: str, *, script: bool = True) -> str:
    """Add the CSP, style and script, wrap Chinese runs, and serialise to an HTML5 string."""
    from lxml import etree

    head = html.find("head")
    style = BASE_CSS + css
    meta = etree.Element("meta", {"http-equiv": "Content-Security-Policy",
                                  "content": csp(style, SCRIPT if script else None)})
    head.insert(1, meta)  # right after <meta charset>, before anything it governs
    el(head, "style", style)
    if script:
        el(html.find("body"), "script", SCRIPT)
    wrap_zh(html)
    return etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>") + "\n"


# --- Chinese runs --------------------------------------------------------------------------

_ZH_CHARS = r"\p{Han}\u3000-\u303F\uFF01-\uFF60\uFE30-\uFE4F"


@functools.cache
def _zh_run() -> Any:
    import regex

    return regex.compile(rf"[{_ZH_CHARS}]+(?:[0-9.,%:/\- ]*[{_ZH_CHARS}]+)*")


def _han() -> Any:
    return HAN


def has_han(text: str | None) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return bool(text) and bool(_han().search(text))  # type: ignore[arg-type]


def _in_zh(node: Any) -> bool:
    while node is not None:
        lang = node.get("lang") if isinstance(node.tag, str) else None
        if lang is not None:
            return lang.lower().startswith("zh")
        node = node.getparent()
    return False


def _pieces(text: str) -> list[str]:
    """``[plain, zh, plain, zh, …, plain]``."""
    out: list[str] = []
    pos = 0
    for m in _zh_run().finditer(text):
        out += [text[pos : m.start()], m.group()]
        pos = m.end()
    out.append(text[pos:])
    return out


def wrap_zh(root: Any, lang: str = "zh-CN") -> None:
    """Wrap every Chinese run that is not inside a ``lang="zh…"`` element in
    ``<span lang="zh-CN">`` (a ``<title>`` with Chinese gets the attribute itself)."""
    from lxml import etree

    for node in list(root.iter()):
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        if node.tag in ("title", "option", "textarea"):
            if has_han(node.text) and not _in_zh(node):
                node.set("lang", lang)
            continue
        if has_han(node.text) and not _in_zh(node):
            parts = _pieces(node.text)
            node.text = parts[0]
            for k in range(1, len(parts), 2):
                span = etree.Element("span", lang=lang)
                span.text = parts[k]
                span.tail = parts[k + 1] or None
                node.insert((k - 1) // 2, span)
        parent = node.getparent()
        if parent is not None and has_han(node.tail) and not _in_zh(parent):
            parts = _pieces(node.tail)
            node.tail = parts[0] or None
            at = parent.index(node) + 1
            for k in range(1, len(parts), 2):
                span = etree.Element("span", lang=lang)
                span.text = parts[k]
                span.tail = parts[k + 1] or None
                parent.insert(at + (k - 1) // 2, span)


# --- review tools ---------------------------------------------------------------------------


def tools(parent: Any, *, filters: list[tuple[str, list[tuple[str, str, str]]]],
          flag_label: str = "flag", search_label: str = "Search") -> Any:
    """The (initially hidden) tool bar: search box, radio filter groups, flag navigation.

    Args:
        filters: ``[(legend, [(id, label, css selector or ""), …]), …]``; the first radio of
            each group is checked.
        flag_label: what the next/previous buttons move between.
    """
    bar = el(parent, "div", class_="tools", id="tools", role="search", hidden="hidden")
    el(bar, "label", search_label, for_="q")
    el(bar, "input", type="search", id="q", placeholder="source or target text", autocomplete="off")
    for n, (legend, radios) in enumerate(filters):
        fs = el(bar, "fieldset")
        el(fs, "legend", legend)
        for k, (rid, label, sel) in enumerate(radios):
            lab = el(fs, "label")
            attrs = {"type": "radio", "name": f"filter{n}", "id": rid, "value": sel, "data-filter": ""}
            if k == 0:
                attrs["checked"] = "checked"
            el(lab, "input", **{a.replace("-", "_"): v for a, v in attrs.items()})
            add_text(lab, " " + label)
    nav = el(bar, "span", class_="jump")
    el(nav, "button", f"◀ Previous {flag_label}", type="button", data_jump="prev",
       title="Previous flagged row (key p)")
    add_text(nav, " ")
    el(nav, "button", f"Next {flag_label} ▶", type="button", data_jump="next",
       title="Next flagged row (key n)")
    help_ = el(bar, "span", class_="shown")
    el(help_, "kbd", "n")
    add_text(help_, " / ")
    el(help_, "kbd", "p")
    add_text(help_, " next/previous · ")
    el(help_, "kbd", "/")
    add_text(help_, " search")
    el(bar, "p", "", id="shown", class_="shown", role="status")
    return bar
