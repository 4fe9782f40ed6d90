"""Measure bitext's HTML pages in headless Chromium: axe-core violations, page width at
1280 and 390 px, Chinese text nodes outside lang="zh…" or without an SC font first.

    python benchmarks/review_pages_browser.py out/law.html qa.html align.html

Needs /usr/bin/chromium, /usr/bin/chromedriver and selenium; uses the axe-core copy
vendored in tests/browser/vendor. Prints one line per page and width.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
HAN = """var out = [], w = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
while (w.nextNode()) { var t = w.currentNode; if (!/\\p{Script=Han}/u.test(t.nodeValue)) continue;
  var e = t.parentElement, l = e.closest('[lang]');
  out.push([l ? l.getAttribute('lang') : '', getComputedStyle(e).fontFamily.split(',')[0]]); }
return out;"""


def main(paths: list[str]) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--window-size=1280,900"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    axe = AXE.read_text(encoding="utf-8")
    try:
        for p in paths:
            for width in (1280, 390):
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                    "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 500})
                driver.get(Path(p).resolve().as_uri())
                driver.execute_script(axe + "\n;return 1;")
                found = json.loads(driver.execute_async_script(
                    "var cb = arguments[arguments.length - 1]; axe.run(document).then(function (r) {"
                    " cb(JSON.stringify(r.violations.map(function (v) { return [v.id, v.nodes.length]; }))); });"))
                han = driver.execute_script(HAN)
                bad = [h for h in han if not h[0].lower().startswith("zh") or "SC" not in h[1]]
                print(f"{p}\t{width}px\taxe {sum(n for _, n in found)} {found}\t"
                      f"scrollWidth {driver.execute_script('return document.documentElement.scrollWidth')}\t"
                      f"han nodes {len(han)}, not zh/SC {len(bad)}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main(sys.argv[1:])
