"""The desk's page in a real browser (issue 17): Debian's chromium and chromium-driver driven by Selenium.

Runs only where all three are present (``apt-get install chromium chromium-driver``; selenium is
in the ``test`` extra); skipped otherwise, with the reason.  It types بيونج يانج, sees Pyongyang
offered, opens the entity, checks that the Arabic is set in the font the package ships, marks the
names of a seed sentence, and checks that a stored ``<script>`` is shown as text.

``GLOSSARY_SCREENSHOTS=DIR`` keeps its screenshots in DIR (the README's is ``desk-entity.png``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("no chromium and chromedriver on this machine", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")
httpx = pytest.importorskip("httpx")

from conftest import console_script  # noqa: E402
from test_server import free_port  # noqa: E402

from glossary import Glossary  # noqa: E402


@pytest.fixture
def desk(tmp_path: Path, bundled_db: Path) -> Iterator[str]:
    store = tmp_path / "desk.db"
    shutil.copyfile(bundled_db, store)
    with Glossary.open(store) as g:
        g.add("<script>window.pwned=1</script>", "سكربت خبيث", kind="other")
    port = free_port()
    server = subprocess.Popen([console_script(), "--db", str(store), "serve", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(check: Any, timeout: float = 10) -> Any:
    """``check()``'s first true answer; an element the page replaced meanwhile is "not yet".

    The results list is rebuilt at each answer while the user types, so an option found by one
    call can be gone when its text is read (StaleElementReferenceException): look again.
    """
    from selenium.common.exceptions import StaleElementReferenceException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
        except StaleElementReferenceException:
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def fonts_rendered(driver: Any, selector: str) -> set[str]:
    """The custom (web) fonts Chromium set the first element matching ``selector`` in (DevTools protocol)."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"] for f in fonts if f["isCustomFont"]}


def test_search_open_normalize_and_escape_in_chromium(desk: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("GLOSSARY_SCREENSHOTS") or tmp_path)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.get(desk + "/")
        box = driver.find_element(By.ID, "q")
        box.send_keys("بيونج يانج")
        wait_for(lambda: [o for o in driver.find_elements(By.CSS_SELECTOR, "[role=option]") if "Pyongyang" in o.text])
        assert box.get_attribute("aria-expanded") == "true"

        def pick(text: str) -> bool:
            offered = [o for o in driver.find_elements(By.CSS_SELECTOR, "[role=option]") if text in o.text]
            if offered:
                offered[0].click()
            return bool(offered)

        wait_for(lambda: pick("Pyongyang"))
        wait_for(lambda: driver.find_element(By.ID, "e-english").text == "Pyongyang")
        assert "بيونج يانج" in driver.find_element(By.ID, "e-names").text
        # the Arabic is set in the package's Noto Naskh Arabic (served by the server, nothing from the internet),
        # in the page and in what the user types (form controls do not inherit the page's font by themselves)
        wait_for(lambda: driver.execute_script(
            "return [...document.fonts].some(f => f.family.includes('Noto Naskh') && f.status === 'loaded')"))
        for selector in ("#e-arabic", "#e-names td", "#q"):
            assert "Noto Naskh Arabic" in fonts_rendered(driver, selector), selector
        driver.save_screenshot(str(shots / "desk-entity.png"))

        driver.find_element(By.CSS_SELECTOR, "nav button[data-pane=normalize]").click()
        driver.find_element(By.ID, "text").send_keys("التقى بوتين مع كيم جونج أون في بيونجيانج")
        driver.find_element(By.ID, "run-normalize").click()
        marks = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#marked mark"))
        titles = " ".join(m.get_attribute("title") for m in marks)
        assert "Pyongyang" in titles and "Kim Jong Un" in titles
        driver.save_screenshot(str(shots / "desk-normalize.png"))

        driver.find_element(By.CSS_SELECTOR, "nav button[data-pane=search]").click()
        box = driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys("سكربت")
        wait_for(lambda: [o for o in driver.find_elements(By.CSS_SELECTOR, "[role=option]") if "<script>" in o.text])
        assert driver.execute_script("return window.pwned") is None
    finally:
        driver.quit()
