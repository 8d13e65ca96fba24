from django.urls import path

from tsunagu.records import category_views as views

app_name = "categories"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_create, name="type_create"),
    path("types/<int:pk>/", views.type_edit, name="type_edit"),
    # <slug>: "kinds" for the activity kinds, else a consulter type's id.
    path("<slug:slug>/", views.edit_list, name="edit"),
    path("<slug:slug>/merge/", views.merge_entries, name="merge"),
    path("<slug:slug>/<int:pk>/split/", views.split_entry, name="split"),
]
