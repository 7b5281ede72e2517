"""Hand-written SQL on the diagnosis request: prepared statements and typed row values.

Every diagnosis request runs the same few statements (learner lock, one read, memory recall,
one write). Planning them took ~0.3 ms of the database's CPU each time, half of its whole
share of a request (docs/decisions.md, "Prepared statements on the hot path"). Django's
cursors bind parameters on the client, which psycopg can never prepare; `prepared_cursor()`
gives a cursor that binds on the server, so psycopg prepares each statement once per
connection after `prepare_threshold` runs (settings: `MIM_DB_PREPARE_THRESHOLD`) and later
runs skip parsing and planning. Everything else keeps Django's default cursors.

SQL for that cursor uses typed placeholders (`%s::bigint`): a server-side parameter has no
type of its own, and a cast states it once instead of leaving it to inference. Its `%s` and
`%(name)s` placeholders are rewritten to PostgreSQL's `$1` once per statement text and kept:
psycopg redoes that rewrite on every execution for statements over 4 KB or 50 parameters,
which the one write is (~0.15 ms per request).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection, models
from django.db.backends.postgresql.base import CursorDebugWrapper
from django.db.backends.utils import CursorWrapper

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


@functools.lru_cache(maxsize=256)
def native_placeholders(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """`sql` with psycopg's placeholders as PostgreSQL's: `%s` become `$1`, `$2`, ... in order;
    each distinct `%(name)s` one `$n`, the names returned in `$n` order (None when positional);
    `%%` a literal `%`. A statement may not mix the two styles."""
    names: list[str] = []
    positional = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal positional
        name = match.group(1)
        if match.group() == "%%":
            return "%"
        if name is None:
            positional += 1
            return f"${positional}"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    native = _PLACEHOLDER.sub(replace, sql)
    if names and positional:
        raise ValueError("a statement mixes %s and %(name)s placeholders")
    return native, (tuple(names) if names else None)


class _NativeCursor(psycopg.RawCursor):
    """psycopg's cursor for `$n` placeholders, taking SQL written with psycopg's own."""

    def execute(  # type: ignore[override]
        self, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None, **kwargs: Any
    ) -> _NativeCursor:
        native, names = native_placeholders(query)
        if names is not None:
            params = [params[name] for name in names]  # type: ignore[index]
        return super().execute(native, params, **kwargs)


class _LoggedAsWritten(CursorDebugWrapper):
    """Django's query log, with the statement as written: a prepared execution leaves psycopg
    no text for Django to read back afterwards."""

    def execute(self, sql: str, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


def prepared_cursor() -> CursorWrapper:
    """A Django cursor (so query logging, `execute_wrapper` and error translation still apply)
    whose statements are bound on the server and prepared by psycopg once run often enough."""
    connection.ensure_connection()
    raw = _NativeCursor(connection.connection)
    if connection.queries_logged:
        return _LoggedAsWritten(raw, connection)
    return connection.make_cursor(raw)


@dataclass(frozen=True, slots=True)
class StatementPart:
    """Common table expressions one app adds to another app's statement.

    `ctes` are `name AS (...)` items for the statement's WITH list, `params` their parameters
    in order, and `result` a scalar SQL expression (for example `(SELECT id FROM memory_row)`)
    the statement returns alongside its own results.
    """

    ctes: Sequence[str]
    params: Sequence[Any]
    result: str = "NULL"


def table(model: type[models.Model]) -> str:
    """The model's table name, quoted."""
    return connection.ops.quote_name(model._meta.db_table)


@functools.cache
def _column_specs(model: type[models.Model]) -> dict[str, tuple[str, str, bool]]:
    """attname -> (quoted column, cast type, is JSON), computed once per model and process."""
    specs = {}
    for f in model._meta.concrete_fields:
        cast = f.rel_db_type(connection) if f.is_relation else f.db_type(connection)
        specs[f.attname] = (
            connection.ops.quote_name(f.column),
            cast,
            isinstance(f, models.JSONField),
        )
    return specs


class TypedValues:
    """Column names, cast placeholders and parameters for one row of `model`.

    `values` maps attnames to Python values; JSON fields are serialised here. A value may be
    given as raw SQL instead (`sql={"submission_id": "sub.id"}`), for a column whose value a
    statement reads from another part of itself.
    """

    def __init__(
        self,
        model: type[models.Model],
        values: Mapping[str, Any],
        *,
        sql: Mapping[str, str] | None = None,
    ) -> None:
        specs = _column_specs(model)
        self.columns: list[str] = []
        self.placeholders: list[str] = []
        self.params: list[Any] = []
        for name, expression in (sql or {}).items():
            self.columns.append(specs[name][0])
            self.placeholders.append(expression)
        for name, value in values.items():
            column, cast, is_json = specs[name]
            self.columns.append(column)
            self.placeholders.append(f"%s::{cast}")
            self.params.append(json.dumps(value) if is_json and value is not None else value)

    @property
    def column_list(self) -> str:
        return ", ".join(self.columns)

    @property
    def placeholder_list(self) -> str:
        return ", ".join(self.placeholders)
