from django.contrib.auth import views as auth_views
from django.urls import include, path

from tsunagu.accounts.views import LoginView
from tsunagu.audit.views import audit_log
from tsunagu.core.views import dashboard, healthz

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("directory/", include("tsunagu.directory.urls")),
    path("staff/", include("tsunagu.accounts.urls")),
    path("records/", include("tsunagu.records.urls")),
    path("categories/", include("tsunagu.records.category_urls")),
    path("transfer/", include("tsunagu.transfer.urls")),
    path("reports/", include("tsunagu.reports.urls")),
    path("plans/", include("tsunagu.plans.urls")),
    path("grants/", include("tsunagu.grants.urls")),
    path("cases/", include("tsunagu.cases.urls")),
    path("volunteers/", include("tsunagu.volunteers.urls")),
    path("suggest/", include("tsunagu.suggest.urls")),
    path("audit/", audit_log, name="audit_log"),
    path("staff/api-tokens/", include("tsunagu.api.admin_urls")),
    path("api/v1/", include(("tsunagu.api.urls", "api"), namespace="api")),
    path("healthz/", healthz, name="healthz"),
]
