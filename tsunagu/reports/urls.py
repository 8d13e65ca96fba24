from django.urls import path

from tsunagu.reports import views
from tsunagu.reports.book.views import book_download

app_name = "reports"
urlpatterns = [
    path("", views.report_page, name="page"),
    path("download/", views.report_download, name="download"),
    path("close/", views.year_close, name="close"),
    path("reopen/", views.year_reopen, name="reopen"),
    path("compare/", views.compare_page, name="compare"),
    path("book/", book_download, name="book"),
    path("monthly/", views.monthly_page, name="monthly"),
    path("monthly/download/", views.monthly_download, name="monthly_download"),
]
