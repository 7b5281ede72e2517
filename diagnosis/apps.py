"""App configuration for diagnosis."""

from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "diagnosis"
