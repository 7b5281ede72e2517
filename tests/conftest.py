"""Shared fixtures: API clients with real tokens, and a real Celery worker process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from diagnosis.accounts import service_account_token_ensure
from governance.services import APPROVER_GROUP

ROOT = Path(__file__).resolve().parent.parent
WORKER_QUEUES = "default,maintenance,monitoring,training"


@pytest.fixture(autouse=True)
def _dataset_snapshots_in_tmp(settings, tmp_path: Path) -> None:
    """Training runs write parquet snapshots; keep the tests' out of the checkout's var/."""
    settings.MIM_DATASET_DIR = tmp_path / "datasets"


# People: an author of versions, approvers in the seeded group, and an outsider.
@pytest.fixture
def author(db):
    return get_user_model().objects.create_user("ml-engineer", password="pw-author-1")


@pytest.fixture
def approver(db):
    user = get_user_model().objects.create_user("reviewer", password="pw-reviewer-1")
    user.groups.add(Group.objects.get(name=APPROVER_GROUP))
    return user


@pytest.fixture
def second_approver(db):
    user = get_user_model().objects.create_user("reviewer-2", password="pw-reviewer-2")
    user.groups.add(Group.objects.get(name=APPROVER_GROUP))
    return user


@pytest.fixture
def outsider(db):
    return get_user_model().objects.create_user("someone", password="pw-someone-1")


@pytest.fixture
def platform_token(db: None) -> str:
    return service_account_token_ensure(username="platform")


@pytest.fixture
def api(platform_token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {platform_token}")
    return client


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


def submission_payload(**overrides: Any) -> dict[str, Any]:
    """A failed Python submission with an off-by-one loop (the README's curl example)."""
    payload: dict[str, Any] = {
        "external_id": "sub-1",
        "user_id": "learner-1",
        "problem_id": "prob-sum",
        "problem_tags": ["arrays", "loops"],
        "problem_category": "arrays",
        "problem_difficulty": 2,
        "language": "python",
        "code": (
            "def solve(arr):\n"
            "    total = 0\n"
            "    for i in range(len(arr) - 1):\n"
            "        total += arr[i]\n"
            "    return total\n"
        ),
        "verdict": "wrong_answer",
        "submitted_at": "2026-11-20T10:00:00Z",
    }
    payload.update(overrides)
    return payload


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _database_url(settings_dict: dict[str, Any]) -> str:
    host = settings_dict["HOST"]
    host_part = quote(host, safe="") if host.startswith("/") else host
    password = settings_dict.get("PASSWORD") or ""
    auth = settings_dict["USER"] + (f":{quote(password, safe='')}" if password else "")
    return (
        f"postgres://{auth}@{host_part}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"
    )


@pytest.fixture
def celery_worker_process(transactional_db: None, tmp_path: Path) -> Iterator[Path]:
    """A real `celery worker` (prefork) on the default filesystem broker, using the test database.

    The test process sends to a broker folder private to this test, so a developer's running
    `make run` worker can never take these tasks.
    """
    broker_dir = tmp_path / "broker"
    for sub in ("queue", "processed", "control"):
        (broker_dir / sub).mkdir(parents=True)
    options = {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "processed_folder": str(broker_dir / "processed"),
        "control_folder": str(broker_dir / "control"),
        "store_processed": False,
    }
    yield from _worker(
        broker_url="filesystem://",
        options=options,
        env={"MIM_BROKER_DIR": str(broker_dir)},
        log_path=tmp_path / "worker.log",
    )


REDIS_TEST_URL = os.environ.get("MIM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def celery_redis_worker_process(transactional_db: None, tmp_path: Path) -> Iterator[Path]:
    """A real worker on Redis (CI machines run one on 127.0.0.1:6379; database 15 is ours)."""
    host, port = urlsplit(REDIS_TEST_URL).hostname, urlsplit(REDIS_TEST_URL).port or 6379
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        pytest.skip(f"no Redis server at {host}:{port} (CI machines have one)")
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    yield from _worker(
        broker_url=REDIS_TEST_URL, options={}, env={}, log_path=tmp_path / "worker.log"
    )


def _worker(
    *, broker_url: str, options: dict[str, Any], env: dict[str, str], log_path: Path
) -> Iterator[Path]:
    from django.db import connection

    from mimsite.celery import app as celery_app

    previous = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    celery_app.conf.broker_url = broker_url
    celery_app.conf.broker_transport_options = options
    _reset_producer_pool(celery_app)
    worker_env = {
        **os.environ,
        **env,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker_url,
        "DB_CONN_MAX_AGE": "0",
    }
    with open(log_path, "w") as log:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mimsite",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "-Q",
                WORKER_QUEUES,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(lambda: "ready." in log_path.read_text(), timeout=60, what="worker", log=log_path)
        yield log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        celery_app.conf.broker_url, celery_app.conf.broker_transport_options = previous
        _reset_producer_pool(celery_app)


def _reset_producer_pool(celery_app: Any) -> None:
    """Drop pooled producer connections so the next send uses the current broker options."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _wait_for(check: Any, *, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    detail = log.read_text()[-4000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


@pytest.fixture
def wait_for() -> Any:
    return _wait_for
