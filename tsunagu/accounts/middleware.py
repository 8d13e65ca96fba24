"""Sessions that end after SESSION_IDLE_MINUTES without a request, written only when
something changed: a signed-in session's expiry is pushed forward at most once a minute
(the `_seen` stamp), instead of writing every session on every request
(SESSION_SAVE_EVERY_REQUEST), which on SQLite queued every page behind the one writer."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

SEEN_KEY = "_seen"


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - int(session.get(SEEN_KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
                session[SEEN_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)
