"""The three review pages in headless Chromium: accessibility (axe-core), search and filters,
phone layout, Chinese fonts and language, no outside request (see conftest.py)."""

from __future__ import annotations

import pytest

KINDS = ["sidebyside", "sidebyside_mt", "qa", "qa_page", "align"]

# Every text node holding a Han character, with its nearest lang and its computed font.
HAN_NODES = r"""
var out = [], w = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
var han = /\p{Script=Han}/u;
while (w.nextNode()) {
  var t = w.currentNode;
  if (!han.test(t.nodeValue)) { continue; }
  var el = t.parentElement, holder = el.closest('[lang]');
  out.push({text: t.nodeValue.slice(0, 30), tag: el.tagName,
            lang: holder ? holder.getAttribute('lang') : '',
            font: getComputedStyle(el).fontFamily});
}
return out;
"""

VISIBLE_ROWS = "return Array.from(document.querySelectorAll(arguments[0]))" \
    ".filter(function (r) { return r.getClientRects().length > 0; }).map(function (r) { return r.id; });"


def _click_label(page, text: str) -> None:
    from selenium.webdriver.common.by import By

    label = page.driver.find_element(By.XPATH, f"//label[normalize-space()='{text}']")
    label.click()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_zero_axe_violations(pages, open_page, kind, phone):
    page = open_page(pages[kind], phone=phone, shot=kind)
    violations = page.axe()
    assert violations == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n  " + "\n  ".join(v["nodes"]) for v in violations)


@pytest.mark.parametrize("kind", KINDS)
def test_strict_csp_no_outside_request_and_the_script_runs(pages, open_page, kind):
    page = open_page(pages[kind])
    policy = page.js("var m = document.querySelector('meta[http-equiv=Content-Security-Policy]');"
                     "return m ? m.content : null;")
    assert policy and "default-src 'none'" in policy and "'unsafe-inline'" not in policy
    assert page.requests and all(u.startswith("file:") for u in page.requests), page.requests
    assert page.js("return window.__csp") == []
    # the tool bar is hidden in the HTML and shown by the script: it ran under the policy
    assert page.js("var t = document.getElementById('tools'); return !!t && !t.hidden;")


@pytest.mark.parametrize("kind", KINDS)
def test_no_sideways_scrolling_on_a_390px_phone(pages, open_page, kind):
    page = open_page(pages[kind], phone=True)
    assert page.js("return window.innerWidth") == 390
    assert page.js("return document.querySelector('meta[name=viewport]') !== null")
    wide = page.js("return document.documentElement.scrollWidth")
    assert wide <= 390, f"page is {wide} px wide"
    # the source sits above the target (stacked), not beside it
    if kind.startswith("sidebyside"):
        src, tgt = page.js("var r = document.querySelector('tr.seg');"
                           "return [r.querySelector('td.src').getBoundingClientRect().toJSON(),"
                           "r.querySelector('td.tgt').getBoundingClientRect().toJSON()];")
        assert tgt["top"] >= src["bottom"] - 1 and src["width"] > 300
        sid = page.js("return document.querySelector('tr.seg td.sid').getBoundingClientRect().height")
        assert sid < 40


@pytest.mark.parametrize("kind", KINDS)
def test_chinese_is_under_zh_lang_with_a_simplified_chinese_font(pages, open_page, kind):
    page = open_page(pages[kind])
    nodes = page.js(HAN_NODES)
    assert nodes
    bad = [n for n in nodes if not n["lang"].lower().startswith("zh")]
    assert bad == []
    assert [n for n in nodes if "SC" not in n["font"]] == []
    first = {n["font"].split(",")[0].strip().strip('"') for n in nodes if n["tag"] != "CODE"}
    assert first == {"Noto Sans CJK SC"}


