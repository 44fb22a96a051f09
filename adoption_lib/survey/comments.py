"""Comment themes and verbatims, from a transparent keyword lexicon.

The lexicon (``surveys/comment_lexicon.yml``) maps phrases to the method's barrier
families; a comment counts for every theme one of whose phrases it contains, so the
consultant can always say why. Counts per theme and group are aggregates and go through
the privacy suppression like every group table.

Verbatims are person-level text. They appear only in consultant outputs, only for
groups of at least ``privacy.min_comment_group`` respondents, and always scrubbed of
email addresses, phone numbers and the names on the roster. Client views get none
unless ``privacy.show_verbatims`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from adoption_lib.config.schema import surveys_dir
from adoption_lib.config.yaml_lines import load_yaml_with_lines
from adoption_lib.errors import InputFileError
from adoption_lib.privacy.suppression import apply_suppression, enough, withhold_small_counts

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<!\w)(?:\+?\d[\d\s().-]{7,}\d)(?!\w)")


@dataclass(frozen=True)
class Theme:
    """One theme: its label and compiled phrase patterns."""

    id: str
    label: str
    patterns: tuple[re.Pattern[str], ...]


def load_lexicon(path: Path | None = None) -> list[Theme]:
    """Load the comment lexicon.

    Parameters
    ----------
    path
        A lexicon YAML; ``surveys/comment_lexicon.yml`` by default.

    Returns
    -------
    list of Theme
        In file order.

    Raises
    ------
    InputFileError
        When the file is missing or a theme has no phrases.
    """
    path = path or surveys_dir() / "comment_lexicon.yml"
    try:
        data = load_yaml_with_lines(path)[0]
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the comment lexicon ({exc.strerror})") from None
    themes = []
    for theme_id, spec in (data or {}).get("themes", {}).items():
        phrases = [str(p) for p in spec.get("phrases", [])]
        if not phrases:
            raise InputFileError(f"{path}: theme '{theme_id}' has no phrases")
        themes.append(
            Theme(theme_id, str(spec.get("label", theme_id)), tuple(_compile(p) for p in phrases))
        )
    return themes


def _compile(phrase: str) -> re.Pattern[str]:
    stem = phrase.lower().rstrip("*")
    body = r"\s+".join(re.escape(word) for word in stem.split())
    tail = r"\w*" if phrase.endswith("*") else r"\b"
    return re.compile(rf"\b{body}{tail}", re.IGNORECASE)


def theme_comments(comments: pd.DataFrame, themes: list[Theme]) -> pd.DataFrame:
    """Tag each comment with every theme whose phrases it contains.

    Parameters
    ----------
    comments
        ``respondent``, ``question``, ``text``.
    themes
        From :func:`load_lexicon`.

    Returns
    -------
    pandas.DataFrame
        One row per (comment, theme): ``respondent``, ``question``, ``theme``,
        ``matched`` (the first phrase found, for transparency).
    """
    rows = []
    for comment in comments.itertuples(index=False):
        for theme in themes:
            hit = next((m for p in theme.patterns if (m := p.search(comment.text))), None)
            if hit:
                rows.append((comment.respondent, comment.question, theme.id, hit.group(0)))
    return pd.DataFrame(rows, columns=["respondent", "question", "theme", "matched"], dtype=object)


def theme_counts(tagged: pd.DataFrame, groups: pd.Series, by: str, k: int) -> pd.DataFrame:
    """Respondents mentioning each theme, per group, with small groups suppressed.

    Parameters
    ----------
    tagged
        From :func:`theme_comments`.
    groups
        Group of every kept respondent (index: respondent).
    by
        The name of the grouping.
    k
        ``privacy.min_group_size``.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``theme``, ``respondents`` (mentioning it), ``share`` (of the group's
        respondents), ``group_size``, ``suppressed`` (the whole group withheld) and
        ``count_suppressed`` (fewer than k people mention the theme: count withheld).
    """
    sizes = groups.value_counts()
    people = tagged.drop_duplicates(["respondent", "theme"]).assign(
        **{by: lambda t: t["respondent"].map(groups)}
    )
    grid = pd.MultiIndex.from_product(
        [sorted(sizes.index), [t for t in tagged["theme"].unique()]], names=[by, "theme"]
    )
    counts = (
        people.groupby([by, "theme"])
        .size()
        .reindex(grid, fill_value=0)
        .rename("respondents")
        .reset_index()
    )
    # Typed explicitly: with no comment tagged the grid is empty, and the counts of an
    # empty groupby would otherwise come back with the dtype of the (string) keys.
    counts["respondents"] = counts["respondents"].astype("int64")
    counts["group_size"] = counts[by].map(sizes).astype("int64")
    counts["share"] = counts["respondents"] / counts["group_size"]
    out = apply_suppression(counts, by, "group_size", k, keep=("theme",))
    # A count of 1 to k-1 people sharing a theme is itself a small cell: withheld too.
    return withhold_small_counts(out, "respondents", ("share",), k)


def scrub(text: str, names: list[str]) -> str:
    """Remove email addresses, phone numbers and roster names from a comment.

    Parameters
    ----------
    text
        A verbatim comment.
    names
        Names on the roster (full names; first and last names are scrubbed separately
        too when they are at least three letters).

    Returns
    -------
    str
        The text with ``[email]``, ``[phone]`` and ``[name]`` in their place.
    """
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    words = {part for name in names for part in [name, *name.split()] if len(part) >= 3}
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(word)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


def verbatims(
    comments: pd.DataFrame,
    groups: pd.Series,
    names: list[str],
    min_comment_group: int,
    *,
    audience: str = "consultant",
    show_verbatims: bool = False,
) -> pd.DataFrame:
    """Scrubbed verbatim comments for the groups allowed to show them.

    Parameters
    ----------
    comments
        ``respondent``, ``question``, ``text``.
    groups
        Group of every kept respondent.
    names
        Roster names to scrub.
    min_comment_group
        Only groups with at least this many respondents.
    audience
        ``consultant`` or ``client``.
    show_verbatims
        ``privacy.show_verbatims``: the only way verbatims reach a client view.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``question``, ``text`` (scrubbed), in a stable order; empty for a
        client view unless ``show_verbatims``. No respondent identifier is included.
    """
    if audience == "client" and not show_verbatims:
        return pd.DataFrame(columns=["group", "question", "text"])
    sizes = groups.value_counts()
    allowed = set(sizes[enough(sizes, min_comment_group)].index)
    out = comments.assign(group=comments["respondent"].map(groups))
    out = out[out["group"].isin(allowed)]
    out = out.assign(text=[scrub(t, names) for t in out["text"]])
    return (
        out[["group", "question", "text"]]
        .sort_values(["group", "question", "text"])
        .reset_index(drop=True)
    )
