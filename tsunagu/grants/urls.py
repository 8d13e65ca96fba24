from django.urls import path

from tsunagu.grants import views

app_name = "grants"
urlpatterns = [
    path("", views.index, name="index"),
    path("year/<int:fy>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("year/<int:fy>/settings/", views.programme_edit, name="programme"),
    path("year/<int:fy>/apply/<int:region>/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/application/", views.application_edit, name="application_edit"),
    path("<int:pk>/step/<slug:step>/", views.take_step, name="step"),
    path("fundraising/", views.fundraising, name="fundraising"),
    path("fundraising/<int:fy>/", views.fundraising_edit, name="fundraising_edit"),
    path("fundraising/lists/", views.fundraising_lists, name="fundraising_lists"),
]
