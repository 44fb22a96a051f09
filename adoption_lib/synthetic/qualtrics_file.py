"""The demo's survey as Qualtrics exports it: three header rows, then one row per response."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from adoption_lib.config.instrument import Instrument

#: the zone the demo's Qualtrics export states its times in
ZONE = "Europe/London"

QUALTRICS_META = (
    ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": ZONE}),
    ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": ZONE}),
    ("Status", "Response Type", {"ImportId": "status"}),
    ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
    ("Progress", "Progress", {"ImportId": "progress"}),
    ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
    ("Finished", "Finished", {"ImportId": "finished"}),
    ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": ZONE}),
    ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
    ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
    ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
    ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
    ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
    ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
    ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
)


def header_rows(instrument: Instrument, system: str) -> list[list[str]]:
    """The three Qualtrics header rows for an instrument fielded from our TXT export."""
    names = [m[0] for m in QUALTRICS_META]
    labels = [m[1] for m in QUALTRICS_META]
    imports = [json.dumps(m[2], separators=(",", ":")) for m in QUALTRICS_META]
    questions = [*instrument.items, *instrument.demographics, *instrument.open_questions]
    for qid, question in enumerate(questions, start=1):
        names.append(question.id)
        labels.append(question.text.replace("{system}", system))
        suffix = "_TEXT" if question in instrument.open_questions else ""
        imports.append(json.dumps({"ImportId": f"QID{qid}{suffix}"}, separators=(",", ":")))
    return [names, labels, imports]


def write_qualtrics_csv(path: Path, header: list[list[str]], responses: list[dict]) -> int:
    """Write the export as Qualtrics does: UTF-8 with a BOM, CRLF, every cell quoted as needed.

    Returns
    -------
    int
        Data rows written.
    """
    names = header[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(header)
    for response in responses:
        writer.writerow([response.get(name, "") for name in names])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return len(responses)
