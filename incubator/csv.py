"""Helpers for writing CSV exports that are safe to open in spreadsheets."""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Neutralise a cell that a spreadsheet would read as a formula.

    Returns ``value`` unchanged unless it is a ``str`` starting with one of
    ``=``, ``+``, ``-``, ``@``, tab or carriage return, in which case a single
    quote is prepended so the cell is shown as text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_writer_row(values: Iterable[object]) -> list[object]:
    """Return a row with every cell passed through :func:`spreadsheet_safe`."""
    return [spreadsheet_safe(value) for value in values]
