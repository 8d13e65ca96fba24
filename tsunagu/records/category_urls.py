from django.urls import URLPattern

app_name = "categories"
urlpatterns: list[URLPattern] = []
