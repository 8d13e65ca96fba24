"""Responses that carry personal data are never kept by the browser.

A shared office PC keeps whatever its browser caches: after logout, the next person
could open a case page or a downloaded export from the cache. Every response to a
signed-in user, and every download, is therefore `Cache-Control: no-store`. Static
files (served by whitenoise before this middleware) keep their long cache."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = "attachment" in response.get("Content-Disposition", "")
        api = request.path.startswith("/api/")  # signed in by token, not by session
        if download or api or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
