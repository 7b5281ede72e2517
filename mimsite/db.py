"""Hand-written SQL on the diagnosis request: prepared statements and typed row values.

Every diagnosis request runs the same few statements (learner lock, one read, memory recall,
one write). Planning them took ~0.3 ms of the database's CPU each time, half of its whole
share of a request (docs/decisions.md, "Prepared statements on the hot path"). Django's
cursors bind parameters on the client, which psycopg can never prepare; `prepared_cursor()`
gives a cursor that binds on the server, so psycopg prepares each statement once per
connection after `prepare_threshold` runs (settings: `MIM_DB_PREPARE_THRESHOLD`) and later
runs skip parsing and planning. Everything else keeps Django's default cursors.

SQL for that cursor uses typed placeholders (`%s::bigint`): a server-side parameter has no
type of its own, and a cast states it once instead of leaving it to inference.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorWrapper


def prepared_cursor() -> CursorWrapper:
    """A Django cursor (so query logging, `execute_wrapper` and error translation still apply)
    whose statements are bound on the server and prepared by psycopg once run often enough."""
    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
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
