"""``adoption run`` and ``adoption serve`` on three engagements the demo is not (slow)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from adoption_lib.cli import main
from adoption_lib.synthetic.variants import Variant, generate_variant
from tests.test_serve import _start, _stop

THREE = [
    Variant(platform=None),
    Variant(instrument="custom", scale="zero4", platform="google_forms", usage=False),
    Variant(platform="surveymonkey_xlsx", roster_columns=(), waves=2, departments=2),
]


@pytest.mark.slow
@pytest.mark.parametrize("variant", THREE, ids=[v.label() for v in THREE])
def test_run_writes_every_deliverable(variant: Variant, tmp_path: Path) -> None:
    folder = tmp_path / "engagement"
    generate_variant(folder, variant)
    out = tmp_path / "reports"
    assert main(["run", str(folder), "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["engagement"]["client"] == "Variant Co"
    for audience in ("consultant", "client"):
        html = (out / audience / "executive_summary.html").read_text(encoding="utf-8")
        assert "Variant Co" in html and "Traceback" not in html
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]
    if variant.waves > 1:
        assert (out / "client" / "progress.html").is_file()
        assert [w["name"] for w in summary["waves"]["list"]] == ["baseline", "wave2"]
    if variant.platform is None:
        assert summary["usage"]["licensed_users"] == variant.people


@pytest.mark.slow
@pytest.mark.parametrize("variant", THREE, ids=[v.label() for v in THREE])
def test_serve_becomes_ready_and_answers(variant: Variant, tmp_path: Path) -> None:
    folder = tmp_path / "engagement"
    generate_variant(folder, variant)
    process, port, token = _start(folder)
    try:
        url = f"http://127.0.0.1:{port}/?token={token}"
        with urllib.request.urlopen(url, timeout=120) as response:
            assert response.status == 200
            page = response.read().decode("utf-8", errors="replace")
        assert "Traceback" not in page
    finally:
        _stop(process)
    assert process.returncode is not None
