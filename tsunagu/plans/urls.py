from django.urls import path

from tsunagu.plans import region_views, views

app_name = "plans"
urlpatterns = [
    path("", region_views.index, name="index"),
    path("overview/", region_views.overview, name="overview"),
    path("regions/<int:pk>/", region_views.region_page, name="region"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("<int:pk>/print/", views.plan_print, name="print"),
    path("<int:pk>/status/<int:year>/", views.status_edit, name="status"),
    path("<int:pk>/records/", views.plan_records, name="records"),
    path("<int:pk>/export.xlsx", views.export_one, name="export_one"),
    path("link/", views.record_link, name="link"),
    path("export.xlsx", views.export_all, name="export"),
    path("import/", views.import_upload, name="import"),
    path("targets/", views.target_list, name="targets"),
    path("targets/defaults/", views.target_defaults, name="target_defaults"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/active/", views.target_set_active, name="target_active"),
]
