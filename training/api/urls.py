"""Routes of the training API (mounted under /api/v1/)."""

from django.urls import path

from training.api import views

urlpatterns = [
    path("training-runs/", views.TrainingRunCreateApi.as_view(), name="training-run-create"),
    path("training-runs/<int:pk>/", views.TrainingRunDetailApi.as_view(), name="training-run"),
]
