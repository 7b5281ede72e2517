"""mimsite.db.prepared_cursor: psycopg placeholders rewritten to PostgreSQL's, once per text."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mimsite.db import native_placeholders, prepared_cursor


def test_positional_and_named_placeholders_become_dollar_numbers() -> None:
    assert native_placeholders("SELECT %s::int + %s::int") == ("SELECT $1::int + $2::int", None)
    assert native_placeholders("SELECT %(a)s::int, %(b)s::text, %(a)s::int") == (
        "SELECT $1::int, $2::text, $1::int",
        ("a", "b"),
    )
    assert native_placeholders("SELECT 7 %% 3, %s::int") == ("SELECT 7 % 3, $1::int", None)
    with pytest.raises(ValueError, match="mixes"):
        native_placeholders("SELECT %s, %(a)s")


@pytest.mark.django_db
def test_a_large_statement_is_rewritten_once_and_runs_with_its_values() -> None:
    # Over psycopg's own cache limits (4 KB of text, 50 parameters).
    columns = ", ".join(f"%s::bigint AS value_{i:03d}_{'x' * 40}" for i in range(80))
    sql = f"SELECT {columns}"
    assert len(sql) > 4096
    native_placeholders.cache_clear()

    with CaptureQueriesContext(connection) as captured:
        for run in range(3):
            with prepared_cursor() as cursor:
                cursor.execute(sql, [run * 1000 + i for i in range(80)])
                row = cursor.fetchone()
            assert list(row) == [run * 1000 + i for i in range(80)]

    info = native_placeholders.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    assert len(captured.captured_queries) == 3


@pytest.mark.django_db
def test_named_parameters_are_bound_by_name() -> None:
    with prepared_cursor() as cursor:
        cursor.execute(
            "SELECT %(b)s::text || %(a)s::text || %(b)s::text", {"a": "-", "b": "x", "unused": 1}
        )
        assert cursor.fetchone() == ("x-x",)


@pytest.mark.django_db
def test_the_query_log_shows_prepared_statements_as_written() -> None:
    sql = "SELECT %s::int * 2"
    with CaptureQueriesContext(connection) as captured:
        for value in range(4):  # past the prepare threshold: later runs execute prepared
            with prepared_cursor() as cursor:
                cursor.execute(sql, [value])
                assert cursor.fetchone() == (value * 2,)

    assert [query["sql"] for query in captured.captured_queries] == [sql] * 4
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement = %s",
            ["SELECT $1::int * 2"],
        )
        assert cursor.fetchone() == (1,)
