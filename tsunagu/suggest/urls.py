from django.urls import path

from tsunagu.suggest import views

app_name = "suggest"
urlpatterns = [
    path("categories/", views.category_suggestions, name="categories"),
]