@pytest.mark.parametrize("kind", ["sidebyside", "sidebyside_mt"])
def test_search_leaves_exactly_the_matching_rows(pages, open_page, kind):
    page = open_page(pages[kind])
    rows = page.js("return Array.from(document.querySelectorAll('tr.seg')).map(function (r) {"
                   "return [r.id, Array.from(r.querySelectorAll('td.src .text, td.tgt .text'))"
                   ".map(function (e) { return e.textContent; }).join('\\n')]; });")
    box = page.driver.find_element("id", "q")
    for needle in ("个人信息", "CYBERSPACE", "第五条", "zzz-nothing"):
        box.clear()
        box.send_keys(needle)
        want = [rid for rid, text in rows if needle.lower() in text.lower()]
        assert page.js(VISIBLE_ROWS, "tr.seg") == want
        if needle == "个人信息":
            assert len(want) >= 3
    box.clear()
    box.send_keys(" ")
    assert len(page.js(VISIBLE_ROWS, "tr.seg")) == len(rows)


@pytest.mark.parametrize("kind", ["sidebyside", "sidebyside_mt"])
def test_flagged_only_and_flag_navigation(pages, open_page, kind):
    page = open_page(pages[kind])
    flagged = page.js("return Array.from(document.querySelectorAll('tr.seg.has-error'))"
                      ".map(function (r) { return r.id; });")
    assert flagged, "the test page has a planted error (TM match missing a term)"
    _click_label(page, "Flagged only")
    assert page.js(VISIBLE_ROWS, "tr.seg") == flagged
    assert page.js(VISIBLE_ROWS, "tr.passthrough") == []
    from selenium.webdriver.common.by import By

    page.driver.find_element(By.CSS_SELECTOR, "button[data-jump=next]").click()
    assert page.js("return document.activeElement.closest('tr').id") == flagged[0]
    _click_label(page, "All rows")
    assert len(page.js(VISIBLE_ROWS, "tr.seg")) == page.js("return document.querySelectorAll('tr.seg').length")
    page.driver.find_element(By.TAG_NAME, "body").send_keys("n")
    assert page.js("return document.activeElement.closest('tr').id") in flagged


def test_tm_rows_drawn_as_tm_and_counted_truthfully(pages, open_page):
    page = open_page(pages["sidebyside"])
    tm = page.js("return Array.from(document.querySelectorAll('tr.seg.origin-tm')).map(function (r) {"
                 "return [r.id, getComputedStyle(r.querySelector('td.tgt .text')).fontStyle]; });")
    assert len(tm) == 2 and all(style == "normal" for _, style in tm)
    gist = page.js("return getComputedStyle(document.querySelector('tr.seg.origin-gist td.tgt .text')).fontStyle")
    assert gist == "italic"
    counts = page.js("var o = {}; document.querySelectorAll('dd[data-count]').forEach(function (d) {"
                     "o[d.dataset.count] = d.textContent; }); return o;")
    assert counts["term_violations"] == "1" and counts["tm_exact"] == "2"
    # the planted TM error: its term is drawn as a violation
    assert page.js("return document.querySelectorAll('tr.origin-tm mark.term.violation').length") == 1
    # the count box links to its filter
    from selenium.webdriver.common.by import By

    page.driver.find_element(By.CSS_SELECTOR, "dd[data-count=tm_exact] a").click()
    assert page.js(VISIBLE_ROWS, "tr.seg") == [rid for rid, _ in tm]


def test_term_details_show_on_focus_and_toc_links(pages, open_page):
    page = open_page(pages["sidebyside"], phone=True)
    tip = page.js("var m = document.querySelector('td.tgt mark.term'); m.focus();"
                  "return getComputedStyle(m, '::after').content;")
    assert "→" in tip
    assert page.js("var m = document.querySelector('td.tgt mark.term'); m.blur();"
                   "return getComputedStyle(m, '::after').content;") in ("none", "normal")
    links = page.js("return Array.from(document.querySelectorAll('nav.toc a')).map(function (a) {"
                    "return a.getAttribute('href'); });")
    assert len(links) == 4
    assert all(page.js("return !!document.getElementById(arguments[0])", h[1:]) for h in links)
    # sticky column headers on desktop
    page = open_page(pages["sidebyside"])
    assert page.js("return getComputedStyle(document.querySelector('table.bitext th')).position") == "sticky"


