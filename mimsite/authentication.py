"""API token authentication whose lookup is one prepared statement (every API request runs it)."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from mimsite.db import prepared_cursor, table


@functools.cache
def _lookup() -> tuple[str, list[str], list[str]]:
    """The lookup statement with the token's and the user's attnames in its column order, built
    once per process from the models' _meta."""
    user_model = get_user_model()
    token_fields = [f.attname for f in Token._meta.concrete_fields]
    user_fields = [f.attname for f in user_model._meta.concrete_fields]
    quote = connection.ops.quote_name
    columns = [f"token.{quote(Token._meta.get_field(name).column)}" for name in token_fields]
    columns += [f"account.{quote(user_model._meta.get_field(name).column)}" for name in user_fields]
    # Only table and column names from the models' _meta are interpolated.
    sql = (
        f"SELECT {', '.join(columns)} FROM {table(Token)} AS token "  # noqa: S608
        f"JOIN {table(user_model)} AS account "
        f"ON account.{quote(user_model._meta.pk.column)} = token.{quote('user_id')} "
        f"WHERE token.{quote('key')} = %s::varchar"
    )
    return sql, token_fields, user_fields


class PreparedTokenAuthentication(TokenAuthentication):
    """DRF's `TokenAuthentication` (same header, same errors) with the token and its user read
    by one prepared statement instead of the ORM's `select_related` query, which cost more to
    compile than to run (~1 ms of a diagnosis request, docs/decisions.md)."""

    def authenticate_credentials(self, key: str) -> tuple[object, Token]:
        sql, token_fields, user_fields = _lookup()
        with prepared_cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = Token.from_db(DEFAULT_DB_ALIAS, token_fields, row[: len(token_fields)])
        user = get_user_model().from_db(DEFAULT_DB_ALIAS, user_fields, row[len(token_fields) :])
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, token)
