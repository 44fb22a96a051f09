"""The organisation-wide figures a client view shows: only through the released cube."""

from __future__ import annotations

import pandas as pd

from adoption_lib.privacy.client_summary import client_summary
from adoption_lib.privacy.suppression import ALL

DIMS = ["department"]


def _cube(respondents: float, licensed: float = 120.0) -> dict[str, pd.DataFrame]:
    cells = pd.DataFrame(
        {"department": [ALL], "level": [0], "n": [respondents], "licensed": [licensed],
         "suppressed": [pd.isna(respondents)]}
    )  # fmt: skip
    return {"cells": cells}


def test_a_theme_count_whose_complement_is_small_is_withheld() -> None:
    themes = {"routines": 38, "training": 97, "tools": 4, "process": 0, "fit": 95, "data": 100}
    summary = {"comment_themes": themes}
    shown = client_summary(summary, _cube(100.0), DIMS, 5)["comment_themes"]
    # 97 of 100 says 3 did not mention training; 4 and 0 are small; 95 leaves 5: shown
    assert shown == {
        "routines": 38, "training": None, "tools": None, "process": None, "fit": 95, "data": None
    }  # fmt: skip
    # the organisation's respondents withheld: no theme count can be read against them
    withheld = client_summary(summary, _cube(float("nan")), DIMS, 5)["comment_themes"]
    assert set(withheld.values()) == {None}
    assert summary["comment_themes"] == themes  # the consultant's summary is untouched


def test_organisation_habits_come_from_the_cube_or_are_not_shown() -> None:
    usage = {"licenses": 150, "dau_mau": 0.2913, "median_active_days_per_week": 1.75,
             "feature_breadth_median": None, "active_users_30d": 90}  # fmt: skip
    cube = _cube(100.0)
    cube["organisation"] = pd.DataFrame(
        {"department": [ALL], "licensed": [120.0], "suppressed": [False],
         "active_30d": [90.0], "dau_mau": [0.29], "median_active_days_per_week": [float("nan")]}
    )  # fmt: skip
    out = client_summary({"usage": usage}, cube, DIMS, 5)["usage"]
    assert out["dau_mau"] == 0.29  # the cube's rounding, not summary.json's 0.2913
    assert out["median_active_days_per_week"] is None  # withheld by the cube
    assert "feature_breadth_median" not in out  # not measured: the view says n/a
    assert out["active_users_30d"] == 90 and out["license_utilisation"] == 0.6


def test_renewal_figures_follow_the_organisations_effective_users() -> None:
    renewal = {
        "licenses": 20, "effective_users": 17, "effective_utilisation": 0.85,
        "projected_effective_users_at_renewal": 16.8, "projected_effective_users_low": 15.0,
        "projected_effective_users_high": 18.0, "projected_effective_users_band": [15.0, 18.0],
        "projected_utilisation_at_renewal": 0.84, "value_at_risk": 600.0,
        "value_at_risk_low": 0.0, "value_at_risk_high": 1500.0, "risk": "low",
        "seat_contraction_exposure": 0.0, "model": "flat", "target_sentence": "Reaching 80%",
    }  # fmt: skip
    cube = _cube(18.0, licensed=18.0)
    # 17 of 18 licensed users effective: the one who is not is a group of 1, withheld
    cube["organisation"] = pd.DataFrame(
        {"department": [ALL], "licensed": [18.0], "suppressed": [False],
         "effective": [float("nan")]}
    )  # fmt: skip
    out = client_summary({"renewal": renewal}, cube, DIMS, 5)["renewal"]
    # nothing that starts from the withheld count is shown, the projection included
    for key in ("effective_users", "projected_effective_users_at_renewal",
                "projected_effective_users_band", "value_at_risk_high", "target_sentence"):  # fmt: skip
        assert out[key] is None, key
    assert out["risk"] == "low" and out["model"] == "flat" and out["licenses"] == 20
    cube["organisation"]["effective"] = [12.0]
    shown = client_summary({"renewal": renewal}, cube, DIMS, 5)["renewal"]
    assert shown["projected_effective_users_band"] == [15.0, 18.0]
    assert shown["value_at_risk"] == 600.0
