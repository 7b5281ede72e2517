"""Routes of the model registry API (mounted under /api/v1/)."""

from django.urls import path

from governance.api import views

urlpatterns = [
    path("models/", views.ModelVersionListApi.as_view(), name="model-list"),
    path("models/compare/", views.ModelVersionCompareApi.as_view(), name="model-compare"),
    path("models/<int:pk>/", views.ModelVersionDetailApi.as_view(), name="model-detail"),
]
