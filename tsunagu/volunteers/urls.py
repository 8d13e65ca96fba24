from django.urls import path

from tsunagu.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.index, name="index"),
    path("registrations/", views.volunteer_list, name="volunteers"),
    path("registrations/new/", views.volunteer_new, name="volunteer_new"),
    path("registrations/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("registrations/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("registrations/<int:pk>/insurance/", views.insurance_new, name="insurance_new"),
    path("insurance/", views.insurance_list, name="insurance"),
    path("insurance/<int:fiscal_year>/xlsx/", views.insurance_download, name="insurance_xlsx"),
    path("insurance/<int:pk>/remove/", views.insurance_remove, name="insurance_remove"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/match/", views.request_match, name="request_match"),
    path("suggest/", views.suggest, name="suggest"),
    path("matches/<int:pk>/review/", views.match_review, name="match_review"),
    path("matches/<int:pk>/end/", views.match_end, name="match_end"),
]
