"""The suggestions the entry screens ask for while a note is typed (htmx)."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from tsunagu.accounts.decorators import AuthenticatedRequest
from tsunagu.core.access import rule
from tsunagu.core.params import IdField, QueryForm, TextField
from tsunagu.lib.fiscal import DateParseError, fiscal_year_of, parse_date
from tsunagu.records.models import NOTE_MAX_LENGTH
from tsunagu.suggest.services import suggest_categories


def _leave_session_unwritten(request: AuthenticatedRequest) -> None:
    """A race: when its session is refreshed (once a minute) this request would write it back
    as it read it, and one in flight while the form itself is submitted would wipe what
    the submit stored there (the saved-record message, the last place). It changes
    nothing in the session, so it does not write it; the form's own requests keep the
    session alive."""
    request.session.save = lambda must_create=False: None  # type: ignore[method-assign]


class SuggestionQuery(QueryForm):
    note = TextField(max_length=NOTE_MAX_LENGTH, strip=False)
    consulter_type = IdField()
    date = TextField()


@rule("record.create")  # as the entry screens: notes are personal data
@require_POST  # the note travels in the body, never in a URL or a server log
def category_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    """Up to three category buttons for the note typed so far; nothing (an empty
    fragment) when there is nothing to suggest, whatever was wrong with the input."""
    _leave_session_unwritten(request)
    query = SuggestionQuery.parse(request.POST)
    suggestions = []
    consulter_type = query.get("consulter_type")
    try:
        day = parse_date(query.get("date", ""))
    except DateParseError:
        day = None
    if consulter_type and day and query.get("note"):
        suggestions = suggest_categories(
            note=query["note"], consulter_type_id=consulter_type, fiscal_year=fiscal_year_of(day)
        )
    # A fragment without the page's context processors: it needs none of them.
    return HttpResponse(render_to_string("suggest/suggestions.html", {"suggestions": suggestions}))
