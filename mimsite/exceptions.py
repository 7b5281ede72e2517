"""One exception handler maps domain errors and outages to JSON responses (never a stack trace)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from diagnosis.core.model_engine import ArtifactIntegrityError, IncompatibleBundleError
from diagnosis.core.taxonomy import SubtypeValidationError

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of errors a service raises for a request that cannot be honoured."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class BundleRefusedError(DomainError):
    """A stored model bundle was refused at load (SHA-256 mismatch or another feature schema)."""

    status_code = 409
    code = "integrity_error"


class PayloadTooLargeError(DomainError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "too_large"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF errors as usual; domain errors with their status; database outages as 503 JSON."""
    if isinstance(exc, SubtypeValidationError):
        exc = DomainError(str(exc), field="subtype")
    if isinstance(exc, ArtifactIntegrityError | IncompatibleBundleError):
        exc = BundleRefusedError(f"A model version's bundle was refused at load: {exc}.")
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["errors"] = {exc.field: [exc.message]}
        return Response(body, status=exc.status_code)
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("database unavailable: %s", exc)
        return database_unavailable_response()
    if isinstance(exc, DatabaseError):
        logger.exception("database error")
        return Response(
            {"detail": "The request could not be stored; nothing was written.", "code": "db_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return exception_handler(exc, context)


def database_unavailable_response() -> Response:
    return Response(
        {
            "detail": "The database is unavailable; nothing was written. Retry later.",
            "code": "database_unavailable",
        },
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
    )
