from django.urls import path

from tsunagu.cases import activity_views, need_views, referral_views, views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("counts/", views.counts, name="counts"),
    path("export/", views.export, name="export"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/status/", views.case_status, name="status"),
    path("<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("<int:pk>/records/link/", views.record_link, name="record_link"),
    path("<int:pk>/records/<int:record_pk>/unlink/", views.record_unlink, name="record_unlink"),
    path("<int:pk>/asks/new/", activity_views.ask_new, name="ask_new"),
    path("<int:pk>/asks/<int:ask_pk>/answer/", activity_views.ask_answer, name="ask_answer"),
    path("<int:pk>/matches/new/", activity_views.match_new, name="match_new"),
    path(
        "<int:pk>/matches/<int:match_pk>/review/",
        activity_views.match_review,
        name="match_review",
    ),
    path("<int:pk>/matches/<int:match_pk>/end/", activity_views.match_end, name="match_end"),
    path("<int:pk>/follow-ups/new/", activity_views.follow_up_new, name="follow_up_new"),
    path(
        "<int:pk>/follow-ups/<int:follow_up_pk>/done/",
        activity_views.follow_up_done,
        name="follow_up_done",
    ),
    path("<int:pk>/referrals/new/", referral_views.referral_new, name="referral_new"),
    path("referrals/", referral_views.referral_list, name="referral_list"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
    path(
        "referrals/from-record/<int:record_pk>/",
        referral_views.referral_from_record,
        name="referral_from_record",
    ),
    path("needs/", need_views.need_list, name="need_list"),
    path("needs/new/", need_views.need_new, name="need_new"),
    path("needs/<int:pk>/edit/", need_views.need_edit, name="need_edit"),
]
