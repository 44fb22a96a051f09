"""Write an instrument for the survey platforms: ``adoption survey export``.

* ``qualtrics``: an Advanced-Format TXT (Survey > Tools > Import/Export > Import
  Survey). Every item is its own single-answer question whose ``[[ID:...]]`` is the
  item id, so the export tags in the response CSV are our item ids. Choices are
  recoded 1..n in order, so a numeric export matches scales with default codes.
* ``google-apps-script``: a ``.gs`` file; paste it into script.google.com and run
  ``createSurvey`` to build the Google Form (grids per matrix group, "Don't know" as an
  extra grid column).
* ``word``: a ``.docx`` laid out for Microsoft Forms "Quick import": numbered
  questions, each followed by its options.
* ``markdown``: a printable questionnaire.

``{system}`` is filled in everywhere. Choice demographics whose options come from the
roster (department, supervisor, location) get them from ``--engagement``; without an
engagement they become free-text questions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document

from adoption_lib.config.instrument import Demographic, Instrument, Item
from adoption_lib.errors import InputError

FORMATS = {"qualtrics": ".txt", "google-apps-script": ".gs", "word": ".docx", "markdown": ".md"}


@dataclass(frozen=True)
class Block:
    """Consecutive items sharing a matrix text and a scale: one grid on the platforms."""

    title: str
    scale: str
    items: list[Item]
    managers: bool


def blocks(instrument: Instrument) -> Iterator[Block]:
    """Group the instrument's items into consecutive blocks of one group and scale.

    Parameters
    ----------
    instrument
        The instrument.

    Yields
    ------
    Block
        In instrument order.
    """
    current: list[Item] = []
    for item in instrument.items:
        if current and (item.group, item.scale, item.audience) != (
            current[0].group,
            current[0].scale,
            current[0].audience,
        ):
            yield _block(current)
            current = []
        current.append(item)
    if current:
        yield _block(current)


def _block(items: list[Item]) -> Block:
    first = items[0]
    return Block(first.group or first.text, first.scale, items, first.audience == "managers")


def demographic_options(demographic: Demographic, roster_values: dict[str, list[str]]) -> list[str]:
    """The options of a choice demographic: its own, or the roster's values."""
    if demographic.options:
        return list(demographic.options)
    return roster_values.get(demographic.roster_field or "", [])


def export_instrument(
    instrument: Instrument,
    fmt: str,
    out: Path,
    system: str,
    roster_values: dict[str, list[str]] | None = None,
) -> Path:
    """Write ``instrument`` in one platform format.

    Parameters
    ----------
    instrument
        The instrument.
    fmt
        One of :data:`FORMATS`.
    out
        The file to write.
    system
        Fills ``{system}``.
    roster_values
        Roster column to its distinct values (``department``, ``supervisor`` as
        display names, ``location``), for choice demographics.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputError
        For an unknown format.
    """
    writers = {
        "qualtrics": _qualtrics,
        "google-apps-script": _apps_script,
        "word": _word,
        "markdown": _markdown,
    }
    if fmt not in writers:
        raise InputError(f"unknown survey export format '{fmt}' (known: {', '.join(FORMATS)})")
    out.parent.mkdir(parents=True, exist_ok=True)
    writers[fmt](instrument, out, _filler(system), roster_values or {})
    return out


def _filler(system: str):
    return lambda text: text.replace("{system}", system)


def _choices(instrument: Instrument, item: Item) -> list[str]:
    scale = instrument.scales[item.scale]
    return [*scale.labels, *scale.na_labels]


def _qualtrics(instrument: Instrument, out: Path, fill, roster: dict[str, list[str]]) -> None:
    lines = ["[[AdvancedFormat]]", ""]
    for block in blocks(instrument):
        lines += [
            f"[[Block:{fill(block.title)[:100]}]]",
            "",
            "[[Question:Text]]",
            fill(block.title),
            "",
        ]
        if block.managers:
            lines += [
                "[[Question:Text]]",
                "For people who manage others; everyone else, please skip this page.",
                "",
            ]
        for item in block.items:
            lines += [
                "[[Question:MC:SingleAnswer:Horizontal]]",
                f"[[ID:{item.id}]]",
                fill(item.text),
                "",
                "[[Choices]]",
            ]
            lines += [*_choices(instrument, item), ""]
        lines += ["[[PageBreak]]", ""]
    lines += ["[[Block:About you]]", ""]
    for demographic in instrument.demographics:
        options = demographic_options(demographic, roster)
        if demographic.type == "choice" and options:
            lines += [
                "[[Question:MC:SingleAnswer:Dropdown]]",
                f"[[ID:{demographic.id}]]",
                fill(demographic.text),
                "",
                "[[Choices]]",
                *options,
                "",
            ]
        else:
            lines += [
                "[[Question:TE:SingleLine]]",
                f"[[ID:{demographic.id}]]",
                fill(demographic.text),
                "",
            ]
    for question in instrument.open_questions:
        lines += ["[[Question:TE:Essay]]", f"[[ID:{question.id}]]", fill(question.text), ""]
    out.write_text("\n".join(lines), encoding="utf-8")


