from django.urls import path

from tsunagu.volunteers.views import matching, offers, registrations, requests

app_name = "volunteers"
urlpatterns = [
    path("", registrations.index, name="index"),
    path("registrations/", registrations.volunteer_list, name="volunteers"),
    path("registrations/new/", registrations.volunteer_new, name="volunteer_new"),
    path("registrations/<int:pk>/", registrations.volunteer_detail, name="volunteer"),
    path("registrations/<int:pk>/edit/", registrations.volunteer_edit, name="volunteer_edit"),
    path("registrations/<int:pk>/insurance/", registrations.insurance_new, name="insurance_new"),
    path("insurance/", registrations.insurance_list, name="insurance"),
    path(
        "insurance/<int:fiscal_year>/xlsx/", registrations.insurance_download, name="insurance_xlsx"
    ),
    path("insurance/<int:pk>/remove/", registrations.insurance_remove, name="insurance_remove"),
    path("offers/", offers.offer_list, name="offers"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/<int:pk>/", offers.offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", offers.offer_edit, name="offer_edit"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("requests/<int:pk>/match/", requests.request_match, name="request_match"),
    path("suggest/", matching.suggest, name="suggest"),
    path("matches/<int:pk>/review/", matching.match_review, name="match_review"),
    path("matches/<int:pk>/end/", matching.match_end, name="match_end"),
]
