"""Numbers made ready for summary.json: the one place NaN, infinity and numpy scalars go.

JSON has no NaN or infinity (``json.dumps`` would write the invalid ``NaN``), and numpy
scalars are not JSON types. Every figure that reaches summary.json or a bundle's
records passes through :func:`json_number`.
"""

from __future__ import annotations

import math
from typing import Any

#: decimal places kept in summary.json
PLACES = 4


def json_number(value: Any, *, as_float: bool = False) -> Any:
    """A value ready for JSON: None for a missing, NaN or infinite number, floats rounded.

    Parameters
    ----------
    value
        A number (Python or numpy), None, or anything else (returned unchanged).
    as_float
        Return whole numbers as floats too (a share or mean that happens to be whole).

    Returns
    -------
    int, float, None or the value itself
        Floats rounded to :data:`PLACES` decimals.
    """
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # a numpy scalar
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, float) or as_float:
        return round(float(value), PLACES)
    return value
