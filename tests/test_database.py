"""The database is the real PostgreSQL with pgvector, never SQLite."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_tests_run_on_postgresql_with_the_vector_extension() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        (version,) = cursor.fetchone()
        cursor.execute("SELECT '[1,2,3]'::vector <=> '[1,2,4]'::vector")
        (distance,) = cursor.fetchone()
    assert version.split(".")[0] == "0"
    assert 0 < distance < 0.01
