"""Property: any engagement the strategies build ends in exit 0 or a clear AdoptionError.

The strategies draw the shape of an engagement (:class:`Variant`) and then damage its
survey export the way files get damaged in the field: an answer no scale knows, a
column deleted, rows cut off, a row of blanks, a header cell renamed. Whatever comes
out, ``adoption summary`` must exit 0 or 2 with one line on stderr. The command line
turns any exception that is not an ``InputError`` into exit 1 ("unexpected error"), so
exit 0 or 2 is the property: nothing but a clear error for bad input.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adoption_lib.cli import main
from adoption_lib.synthetic.platforms import PLATFORMS
from adoption_lib.synthetic.variants import SCALES, Variant, generate_variant

CSV_PLATFORMS = [p for p, (name, _) in PLATFORMS.items() if name.endswith(".csv")]

variants = st.builds(
    Variant,
    platform=st.sampled_from([*PLATFORMS, None]),
    usage=st.booleans(),
    instrument=st.sampled_from(["ours", "custom"]),
    scale=st.sampled_from(sorted(SCALES)),
    open_questions=st.booleans(),
    comments=st.booleans(),
    roster_columns=st.sampled_from([("role", "supervisor", "name"), ("role",), ()]),
    departments=st.integers(1, 5),
    people=st.integers(6, 40),
    response_rate=st.floats(0.2, 1.0),
    waves=st.integers(1, 2),
    seed=st.integers(0, 2**16),
)

damage = st.one_of(
    st.none(),
    st.tuples(st.just("unknown_answer"), st.integers(0, 10_000)),
    st.tuples(st.just("drop_column"), st.integers(0, 10_000)),
    st.tuples(st.just("cut_rows"), st.integers(0, 10_000)),
    st.tuples(st.just("blank_row"), st.integers(0, 10_000)),
    st.tuples(st.just("rename_header"), st.integers(0, 10_000)),
)


def _damage(path: Path, how: tuple[str, int] | None) -> None:
    if how is None:
        return
    kind, n = how
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header_rows = 3 if bom else 1
    body = rows[header_rows:]
    width = len(rows[0])
    if kind == "unknown_answer" and body:
        body[n % len(body)][n % width] = "Kinda agree"
    elif kind == "drop_column":
        column = n % width
        rows = [r[:column] + r[column + 1 :] for r in rows]
        body = rows[header_rows:]
    elif kind == "cut_rows":
        body = body[: n % (len(body) + 1)]
    elif kind == "blank_row" and body:
        body[n % len(body)] = [""] * width
    elif kind == "rename_header":
        rows[0][n % width] = f"Column {n}"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows[:header_rows] + body)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(variant=variants, how=damage)
def test_any_engagement_gives_exit_0_or_a_clear_error(
    variant: Variant, how: tuple[str, int] | None, capsys: pytest.CaptureFixture[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "engagement"
        generate_variant(folder, variant)
        exports = sorted((folder / "exports" / "survey").rglob("*.csv"))
        if exports and variant.platform in CSV_PLATFORMS:
            _damage(exports[0], how)
        capsys.readouterr()
        code = main(["summary", str(folder), "--json"])
        captured = capsys.readouterr()
        assert code in (0, 2), captured.err
        assert "Traceback" not in captured.err and "unexpected error" not in captured.err
        if code == 2:  # progress lines may come first; the error is one line, the last
            errors = [line for line in captured.err.splitlines() if line.startswith("adoption:")]
            assert len(errors) == 1 and errors[0].startswith("adoption: error: "), captured.err
            assert captured.err.rstrip().endswith(errors[0])