def test_qa_report_shows_the_pair_with_marks_and_filters(pages, open_page):
    page = open_page(pages["qa"], phone=False)
    row = page.js("var r = Array.from(document.querySelectorAll('tr.finding.check-number'))"
                  ".find(function (r) { return r.dataset.unit === 'u1'; });"
                  "return [r.querySelector('dd.src mark').textContent, r.querySelector('dd.tgt').textContent];")
    assert row == ["5.64亿", "By December 2023, China had 546 million internet users."]
    assert page.js("return document.querySelector('tr.check-term dd.src mark').textContent") == "国家网信办"
    _click_label(page, "number")
    shown = page.js(VISIBLE_ROWS, "tr.finding")
    assert shown and shown == page.js("return Array.from(document.querySelectorAll('tr.check-number'))"
                                      ".map(function (r) { return r.id; });")
    _click_label(page, "All checks")
    _click_label(page, "Warnings only")
    assert page.js(VISIBLE_ROWS, "tr.finding") == page.js(
        "return Array.from(document.querySelectorAll('tr.sev-warning')).map(function (r) { return r.id; });")


def test_qa_report_of_a_page_links_to_its_rows(pages, open_page):
    page = open_page(pages["qa_page"])
    href = page.js("return document.querySelector('td.unit a').getAttribute('href')")
    assert href.startswith("law.html#p")
    from selenium.webdriver.common.by import By

    page.driver.find_element(By.CSS_SELECTOR, "td.unit a").click()
    assert page.js("return location.pathname.endsWith('/law.html') && "
                   "document.querySelector(':target').classList.contains('has-error')")


def test_alignment_page_gives_text_room_and_filters_weak_beads(pages, open_page):
    page = open_page(pages["align"])
    widths = page.js("var r = document.querySelector('tr.bead');"
                     "return Array.from(r.cells).map(function (c) { return c.getBoundingClientRect().width; });")
    assert widths[1] > 3 * widths[0] and widths[2] > 3 * widths[3]
    weak = page.js("return Array.from(document.querySelectorAll('tr.bead.weak, tr.bead.gap'))"
                   ".map(function (r) { return r.id; });")
    _click_label(page, "Weak, doubtful or unaligned only")
    assert page.js(VISIBLE_ROWS, "tr.bead") == weak
    _click_label(page, "All beads")
    box = page.driver.find_element("id", "q")
    box.send_keys("RADIO")
    shown = page.js(VISIBLE_ROWS, "tr.bead")
    assert shown and all("radio" in page.js(
        "return document.getElementById(arguments[0]).textContent.toLowerCase()", b) for b in shown)


def _has_sc_font() -> bool:
    import shutil
    import subprocess

    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], check=False, capture_output=True,
                         text=True).stdout
    return "Noto Sans CJK SC" in out


@pytest.mark.parametrize("kind", KINDS)
def test_chinese_glyphs_come_from_the_sc_face(pages, open_page, kind):
    """What Chromium actually draws (CDP CSS.getPlatformFontsForNode), not just the CSS."""
    if not _has_sc_font():
        pytest.skip("Noto Sans CJK SC is not installed (Debian: fonts-noto-cjk)")
    page = open_page(pages[kind])
    n = page.js(HAN_NODES.replace("out.push(", "el.setAttribute('data-han-probe', '');out.push("))
    assert n
    drv = page.driver
    drv.execute_cdp_cmd("DOM.enable", {})
    drv.execute_cdp_cmd("CSS.enable", {})
    root = drv.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    ids = drv.execute_cdp_cmd("DOM.querySelectorAll", {"nodeId": root, "selector": "body [data-han-probe]"})
    checked = 0
    for nid in ids["nodeIds"][:60]:
        fonts = drv.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": nid})["fonts"]
        cjk = [f["postScriptName"] for f in fonts if "CJK" in f["familyName"]]
        assert cjk and all("sc-" in p.lower() or p.lower().endswith("sc") for p in cjk), fonts
        checked += 1
    assert checked
