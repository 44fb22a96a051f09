"""The action plan in words: titles, Markdown tables and the plan appendix.

The executive summary's table of what lands before renewal and the appendix that lists
the whole plan both come from here, so an action reads the same in both: its title and
scope never cut mid-phrase, its measure in words (:func:`adoption_lib.metrics
.measure_name`), shares as percentages.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from adoption_lib.metrics import figure_value, measure_name
from adoption_lib.reports.bundle import ReportData


def action_title(action: dict[str, Any]) -> str:
    """An action's title and scope, without its steps, never cut mid-phrase.

    Examples
    --------
    >>> action_title({"action": "Supervisor coaching and 1:1 reviews (Key 5) (Sales): brief "
    ...               "supervisors.", "scope": "Sales"})
    'Supervisor coaching and 1:1 reviews (Key 5) (Sales)'
    """
    text, scope = str(action.get("action", "")), str(action.get("scope", ""))
    marker = f" ({scope}): "
    if scope and marker in text:
        return text.split(marker, 1)[0] + f" ({scope})"
    return text


def html_table(rows: pd.DataFrame, css_class: str) -> str:
    """A table as HTML with a class for the stylesheet (no index column, text escaped)."""
    header = "".join(f"<th>{escape(str(c))}</th>" for c in rows.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in rows.itertuples(index=False)
    )
    return (
        f'<table class="{css_class}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'
    )


#: the plan table's columns: header, width class
PLAN_COLUMNS = (
    ("ID", "narrow"),
    ("Action", "action"),
    ("Owner", "owner"),
    ("Due", "date"),
    ("Phase", "short"),
    ("Measure", "measure"),
    ("Now", "narrow"),
    ("Target", "short"),
    ("Status", "short"),
    ("Evidence", "evidence"),
)

APPENDIX_INTRO = (
    "Each action names one behaviour, an owner, a date and a measure from this "
    "assessment, so the next wave can show whether it worked. Actions due before the "
    "renewal come first."
)


def plan_rows(data: ReportData) -> list[dict[str, str]]:
    """Every action of the plan as words, by due date: the appendix's rows.

    Parameters
    ----------
    data
        The audience's report data.

    Returns
    -------
    list of dict
        One dict per action, keyed by :data:`PLAN_COLUMNS`' headers.
    """
    return [
        {
            "ID": a["id"],
            "Action": a["action"],
            "Owner": a.get("owner_role", ""),
            "Due": a.get("due", ""),
            "Phase": a.get("phase", ""),
            "Measure": measure_name(str(a.get("measure", ""))),
            "Now": figure_value(str(a.get("measure", "")), a.get("baseline")),
            "Target": figure_value(str(a.get("measure", "")), a.get("target")),
            "Status": a.get("status", ""),
            "Evidence": a.get("evidence", ""),
        }
        for a in sorted(data.summary.get("actions", []), key=lambda a: str(a.get("due", "")))
    ]


def plan_appendix(data: ReportData) -> str:
    """The full plan as the appendix's HTML: its heading, a line on how to read it, the table.

    The table has fixed column widths (the print stylesheet puts it on landscape
    pages of its own, its header row repeated on each), so every column prints.

    Parameters
    ----------
    data
        The audience's report data.

    Returns
    -------
    str
        An HTML fragment (``<div class="appendix">``).
    """
    rows = plan_rows(data)
    head = '<div class="appendix"><h2>Appendix: the full plan</h2>'
    if not rows:
        return head + "<p>The assessment found no barrier or Key that needs an action.</p></div>"
    cols = "".join(f'<col class="{width}">' for _, width in PLAN_COLUMNS)
    header = "".join(f"<th>{escape(name)}</th>" for name, _ in PLAN_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(row[name]))}</td>" for name, _ in PLAN_COLUMNS) + "</tr>"
        for row in rows
    )
    return (
        f"{head}<p>{escape(APPENDIX_INTRO)}</p>"
        f'<table class="plan"><colgroup>{cols}</colgroup><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
