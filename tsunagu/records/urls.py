from django.urls import path

from tsunagu.records import outing_views, views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_new, name="new"),
    path("choices/", views.record_choices, name="choices"),
    path("outing/", outing_views.outing_new, name="outing"),
    path("outing/choices/", outing_views.outing_choices, name="outing_choices"),
    path("trash/", views.trash, name="trash"),
    path("lookup/<slug:source>/", views.lookup, name="lookup"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/edit/", views.record_edit, name="edit"),
    path("<int:pk>/delete/", views.record_delete, name="delete"),
    path("<int:pk>/restore/", views.record_restore, name="restore"),
    path("<int:pk>/purge/", views.record_purge, name="purge"),
]
