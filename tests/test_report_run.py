"""``adoption run``: the report folder, its manifest, client privacy, offline HTML, failures."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
from datetime import date
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from adoption_lib.config.engagement import load_engagement
from adoption_lib.errors import RunError
from adoption_lib.inputs.roster import load_roster
from adoption_lib.privacy.release import ORGANISATION_FIGURES
from adoption_lib.privacy.suppression import ALL
from adoption_lib.reports.audience_cells import for_audience
from adoption_lib.reports.data import build_bundles
from adoption_lib.reports.run import NOTEBOOKS, run_reports
from adoption_lib.synthetic import DEMO_SEED
from tests.behaviour import manifest_files, manifest_fixture

AS_OF = "2026-10-26"  # a week before the demo's assessment date: another as_of end to end


@pytest.fixture(scope="module")
def report(generated: dict[int, Path], tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("engagement") / "northwind"
    shutil.copytree(generated[DEMO_SEED], folder)
    out = run_reports(folder, as_of=AS_OF, progress=False, wave="baseline")
    return folder, out


def test_report_folder_layout(report) -> None:
    folder, out = report
    assert out == folder / "reports" / "2026-11-02"
    for audience in ("consultant", "client"):
        for name in NOTEBOOKS:
            assert (out / audience / f"{name}.ipynb").is_file()
            assert (out / audience / f"{name}.html").is_file()
        pngs = sorted(p.stem for p in (out / "figures" / audience).glob("*.png"))
        svgs = sorted(p.stem for p in (out / "figures" / audience).glob("*.svg"))
        assert pngs == svgs and "adoption_curve" in pngs and "barrier_heat_map" in pngs
    for name in ("summary.json", "action_plan.xlsx", "action_plan.csv", "inventory.json"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["usage"]["as_of"] == AS_OF
    # the temporary folder was renamed into place, nothing left beside it
    assert [p.name for p in out.parent.iterdir()] == [out.name]
    assert (folder / "private" / "usage_people.parquet").is_file()


def test_executed_notebooks_have_no_timing_metadata(report) -> None:
    _, out = report
    notebook = nbformat.read(out / "consultant" / "usage.ipynb", as_version=4)
    assert all("papermill" not in cell.metadata for cell in notebook.cells)
    assert all(cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code")
    errors = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert errors == []


def _same_files(out: Path, wave: str) -> None:
    """The manifest lists the files the fixture (written before issue 16's move) lists."""
    expected = json.loads(manifest_fixture(wave).read_text())
    found = manifest_files(out)
    if shutil.which("chromium") is None:  # no PDF without chromium (CI requires it)
        expected = [f for f in expected if not f[0].endswith(".pdf")]
    assert found == expected


def test_manifest_file_list_is_unchanged(report) -> None:
    _same_files(report[1], "baseline")


def test_manifest_lists_every_file_with_its_audience_and_input_hashes(report) -> None:
    folder, out = report
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {f["path"]: f["audience"] for f in manifest["files"]}
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(listed) == on_disk
    assert listed["client/executive_summary.html"] == "client"
    assert listed["summary.json"] == "consultant"
    roster = next(i for i in manifest["inputs"] if i["path"] == "exports/roster.csv")
    assert (
        roster["sha256"] == hashlib.sha256((folder / "exports/roster.csv").read_bytes()).hexdigest()
    )
    assert manifest["packages"]["papermill"] and manifest["engagement"]["as_of"] == AS_OF
    assert manifest["run_seconds"] > 0


def _client_text(out: Path) -> str:
    texts = []
    for path in (out / "client").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                texts.append(cell.source)
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                texts += [data.get(k, "") for k in ("text/plain", "text/html", "text/markdown")]
                texts.append(output.get("text", ""))
    return "\n".join(t if isinstance(t, str) else "".join(t) for t in texts)


def test_client_outputs_hold_no_person_team_or_other_dimension(report) -> None:
    folder, out = report
    engagement = load_engagement(folder)
    roster = load_roster(engagement)
    text = _client_text(out)
    assert "@" not in text  # no email anywhere
    assert not re.search(r"\b[0-9a-f]{20}\b", text)  # no pseudonym
    supervisors = set(roster.loc[roster["email"].isin(roster["supervisor"]), "name"])
    assert supervisors and not [s for s in supervisors if s in text]
    locations = set(roster["location"].dropna()) - set(roster["department"])
    assert locations and not [loc for loc in locations if loc in text]
    # every department shown is a released cell of the client cube
    assert "Field Sales" in text


def test_client_bundle_holds_only_released_cube_cells(generated: dict[int, Path]) -> None:
    bundles = build_bundles(generated[DEMO_SEED])
    client = bundles["client"]
    assert client.tables == {} and client.quality == {}
    assert set(client.summary) <= {
        "engagement",
        "survey",
        "constructs",
        "motivation",
        "barriers",
        "keys",
        "comment_themes",
        "usage",
        "segments",
        "segments_basis",
        "motivation_vs_use",
        "renewal",
        "adoption_score",
        "actions",
        "drivers",
        "privacy",
    }
    assert "sources" not in client.summary["usage"]
    k = client.engagement["min_group_size"]
    dims = client.engagement["client_dimensions"]
    cells = client.cube["cells"]
    released = cells[~cells["suppressed"]]
    for count in ("n", "licensed"):
        assert ((released[count] == 0) | (released[count] >= k)).all()
    # a share of people in a released cell never points at 1 to k-1 of them
    types = client.cube["types"]
    for row in types[~types["suppressed"]].to_dict("records"):
        for motive in ("commitment", "compliance", "wiifm", "mixed", "low"):
            if row[motive] == row[motive]:  # not withheld; a whole percentage
                people = round(row[motive] * row["n"])
                assert people >= k and row["n"] - people >= k, (row, motive)  # zeros too
    for name, table in client.cube.items():
        assert set(table.columns) & {"team", "supervisor", "location", "tenure_band"} == set(), name
        hidden = table[table["suppressed"]]
        figures = hidden.drop(
            columns=[*dims, "suppressed", "construct", "week_start", "level"], errors="ignore"
        )
        assert figures.isna().all().all(), name
        if name != "organisation":  # the organisation's exact counts: its one cell
            assert set(table[dims[0]]) - {ALL}  # real groups are present


@pytest.mark.browser
def test_client_html_opens_offline(report, browser, artifacts: Path) -> None:
    _, out = report
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "client" / "executive_summary.html").as_uri())
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "Executive summary"
    page.screenshot(path=str(artifacts / "client_executive_summary.png"), full_page=True)
    page.goto((out / "client" / "barriers_keys.html").as_uri())
    page.wait_for_load_state("networkidle")
    images = page.locator("img")
    assert images.count() >= 3  # the figures are embedded, and drawn
    assert all(images.nth(i).evaluate("i => i.naturalWidth > 0") for i in range(images.count()))
    page.close()
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert outside == []


