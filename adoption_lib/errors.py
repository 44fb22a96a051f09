"""The one exception hierarchy of the workbook.

Every error the workbook raises on purpose derives from :class:`AdoptionError`.
The command line maps the two branches to exit codes:

* :class:`InputError` and its subclasses: bad input or configuration, exit 2;
* :class:`RunError` and its subclasses: a run that failed, exit 1.

Messages are written for a consultant: one line, naming the file, the row or line
and the column or field wherever there is one.
"""

from __future__ import annotations


class AdoptionError(Exception):
    """Root of every error the workbook raises on purpose."""

    exit_code = 1


class InputError(AdoptionError):
    """Bad input or configuration; the command line exits with 2."""

    exit_code = 2


class ConfigError(InputError):
    """``engagement.yml`` failed validation.

    Parameters
    ----------
    path
        The configuration file.
    problems
        One string per problem, each ``engagement.yml:LINE: field: message``.
    """

    def __init__(self, path: object, problems: list[str]) -> None:
        self.path = path
        self.problems = list(problems)
        count = len(self.problems)
        name = f"{getattr(path, 'name', path)}:"
        if count == 1 and self.problems[0].startswith(name):
            # one problem: one line, with the full path so that it can be opened
            super().__init__(f"{path}:{self.problems[0][len(name) :]}")
            return
        head = f"{path}: {count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head, *self.problems]))


class EngagementNotFoundError(InputError):
    """The engagement folder or its ``engagement.yml`` does not exist."""


class EngagementExistsError(InputError):
    """``adoption init`` refused to overwrite an existing engagement."""


class InputFileError(InputError):
    """An input file cannot be read or does not have the expected layout."""


class UnrecognisedLayoutError(InputFileError):
    """A survey export whose header rows fit no known layout but are plainly header rows."""


class DateOrderError(InputFileError):
    """Dates written day/month or month/day that nothing in the file or engagement settles."""


class MixedLanguageError(InputFileError):
    """A choice-text export whose answers arrive in several languages and do not all code."""


class SelectionError(InputError):
    """A selection, audience or dimension that this assessment's data does not have."""


class ResponseRateError(InputError):
    """More responses were kept than the roster has licensed people."""


class NoItemsMatchedError(InputFileError):
    """A survey export in which no column maps to any item of the instrument."""


class LicenceCountError(InputError):
    """Renewal arithmetic needs a positive number of licences."""


class SummaryVersionError(InputFileError):
    """A summary.json written by another version of the workbook (its ``schema_version``)."""


class RunError(AdoptionError):
    """A run failed after its input was accepted; the command line exits with 1."""

    exit_code = 1


class AuditError(RunError):
    """The disclosure audit could not be run: truth missing, or released figures contradict."""


class DisclosureError(RunError):
    """The disclosure audit found a small group the released figures pin down."""


class DegenerateDataError(RunError):
    """A statistic cannot be computed on the data given: a constant column, rows that
    do not match. Callers check for it first; reaching it is a defect of the caller."""
