from django.urls import path

from tsunagu.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.import_upload, name="index"),
    path("export/", views.export_download, name="export"),
]
