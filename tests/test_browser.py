"""Browser tests on Debian chromium: the demo's HTML output renders offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from adoption_lib.config.engagement import load_engagement
from adoption_lib.inputs.inventory import take_inventory, write_inventory

pytestmark = pytest.mark.browser


def test_inventory_page_renders_offline(
    browser, tmp_path: Path, demo_dir: Path, artifacts: Path
) -> None:
    engagement = load_engagement(demo_dir)
    items = take_inventory(engagement)
    _, html_path = write_inventory(items, engagement, tmp_path)
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(html_path.as_uri())
    assert page.title() == "Northwind Traders · Salesforce Sales Cloud: input inventory"
    rows = page.locator("#inventory tbody tr")
    assert rows.count() == len(items) == 5
    assert rows.nth(1).locator("td").nth(1).inner_text() == "qualtrics"
    assert rows.nth(2).locator("td").nth(1).inner_text() == "salesforce_login_history"
    assert rows.nth(0).locator("td").nth(2).inner_text() == "603"
    assert [u for u in requests if not u.startswith("file://")] == []
    page.screenshot(path=str(artifacts / "inventory.png"), full_page=True)
    assert (artifacts / "inventory.png").stat().st_size > 1000
    page.close()
