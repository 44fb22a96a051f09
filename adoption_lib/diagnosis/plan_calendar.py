"""The plan's calendar: each action's due date between the assessment and the renewal.

An action takes the time its effort needs: low effort 30 days, medium 60, high 90
(:data:`USUAL_DAYS`). The renewal sets the calendar's end: what should be seen at the
renewal talk must land a week before it (:data:`RENEWAL_MARGIN_DAYS`). An action whose
usual time would end after that deadline is compressed to the deadline when the time
left is at least the shortest an action of its effort can take (:data:`SHORTEST_DAYS`:
14, 30 and 60 days); otherwise it keeps its usual time and is phased *after renewal*,
so the plan says plainly what lands before the renewal and what cannot.
"""

from __future__ import annotations

from datetime import date, timedelta

#: the time an action of each effort usually takes
USUAL_DAYS = {"low": 30, "medium": 60, "high": 90}
#: the shortest time an action of each effort can land in
SHORTEST_DAYS = {"low": 14, "medium": 30, "high": 60}
#: what must be seen at the renewal talk lands this many days before it
RENEWAL_MARGIN_DAYS = 7
BEFORE = "before renewal"
AFTER = "after renewal"


def due_date(assessment_date: date, renewal_date: date | None, effort: str) -> tuple[date, str]:
    """An action's due date and its phase (before or after renewal).

    Parameters
    ----------
    assessment_date
        The wave's assessment date: the plan starts on it.
    renewal_date
        The contract's renewal, or None (every action then takes its usual time and
        is phased before renewal).
    effort
        ``low``, ``medium`` or ``high``.

    Returns
    -------
    tuple
        The due date, and :data:`BEFORE` or :data:`AFTER`.

    Examples
    --------
    >>> due_date(date(2027, 1, 31), date(2027, 3, 1), "low")
    (datetime.date(2027, 2, 22), 'before renewal')
    >>> due_date(date(2027, 1, 31), date(2027, 3, 1), "high")
    (datetime.date(2027, 5, 1), 'after renewal')
    """
    usual = assessment_date + timedelta(days=USUAL_DAYS[effort])
    if renewal_date is None:
        return usual, BEFORE
    deadline = renewal_date - timedelta(days=RENEWAL_MARGIN_DAYS)
    if usual <= deadline:
        return usual, BEFORE
    if (deadline - assessment_date).days >= SHORTEST_DAYS[effort]:
        return deadline, BEFORE
    return usual, AFTER
