from django.urls import path

from tsunagu.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.entry_list, name="list"),
    path("<slug:slug>/new/", views.entry_create, name="create"),
    path("<slug:slug>/<int:pk>/", views.entry_edit, name="edit"),
    path("<slug:slug>/<int:pk>/active/", views.entry_set_active, name="set_active"),
]
