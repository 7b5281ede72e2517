"""URL routes of the diagnosis API (mounted under /api/v1/)."""

from django.urls import path

from diagnosis.api import views

urlpatterns = [
    path("submissions/", views.SubmissionCreateApi.as_view(), name="submission-create"),
    path(
        "submissions/<str:external_id>/",
        views.SubmissionDetailApi.as_view(),
        name="submission-detail",
    ),
    path(
        "submissions/<str:external_id>/label/",
        views.SubmissionLabelApi.as_view(),
        name="submission-label",
    ),
    path(
        "learners/<str:user_id>/patterns/",
        views.LearnerPatternsApi.as_view(),
        name="learner-patterns",
    ),
    path(
        "learners/<str:user_id>/difficulty/",
        views.LearnerDifficultyApi.as_view(),
        name="learner-difficulty",
    ),
    path("learners/<str:user_id>/", views.LearnerEraseApi.as_view(), name="learner-erase"),
]
