"""URL routes of the memory API (mounted under /api/v1/)."""

from django.urls import path

from memory.api import views

urlpatterns = [
    path(
        "learners/<str:user_id>/memories/",
        views.LearnerMemoryListApi.as_view(),
        name="learner-memories",
    ),
    path("memories/search/", views.MemorySearchApi.as_view(), name="memory-search"),
]
