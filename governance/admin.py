"""The control room: review versions with their evidence, then approve, reject, activate or
roll back through actions that confirm, ask for a reason and call a service."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from governance import services
from governance.core.lifecycle import GovernanceError
from governance.models import (
    ActivationLog,
    Approval,
    ConfigVersion,
    GovernedVersion,
    ModelArtifact,
    ModelVersion,
)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), required=True)


def _confirm_and_run(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    explanation: str,
    run: Callable[[GovernedVersion, str], Any],
) -> HttpResponse | None:
    """Show a confirmation page with a reason field; on confirm, call `run` for each version."""
    form = ReasonForm(request.POST if request.POST.get("confirmed") else None)
    if request.POST.get("confirmed") and form.is_valid():
        for version in queryset:
            try:
                run(version, form.cleaned_data["reason"])
            except GovernanceError as exc:
                modeladmin.message_user(request, f"{version}: {exc}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{version}: {title.lower()} done.")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "explanation": explanation,
        "objects": list(queryset),
        "form": form,
        "action": action,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/governance/confirm_action.html", context)


class GovernedVersionAdmin(SimpleHistoryAdmin):
    """Shared actions; each is shown only to users holding its permission."""

    approve_permission = ""
    activate_permission = ""
    readonly_fields = ("author", "approved_by", "approved_at", "created_at", "updated_at")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.approve_permission)

    def has_activate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.activate_permission)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from training or proposals, never typed in by hand

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Approve selected (four-eyes)", permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return _confirm_and_run(
            self,
            request,
            queryset,
            action="approve",
            title="Approve",
            explanation="Approving records your decision and the evidence hash; it activates "
            "nothing. You may not approve a version you authored.",
            run=lambda v, reason: services.version_approve(
                version=v, approver=request.user, reason=reason
            ),
        )

    @admin.action(description="Reject selected", permissions=["approve"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return _confirm_and_run(
            self,
            request,
            queryset,
            action="reject",
            title="Reject",
            explanation="Rejecting is final for these versions; say why.",
            run=lambda v, reason: services.version_reject(
                version=v, rejected_by=request.user, reason=reason
            ),
        )

    @admin.action(description="Activate selected (serves learners)", permissions=["activate"])
    def activate(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return _confirm_and_run(
            self,
            request,
            queryset,
            action="activate",
            title="Activate",
            explanation="The version will serve every request from now on; the active one is "
            "retired. Only approved, compatible versions can be activated.",
            run=lambda v, reason: services.version_activate(
                version=v, activated_by=request.user, reason=reason
            ),
        )

    @admin.action(description="Roll back the selected active version", permissions=["activate"])
    def rollback(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return _confirm_and_run(
            self,
            request,
            queryset,
            action="rollback",
            title="Roll back",
            explanation="The version that was active before this one serves again, at once, "
            "on every process.",
            run=lambda v, reason: services.version_rollback(
                current=v, rolled_back_by=request.user, reason=reason
            ),
        )

    actions = ["approve", "reject", "activate", "rollback"]


class ArtifactInline(admin.TabularInline):
    model = ModelArtifact
    fields = ("name", "sha256", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ModelVersion)
class ModelVersionAdmin(GovernedVersionAdmin):
    approve_permission = "governance.approve_modelversion"
    activate_permission = "governance.activate_modelversion"
    list_display = ("version", "model_type", "status", "author", "approved_by", "created_at")
    list_filter = ("status", "model_type")
    search_fields = ("version",)
    inlines = [ArtifactInline]
    readonly_fields = (
        "version",
        "model_type",
        "status",
        "feature_schema_version",
        "feature_schema_sha256",
        "taxonomy_version",
        "bundle_sha256",
        "metrics_table",
        "plots",
        *GovernedVersionAdmin.readonly_fields,
    )
    exclude = ("metrics",)

    @admin.display(description="metrics")
    def metrics_table(self, obj: ModelVersion) -> str:
        rows = sorted((k, v) for k, v in obj.metrics.items() if not isinstance(v, dict | list))
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description="plots")
    def plots(self, obj: ModelVersion) -> str:
        svgs = obj.artifacts.filter(name__endswith=".svg").order_by("name")
        return format_html_join(
            "",
            '<figure><figcaption>{}</figcaption><img alt="{}" src="data:image/svg+xml;base64,{}">'
            "</figure>",
            ((a.name, a.name, base64.b64encode(a.content.encode()).decode()) for a in svgs),
        )


@admin.register(ConfigVersion)
class ConfigVersionAdmin(GovernedVersionAdmin):
    approve_permission = "governance.approve_configversion"
    activate_permission = "governance.activate_configversion"
    list_display = ("version", "status", "author", "approved_by", "created_at")
    list_filter = ("status",)
    search_fields = ("version",)
    readonly_fields = (
        "version",
        "status",
        "values",
        "change_summary",
        *GovernedVersionAdmin.readonly_fields,
    )


@admin.register(Approval)
class ApprovalAdmin(SimpleHistoryAdmin):
    list_display = ("decided_at", "decision", "model_version", "config_version", "decided_by")
    list_filter = ("decision",)
    readonly_fields = [f.name for f in Approval._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActivationLog)
class ActivationLogAdmin(SimpleHistoryAdmin):
    list_display = ("at", "kind", "action", "model_version", "config_version", "performed_by")
    list_filter = ("kind", "action")
    readonly_fields = [f.name for f in ActivationLog._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