def test_a_failing_notebook_names_itself_and_its_cell(
    generated: dict[int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    books = tmp_path / "notebooks"
    shutil.copytree(Path(__file__).resolve().parents[1] / "notebooks", books)
    path = books / "executive_summary.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(4, nbformat.v4.new_code_cell('raise ValueError("planted failure")'))
    nbformat.write(notebook, path)
    monkeypatch.setenv("ADOPTION_NOTEBOOKS_DIR", str(books))
    out = tmp_path / "reports"
    with pytest.raises(RunError) as caught:
        run_reports(generated[DEMO_SEED], out, progress=False)
    message = str(caught.value)
    assert message.startswith("executive_summary.ipynb (consultant) failed in cell 5")
    assert "ValueError: planted failure" in message
    assert not out.exists() and list(tmp_path.glob(".reports-*")) == []


def test_goldens_are_the_current_notebooks() -> None:
    """Each golden holds its audience's cells as they are now (run `make golden` if not)."""
    root = Path(__file__).resolve().parents[1]
    for audience in ("consultant", "client"):
        for name in (*NOTEBOOKS, "progress"):
            source = for_audience(root / "notebooks" / f"{name}.ipynb", audience)
            golden = nbformat.read(
                root / "tests" / "golden" / audience / f"{name}.ipynb", as_version=4
            )
            cells = [
                c for c in golden.cells if "injected-parameters" not in c.metadata.get("tags", [])
            ]
            assert [c.source for c in cells] == [c.source for c in source.cells], (audience, name)
            injected = next(
                c for c in golden.cells if "injected-parameters" in c.metadata.get("tags", [])
            )
            assert f'audience = "{audience}"' in injected.source
            assert 'engagement = "../../../examples/northwind"' in injected.source


def test_client_verbatims_only_when_switched_on(generated: dict[int, Path], tmp_path: Path) -> None:
    folder = tmp_path / "northwind"
    shutil.copytree(generated[DEMO_SEED], folder)
    off = build_bundles(folder)
    assert off["client"].verbatims is not None and off["client"].verbatims.empty
    assert not off["consultant"].verbatims.empty
    config = folder / "engagement.yml"
    config.write_text(
        config.read_text().replace("privacy:\n", "privacy:\n  show_verbatims: true\n", 1)
    )
    on = build_bundles(folder)["client"].verbatims
    assert not on.empty
    assert not on["text"].str.contains("@").any()  # emails scrubbed
    assert set(on["group"]) <= set(off["consultant"].verbatims["group"])


def test_a_later_wave_adds_progress_since_baseline(demo_reports) -> None:
    folder, outs = demo_reports  # baseline, two statuses recorded, then the latest wave
    baseline, out = outs["baseline"], outs["day90"]
    assert out == folder / "reports" / "2027-01-31"
    for audience in ("consultant", "client"):
        assert (out / audience / "progress.html").is_file()
        assert (out / "figures" / audience / "progress_effects.png").is_file()
    summary = json.loads((out / "summary.json").read_text())
    waves = summary["waves"]
    assert [w["name"] for w in waves["list"]] == ["baseline", "day90"]
    assert waves["current"] == "day90" and waves["compared_with"] == "baseline"
    assert waves["deltas"]["usage.license_utilisation"]["before"] == pytest.approx(0.7769)
    assert (
        waves["significant_changes"]["fell"] > 0
        and waves["significant_changes"]["improved_or_rose"] > 0
    )
    planned = json.loads((baseline / "summary.json").read_text())["actions"]
    assert sum(waves["actions"].values()) == len(planned)  # every baseline action followed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["engagement"]["wave"] == "day90"
    _same_files(out, "day90")
    html = (out / "consultant" / "progress.html").read_text()
    assert "Statuses read from the action plan workbook" in html
    notebook = nbformat.read(out / "client" / "progress.ipynb", as_version=4)
    text = "".join(
        str(o.get("text", ""))
        + str(o.get("data", {}).get("text/plain", ""))
        + str(o.get("data", {}).get("text/html", ""))
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "Service" in text and "Key 5: supervisor (mean score)" in text
    assert "Traceback" not in text


def test_the_released_cube_is_a_client_file_with_every_figure(report) -> None:
    # client/cube.json holds what every client view reads, and nothing the cube withholds
    folder, out = report
    document = json.loads((out / "client" / "cube.json").read_text())
    assert document["schema_version"] == 2 and document["dimensions"] == ["department", "role"]
    assert document["min_group_size"] == 5 and document["share_precision"] == 0.01
    assert document["mean_precision"] == 0.01
    figures = pd.DataFrame(document["figures"])
    bundles = build_bundles(folder, date.fromisoformat(AS_OF), wave="baseline")
    bundle, usage = bundles["client"], bundles["consultant"].summary["usage"]
    cells = bundle.cube["cells"]
    # every cell, both populations, and its size only where the cell was released
    people = figures[(figures["table"] == "cells") & (figures["measure"] == "people")]
    assert len(people) == 2 * len(cells)
    shown = cells[~cells["suppressed"]]
    organisation = people[(people["department"] == ALL) & (people["role"] == ALL)]
    by_population = dict(zip(organisation["population"], organisation["value"], strict=True))
    assert by_population == {"respondents": 440, "licensed_users": 600}
    withheld = people.merge(
        cells[cells["suppressed"]][["department", "role"]], on=["department", "role"]
    )
    assert len(withheld) == 2 * int(cells["suppressed"].sum()) > 0
    assert withheld["value"].isna().all() and withheld["base"].isna().all()
    assert withheld["withheld"].all()
    # a construct figure equals the cube's, rounded as summary.json rounds
    row = bundle.cube["constructs"].iloc[0]
    found = figures[
        (figures["measure"] == f"{row['construct']}.mean")
        & (figures["department"] == row["department"])
        & (figures["role"] == row["role"])
    ]
    assert found["value"].tolist() == [round(float(row["mean"]), 2)]
    assert found["base"].tolist() == [row["n"]]
    # a share of people names its breakdown and category, and is a whole percentage
    shares = figures[figures["partition"].notna() & ~figures["withheld"]]
    shares = shares[~shares["table"].isin(["cells", "segments", "organisation"])]
    assert set(shares["partition"]) >= {"type", "band", "active_30d", "effective"}
    assert ((shares["value"] * 100).round(6) % 1 == 0).all()
    # the organisation's activation counts, as summary.json counts them (506, 43, 51)
    activation = figures[(figures["partition"] == "activation") & ~figures["withheld"]]
    assert dict(zip(activation["category"], activation["value"], strict=True)) == {
        "active_30d": usage["active_users_30d"], "dormant": usage["dormant_users"],
        "never_activated": usage["never_activated"],
    }  # fmt: skip
    assert sum(activation["value"]) == 600
    # the organisation's medians and DAU/MAU: summary.json's, to two decimals, no partition
    habits = figures[(figures["table"] == "organisation") & figures["partition"].isna()]
    assert dict(zip(habits["measure"], habits["value"], strict=True)) == {
        name: round(usage[name], 2) for name in ORGANISATION_FIGURES
    }
    assert 0 < usage["dau_mau"] < 1 and round(usage["dau_mau"], 2) != usage["dau_mau"]
    client_usage = bundle.summary["usage"]
    assert {name: client_usage[name] for name in ORGANISATION_FIGURES} == {
        name: round(usage[name], 2) for name in ORGANISATION_FIGURES
    }
    # every other figure too, to the precision its label shows: a share of answers a
    # whole percentage (the heat map's colour follows it), a mean two decimals
    values = figures[figures["value"].notna() & ~figures["table"].isin(["cells"])]
    measure = values["measure"].str.rsplit(".", n=1).str[-1]
    answer_shares = values[measure.str.endswith("_pct")]
    means = values[measure.isin(["mean", "ci_low", "ci_high", "active_days_per_week"])]
    assert len(answer_shares) > 100 and len(means) > 100
    assert ((answer_shares["value"] * 100).round(6) % 1 == 0).all()
    assert ((means["value"] * 100).round(6) % 1 == 0).all()
    # no released figure of a withheld cell, and no identifier anywhere in the file
    assert len(shown) + int(cells["suppressed"].sum()) == len(cells)
    text = (out / "client" / "cube.json").read_text()
    assert "@" not in text
    roster = pd.read_csv(folder / "exports" / "roster.csv")
    assert not any(name in text for name in roster["name"].dropna())


def test_everything_in_private_is_the_consultants_only(report) -> None:
    # after a run: every file under private/ is 0600 and every folder 0700
    folder, _ = report
    modes = {
        str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode)
        for path in (folder / "private").rglob("*")
    }
    assert modes, "a run leaves the key, the tables and the cache in private/"
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (folder / name).is_dir() else 0o600)
    }
    assert wrong == {}
