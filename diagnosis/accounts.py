"""Service accounts and their API tokens (a write, kept with the diagnosis API that uses it)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def service_account_token_ensure(
    *, username: str, can_label: bool = False, can_erase: bool = False
) -> str:
    """Create the account (no password, not staff) and its token if missing; return the token.

    `can_label` lets it set verified labels, `can_erase` erase learners; a flag only ever grants
    (running it again without one takes nothing away).
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if can_label:
        user.user_permissions.add(
            Permission.objects.get(codename="change_diagnosis", content_type__app_label="diagnosis")
        )
    if can_erase:
        user.user_permissions.add(
            Permission.objects.get(codename="erase_learner", content_type__app_label="diagnosis")
        )
    token, _ = Token.objects.get_or_create(user=user)
    return token.key
