"""The Celery app, its queues and the default beat schedule (kept in the DB by celery-beat)."""

from __future__ import annotations

import os
from enum import StrEnum

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mimsite.settings")


class Queue(StrEnum):
    """Queues by workload, so training never starves the short monitoring jobs."""

    DEFAULT = "default"
    MAINTENANCE = "maintenance"
    MONITORING = "monitoring"
    TRAINING = "training"


app = Celery("mimsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_default_queue = Queue.DEFAULT.value
app.autodiscover_tasks()

# Each task's queue, by its stable name (Celery 5 deprecates the per-task `queue` attribute).
app.conf.task_routes = {
    "diagnosis.refresh_pattern_decay": {"queue": Queue.MAINTENANCE.value},
    "training.train": {"queue": Queue.TRAINING.value},
    "memory.expire": {"queue": Queue.MAINTENANCE.value},
    "memory.index_for_search": {"queue": Queue.MAINTENANCE.value},
}

# Default beat schedule, loaded into django-celery-beat's tables by `manage.py mim_setup_schedules`
# (run by `make run`), so admins can edit or disable each entry without a deploy. Each key is the
# periodic task's name; crontab fields are UTC. Later issues add their entries here.
BEAT_DEFAULTS: dict[str, dict[str, object]] = {
    # Pattern states decay with time (2^(-days/14)); persist the decay daily so the admin and the
    # learner patterns API agree with what the next diagnosis would see.
    "pattern decay refresh (daily 01:30)": {
        "task": "diagnosis.refresh_pattern_decay",
        "crontab": {"minute": "30", "hour": "1"},
        "queue": Queue.MAINTENANCE.value,
    },
    # Memories live 90/180/365 days by quality (000 §3.1); delete the expired ones daily, in
    # batches, so retrieval never scans dead rows and a learner's old mistakes really go.
    "memory expiry (daily 02:30)": {
        "task": "memory.expire",
        "crontab": {"minute": "30", "hour": "2"},
        "queue": Queue.MAINTENANCE.value,
    },
    # The diagnosis request only queues a new memory for the global search index (an HNSW
    # insertion costs more the larger the index); index the queue every minute, in batches.
    "memory search indexing (every minute)": {
        "task": "memory.index_for_search",
        "crontab": {"minute": "*"},
        "queue": Queue.MAINTENANCE.value,
    },
    # Weekly retraining on the verified labels (003); it only ever registers a candidate that
    # waits for a person's approval in the admin.
    "scheduled training (weekly Sun 03:30)": {
        "task": "training.train",
        "crontab": {"minute": "30", "hour": "3", "day_of_week": "0"},
        "queue": Queue.TRAINING.value,
    },
}
