"""Microsoft 365 admin-centre usage reports: snapshots of last activity, not events.

Two user-detail reports (layouts from Microsoft Graph's report API reference,
``reportRoot: getOffice365ActiveUserDetail`` and ``getTeamsUserActivityUserDetail``;
the admin centre's *Export* writes the same CSV):

``m365_active_users`` ("Active users" detail)
    one row per user: ``Report Refresh Date``, ``User Principal Name``, ``Is Deleted``,
    and per product ``Has <Product> License`` and ``<Product> Last Activity Date``;
``m365_teams_activity`` ("Teams user activity" detail)
    one row per user: ``Report Refresh Date``, ``User Principal Name``,
    ``Last Activity Date``, ``Is Deleted``, ``Is Licensed`` and activity counts.

Neither holds events, so none are invented: each becomes a users-activity table (user,
product, last activity date, licensed). From it the workbook can say who was active in
the last 1, 7 and 30 days before the report date, who never was, and (active users)
which products each used; not how often, so effective users, DAU/MAU, active days and
every trend are ``null`` with that reason. Deleted users are leavers: counted, left out.

Tenants hide user names in these reports by default ("concealed" names, an hex hash in
place of the UPN): such a report cannot be joined to the roster, and reading one stops
with the admin-centre setting that turns concealment off.
"""

from __future__ import annotations

import re

import ibis

from adoption_lib.config.schema import UsageExport
from adoption_lib.errors import InputFileError
from adoption_lib.inputs.usage_readers.engine import NORMALISE_EMAIL, UsageSource, sql_path

_LAST = re.compile(r"^(?P<product>.+) Last Activity Date$")
CONCEALED_HELP = (
    "the report's user names are concealed; in the Microsoft 365 admin center, under "
    "Settings > Org settings > Reports, clear 'Display concealed user, group, and site "
    "names in all reports', then export the report again"
)


def _products(columns: list[str], fmt: str) -> dict[str, tuple[str, str | None]]:
    """Per product: its last-activity column and its licence column (if any)."""
    if fmt == "m365_teams_activity":
        licence = "Is Licensed" if "Is Licensed" in columns else None
        return {"Teams": ("Last Activity Date", licence)} if "Last Activity Date" in columns else {}
    found = {}
    for column in columns:
        match = _LAST.match(column)
        if match:
            product = match["product"]
            licence = f"Has {product} License"
            found[product] = (column, licence if licence in columns else None)
    return found


def _flag(column: str) -> str:
    return f"coalesce(lower(trim(\"{column}\")) IN ('true', 'yes'), false)"


def read_m365(
    con: ibis.BaseBackend, export: UsageExport, name: str, window: object = None
) -> UsageSource:
    """Read a Microsoft 365 Active users or Teams user activity detail export.

    Returns
    -------
    UsageSource
        A snapshot source: ``snapshot`` holds ``user_key``, ``feature`` (product),
        ``last_active`` and ``licensed``; ``refreshed`` is the report's data date.

    Raises
    ------
    InputFileError
        When a needed column is missing, a product listed in ``products`` is not in the
        report, a date is not ``YYYY-MM-DD``, or user names are concealed.
    """
    raw = f"read_csv({sql_path(export.path)}, all_varchar = true, header = true, delim = ',')"
    columns = list(con.raw_sql(f"DESCRIBE SELECT * FROM {raw}").df()["column_name"])
    columns = [c.lstrip("\ufeff") for c in columns]
    for needed in ("Report Refresh Date", "User Principal Name"):
        if needed not in columns:
            raise InputFileError(
                f"{export.path}: not a Microsoft 365 user-detail report: no '{needed}' column"
            )
    products = _products(columns, export.format)
    if not products:
        raise InputFileError(f"{export.path}: no '... Last Activity Date' column")
    if export.products:
        unknown = [p for p in export.products if p not in products]
        if unknown:
            raise InputFileError(
                f"{export.path}: products {', '.join(unknown)} are not in the report "
                f"(it has: {', '.join(products)})"
            )
        products = {p: products[p] for p in export.products}
    _check_dates(con, raw, export, ["Report Refresh Date", *(c for c, _ in products.values())])
    deleted = _flag("Is Deleted") if "Is Deleted" in columns else "false"
    upn = '"User Principal Name"'
    parts = [
        f"""SELECT {NORMALISE_EMAIL.format(col=upn)} AS user_key, '{product}' AS feature,
                   CAST(TRY_CAST(nullif(trim("{last}"), '') AS DATE) AS TIMESTAMP) AS last_active,
                   {_flag(licence) if licence else "true"} AS licensed
            FROM {raw} WHERE NOT {deleted} AND nullif(trim({upn}), '') IS NOT NULL"""
        for product, (last, licence) in products.items()
    ]
    con.raw_sql(f'CREATE OR REPLACE TABLE "{name}" AS ' + " UNION ALL ".join(parts))
    rows, gone, named, refreshed = con.raw_sql(
        f"""SELECT count(*), count(*) FILTER (WHERE {deleted}),
                   count(*) FILTER (WHERE contains({upn}, '@')),
                   max(CAST(TRY_CAST("Report Refresh Date" AS DATE) AS TIMESTAMP))
            FROM {raw}"""
    ).fetchone()
    if rows and not named:
        raise InputFileError(f"{export.path}: {CONCEALED_HELP}")
    snapshot = con.table(name)
    source = UsageSource(
        name,
        export.format,
        None,
        (None, refreshed),
        export.format == "m365_active_users",
        rows_read=int(rows),
        rows_qualifying=int(rows) - int(gone),
        snapshot=snapshot,
        refreshed=refreshed,
    )
    source.notes.append(
        f"a last-activity report refreshed on {refreshed:%Y-%m-%d}: one date per user and "
        f"product ({', '.join(products)}), not events"
    )
    if gone:
        source.notes.append(f"{gone} deleted users left out")
    return source


def _check_dates(con: ibis.BaseBackend, raw: str, export: UsageExport, columns: list[str]) -> None:
    """Stop at the first date that is not ``YYYY-MM-DD``, naming its row and column."""
    for column in columns:
        bad = con.raw_sql(
            f"""SELECT row_number() OVER () AS n, "{column}" FROM {raw}
                QUALIFY nullif(trim("{column}"), '') IS NOT NULL
                    AND TRY_CAST(trim("{column}") AS DATE) IS NULL
                LIMIT 1"""
        ).fetchone()
        if bad is not None:
            raise InputFileError(
                f"{export.path.name}:row {int(bad[0]) + 1}, column '{column}': "
                f"{bad[1]!r} is not a date (YYYY-MM-DD)"
            )
