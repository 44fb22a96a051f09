"""A consultant's own instrument for the variant engagements: any scale, open questions or not."""

from __future__ import annotations

#: Scales for the consultant's own instrument: (labels, codes, favourable, unfavourable, na).
SCALES: dict[str, dict] = {
    "agree5": {
        "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
        "favourable": [4, 5],
        "unfavourable": [1, 2],
        "na_labels": ["Not applicable"],
    },
    "agree7": {
        "labels": [
            "Strongly disagree",
            "Disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Agree",
            "Strongly agree",
        ],
        "favourable": [5, 6, 7],
        "unfavourable": [1, 2, 3],
    },
    "zero4": {
        "labels": ["Not at all", "Slightly", "Moderately", "Very", "Extremely"],
        "codes": [0, 1, 2, 3, 4],
        "favourable": [3, 4],
        "unfavourable": [0, 1],
        "na_labels": ["Don't know"],
    },
}


def custom_instrument(scale: str = "agree5", open_questions: bool = True) -> dict:
    """A consultant's own instrument in the schema, unlike ours in every name.

    Parameters
    ----------
    scale
        A key of :data:`SCALES`, used by every item.
    open_questions
        Include one open question.

    Returns
    -------
    dict
        The instrument as YAML would load it.
    """
    spec = dict(SCALES[scale])
    items = [
        ("ease_1", "ease", "{system} is easy to use.", False, "all", "Using {system}"),
        ("ease_2", "ease", "I often get lost in {system}.", True, "all", "Using {system}"),
        ("ease_3", "ease", "I can find what I need quickly.", False, "all", "Using {system}"),
        ("help_1", "helpdesk", "The helpdesk answers quickly.", False, "all", None),
        ("help_2", "helpdesk", "I know who to ask about {system}.", False, "all", None),
        ("sponsor_1", "sponsor", "Our director talks about {system}.", False, "all", None),
        ("sponsor_2", "sponsor", "Leaders use {system} themselves.", False, "all", None),
        ("gain_1", "personal_gain", "{system} helps me hit my targets.", False, "all", None),
        ("gain_2", "personal_gain", "{system} saves me time.", False, "all", None),
        ("coach_1", "coaching", "I review {system} use with my team.", False, "managers", None),
        ("coach_2", "coaching", "I coach people on {system}.", False, "managers", None),
    ]
    return {
        "id": f"helpdesk_pulse_{scale}",
        "title": "{system} pulse",
        "audience_question": "position",
        "manager_answers": ["Team lead", "Director"],
        "scales": {scale: spec},
        "constructs": [
            {"id": "ease", "family": "custom", "label": "Ease", "description": "Easy to use."},
            {"id": "helpdesk", "family": "barrier", "label": "Help", "description": "Help."},
            {"id": "sponsor", "family": "key", "label": "Sponsor", "description": "Sponsor."},
            {
                "id": "personal_gain",
                "family": "motivation",
                "label": "Gain",
                "description": "Gain.",
            },
            {"id": "coaching", "family": "behaviour", "label": "Coaching", "description": "Coach."},
        ],
        "items": [
            {"id": i, "construct": c, "text": t, "scale": scale, "reverse": r, "audience": a}
            | ({"group": g} if g else {})
            for i, c, t, r, a, g in items
        ],
        "demographics": [
            {"id": "dept", "text": "Your department?", "roster_field": "department"},
            {
                "id": "position",
                "text": "Your position?",
                "options": ["Staff", "Team lead", "Director"],
            },
        ],
        "open_questions": [{"id": "anything", "text": "What would help most?"}]
        if open_questions
        else [],
    }
