"""Real-browser fixtures: headless Debian Chromium driven by selenium, axe-core injected.

* The three review pages are built once per session from the inputs in ``data/`` (written
  for these tests): the side-by-side page of a law-like text (gist engine + a translation
  memory with a planted term error, and again with the tiny real neural model), the QA report of a TMX with planted term/number
  errors, the QA report of that side-by-side page (unit ids link into it) and the
  alignment page of a short novel chapter.
* ``browser`` is one Chromium session (``/usr/bin/chromium`` + ``/usr/bin/chromedriver``;
  the tests skip, saying why, when either or selenium is missing). ``open_page`` loads a
  page at desktop (1280 px) or phone (390 px, mobile emulation) width, records every
  request the page makes and every CSP violation, and saves a screenshot.
* Screenshots go to ``$BITEXT_SCREENSHOTS`` when set, else to a ``screenshots`` folder in
  pytest's temporary directory (its path is printed in the session header line ``-rA``).
* axe-core 4.14.1 is vendored in ``vendor/axe-core`` (MPL-2.0, licence files alongside),
  so the tests need no network.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"

DESKTOP = (1280, 900)
PHONE = (390, 844)


def _binary(name: str, fallback: str) -> str | None:
    return shutil.which(name) or (fallback if Path(fallback).is_file() else None)


@pytest.fixture(scope="session")
def pages(browser: Any, tiny_packages_dir: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, Path]:
    """``{"sidebyside", "sidebyside_mt", "qa", "qa_page", "align"}`` → the HTML files, built
    through the CLI (after ``browser``, so a machine without Chromium skips at once)."""
    from click.testing import CliRunner

    from bitext.cli.main import cli

    out = tmp_path_factory.mktemp("pages")
    run = CliRunner().invoke

    def ok(args: list[str], codes: tuple[int, ...] = (0,)) -> None:
        r = run(cli, args, catch_exceptions=False)
        assert r.exit_code in codes, r.output

    tm = out / "tm.sqlite"
    ok(["tm", "import", str(DATA / "memory.tmx"), "--db", str(tm)])
    ok(["translate", str(DATA / "law.md"), "--engine", "gloss", "--tm", str(tm), "--html",
        str(out / "law.html"), "-q"])
    with pytest.MonkeyPatch.context() as mp:  # the real neural path, on the tiny test model
        mp.setenv("ARGOS_PACKAGES_DIR", str(tiny_packages_dir))
        ok(["translate", str(DATA / "law.md"), "--engine", "argos", "--tm", str(tm), "--html",
            str(out / "law-mt.html"), "-q"])
    ok(["check", str(DATA / "planted.tmx"), "--format", "html", "-o", str(out / "qa.html"), "-q"],
       (1,))
    ok(["check", str(out / "law.html"), "--format", "html", "-o", str(out / "qa-page.html"), "-q"],
       (0, 1))
    ok(["align", str(DATA / "chapter.zh.txt"), str(DATA / "chapter.en.txt"), "--html",
        str(out / "align.html"), "-q"])
    return {"sidebyside": out / "law.html", "sidebyside_mt": out / "law-mt.html", "qa": out / "qa.html", "qa_page": out / "qa-page.html",
            "align": out / "align.html"}


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go (``$BITEXT_SCREENSHOTS`` or a temporary folder)."""
    env = os.environ.get("BITEXT_SCREENSHOTS")
    folder = Path(env) if env else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium session for the whole run."""
    chromium = _binary("chromium", "/usr/bin/chromium")
    driver_bin = _binary("chromedriver", "/usr/bin/chromedriver")
    if not chromium or not driver_bin:
        pytest.skip("browser tests need Debian chromium and chromium-driver "
                    "(/usr/bin/chromium, /usr/bin/chromedriver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="browser tests need selenium (pip)")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--hide-scrollbars", f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                "--lang=en-US"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_bin), options=opts)
    driver.set_script_timeout(60)
    # Collect CSP violations from the first moment of every page load (CDP scripts are not
    # subject to the page's policy).
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });")})
    driver.execute_cdp_cmd("Network.enable", {})
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """A loaded page: the driver plus what loading it did."""

    def __init__(self, driver: Any, path: Path, requests: list[str]) -> None:
        self.driver = driver
        self.path = path
        self.requests = requests

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def axe(self) -> list[dict[str, Any]]:
        """axe-core violations (all rules axe runs by default: WCAG A/AA and best practice)."""
        if not self.js("return typeof window.axe !== 'undefined'"):
            self.js(AXE.read_text(encoding="utf-8") + "\n;return 1;")
        raw = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
            " if (!r.passes.length) { done(JSON.stringify([{id: 'axe-ran-nothing', help: '', nodes: []}])); return; }"
            " done(JSON.stringify(r.violations.map(function (v) { return {id: v.id, impact: v.impact,"
            " help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) {"
            "  return n.target.join(' ') + ' :: ' + n.failureSummary; })}; }))); })"
            ".catch(function (e) { done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])); });"
        )
        return json.loads(raw)


@pytest.fixture()
def open_page(browser: Any, shots: Path) -> Any:
    """``open_page(path, phone=False, shot=None)`` → ``Page``."""

    def _open(path: Path, *, phone: bool = False, shot: str | None = None) -> Page:
        width, height = PHONE if phone else DESKTOP
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 2 if phone else 1,
            "mobile": phone})
        browser.get_log("performance")  # drop earlier entries
        browser.get(path.as_uri())
        requests = []
        for entry in browser.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                requests.append(msg["params"]["request"]["url"])
        page = Page(browser, path, requests)
        if shot:
            name = f"{shot}-{'phone' if phone else 'desktop'}"
            browser.save_screenshot(str(shots / f"{name}.png"))
            # and the rows: scrolled to the first row of the table
            browser.execute_script("var t = document.querySelector('main table, main');"
                                   "if (t) { t.scrollIntoView(); }")
            browser.save_screenshot(str(shots / f"{name}-rows.png"))
            browser.execute_script("window.scrollTo(0, 0)")
        return page

    return _open
