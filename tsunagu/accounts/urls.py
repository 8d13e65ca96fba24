from django.urls import path

from tsunagu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    path("<int:pk>/", views.user_edit, name="edit"),
    path("<int:pk>/password/", views.user_password, name="password"),
    path("<int:pk>/active/", views.user_set_active, name="set_active"),
    path("<int:pk>/unlock/", views.user_unlock, name="unlock"),
]
