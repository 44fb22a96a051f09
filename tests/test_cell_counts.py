"""The cube's people per cell and category, against pandas' crosstab on every level."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from adoption_lib.privacy.cube_tables import REST, _cell_counts
from adoption_lib.privacy.suppression import ALL

DIMS = ["department", "role"]
NAMES = ("daily", "weekly")


def _crosstab_counts(base: pd.DataFrame, labels: pd.Series, keys: list[tuple]) -> np.ndarray:
    """The reference: one pandas crosstab per level, people without a value left out."""
    label = labels.where(labels.isin(NAMES), REST).fillna(REST)
    out = np.zeros((len(keys), len(NAMES) + 1), dtype=np.int64)
    where = {key: i for i, key in enumerate(keys)}
    for size in range(len(DIMS) + 1):
        for fixed in combinations(DIMS, size):
            rows = [base[d] for d in fixed] or [pd.Series(ALL, index=base.index)]
            table = pd.crosstab(rows, label).reindex(columns=[*NAMES, REST], fill_value=0)
            for index, row in zip(table.index, table.to_numpy(), strict=True):
                # the organisation level cuts by no dimension: its one index value names none
                named = index if isinstance(index, tuple) else (index,)
                values = dict(zip(fixed, named[: len(fixed)], strict=True))
                key = tuple(str(values.get(d, ALL)) for d in DIMS)
                if key in where:
                    out[where[key]] = row
    return out


people = st.lists(
    st.tuples(
        st.sampled_from(["Sales", "Service", "Ops", None]),
        st.sampled_from(["end user", "manager", None]),
        st.sampled_from(["daily", "weekly", "rare", None]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(people)
def test_cell_counts_equal_a_crosstab_per_level(rows) -> None:
    frame = pd.DataFrame(rows, columns=[*DIMS, "band"])
    base = frame[DIMS].astype("string")
    keys = [(ALL, ALL)] + [
        (str(d), str(r)) if size == 2 else ((str(d), ALL) if size else (ALL, str(r)))
        for size in (0, 1, 2)
        for d in frame["department"].dropna().unique()
        for r in frame["role"].dropna().unique()
    ]
    keys = list(dict.fromkeys(keys))  # every cell once, in a fixed order
    position = {key: i for i, key in enumerate(keys)}
    codes = pd.Index(NAMES).get_indexer(frame["band"])
    category = np.where(codes < 0, len(NAMES), codes)
    ours = _cell_counts(base, category, len(NAMES) + 1, DIMS, position)
    assert (ours == _crosstab_counts(base, frame["band"], keys)).all()
    # the organisation's row counts everyone, each person once
    assert ours[position[(ALL, ALL)]].sum() == len(frame)
