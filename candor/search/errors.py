"""Search's domain errors: a stable code and a message in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.search.text import MAX_QUERY_CHARS


class QueryTooLong(CandorError):
    status = 400
    code = "query_too_long"

    def __init__(self) -> None:
        message = _("Search with at most %(max)s characters.") % {"max": MAX_QUERY_CHARS}
        super().__init__(_("The search words are too long."), fields={"q": [str(message)]})


class SortInvalid(CandorError):
    status = 400
    code = "sort_invalid"

    def __init__(self) -> None:
        super().__init__(
            _("Please check the filters."),
            fields={"sort": [str(_("Sort by relevance, sales, price_asc, price_desc or newest."))]},
        )


class HistoryNotFound(CandorError):
    status = 404
    code = "search_history_not_found"

    def __init__(self) -> None:
        super().__init__(_("This search history entry was not found."))