def _apps_script(instrument: Instrument, out: Path, fill, roster: dict[str, list[str]]) -> None:
    js = json.dumps
    title = fill(instrument.title)
    body = [
        "/**",
        f' * Creates the Google Form "{title}" ({instrument.id}, version {instrument.version}).',
        " * Written by `adoption survey export`. Open script.google.com, paste this file, run createSurvey.",
        " * Grid rows keep the item wording, so the response CSV maps back to the instrument.",
        " */",
        "function createSurvey() {",
        f"  var form = FormApp.create({js(title)});",
        "  form.setCollectEmail(true);",
        "  form.setLimitOneResponsePerUser(false);",
    ]
    for block in blocks(instrument):
        note = (
            " (for people who manage others; everyone else, please skip)" if block.managers else ""
        )
        body.append(f"  form.addSectionHeaderItem().setTitle({js(fill(block.title) + note)});")
        rows = [fill(item.text) for item in block.items]
        columns = _choices(instrument, block.items[0])
        body.append(f"  form.addGridItem().setTitle({js(fill(block.title))})")
        body.append(f"    .setRows({js(rows, ensure_ascii=False)})")
        body.append(f"    .setColumns({js(columns, ensure_ascii=False)});")
    body.append('  form.addSectionHeaderItem().setTitle("About you");')
    for demographic in instrument.demographics:
        options = demographic_options(demographic, roster)
        if demographic.type == "choice" and options:
            body.append(
                f"  form.addListItem().setTitle({js(fill(demographic.text))}).setChoiceValues({js(options, ensure_ascii=False)});"
            )
        else:
            body.append(f"  form.addTextItem().setTitle({js(fill(demographic.text))});")
    for question in instrument.open_questions:
        body.append(f"  form.addParagraphTextItem().setTitle({js(fill(question.text))});")
    body += [
        "  Logger.log('Edit the form at ' + form.getEditUrl());",
        "  Logger.log('Share this link: ' + form.getPublishedUrl());",
        "}",
        "",
    ]
    out.write_text("\n".join(body), encoding="utf-8")


def _word(instrument: Instrument, out: Path, fill, roster: dict[str, list[str]]) -> None:
    document = Document()
    document.add_heading(fill(instrument.title), level=1)
    number = 0
    for block in blocks(instrument):
        note = " (for people who manage others)" if block.managers else ""
        document.add_heading(fill(block.title) + note, level=2)
        for item in block.items:
            number += 1
            document.add_paragraph(f"{number}. {fill(item.text)}")
            for choice in _choices(instrument, item):
                document.add_paragraph(choice, style="List Bullet")
    document.add_heading("About you", level=2)
    for demographic in instrument.demographics:
        number += 1
        document.add_paragraph(f"{number}. {fill(demographic.text)}")
        for option in (
            demographic_options(demographic, roster) if demographic.type == "choice" else []
        ):
            document.add_paragraph(option, style="List Bullet")
    for question in instrument.open_questions:
        number += 1
        document.add_paragraph(f"{number}. {fill(question.text)}")
    document.save(str(out))


def _markdown(instrument: Instrument, out: Path, fill, roster: dict[str, list[str]]) -> None:
    lines = [
        f"# {fill(instrument.title)}",
        "",
        f"*{instrument.id}, version {instrument.version}*",
        "",
    ]
    number = 0
    for block in blocks(instrument):
        note = " *(for people who manage others)*" if block.managers else ""
        lines += [f"## {fill(block.title)}{note}", ""]
        options = "  ".join(f"☐ {c}" for c in _choices(instrument, block.items[0]))
        for item in block.items:
            number += 1
            lines += [f"{number}. **{fill(item.text)}**  ", f"   {options}", ""]
    lines += ["## About you", ""]
    for demographic in instrument.demographics:
        number += 1
        choices = demographic_options(demographic, roster) if demographic.type == "choice" else []
        answer = "  ".join(f"☐ {c}" for c in choices) if choices else "______________________"
        lines += [f"{number}. **{fill(demographic.text)}**  ", f"   {answer}", ""]
    for question in instrument.open_questions:
        number += 1
        lines += [
            f"{number}. **{fill(question.text)}**",
            "",
            "   " + "_" * 60,
            "   " + "_" * 60,
            "",
        ]
    out.write_text("\n".join(lines), encoding="utf-8")
