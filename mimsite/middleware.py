"""Turn a database outage outside DRF views (auth lookups, admin) into a 503 JSON answer."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            logger.warning("database unavailable: %s", exception)
            return JsonResponse(
                {
                    "detail": "The database is unavailable; nothing was written. Retry later.",
                    "code": "database_unavailable",
                },
                status=503,
            )
        return None
