from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Polish unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Polish cluster's
    site speaks Polish first, and a visitor switches with one click (the choice is a cookie).
    Two kinds of request carry no cookie: the API follows Accept-Language, and an iCal feed the
    `lang` its link was given on the page.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _name in settings.LANGUAGES}
        if request.path_info.endswith(".ics") and request.GET.get("lang") in available:
            # A calendar app fetches the feed without the reader's cookie; the link the reader
            # copied from a page carries the language that page spoke.
            chosen = request.GET["lang"]
        if chosen not in available and request.path_info.startswith(API_PREFIX):
            # A program calling the API has no language switch: it asks with Accept-Language.
            chosen = self._accepted(request, available)
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def _accepted(request, available: set[str]) -> str:
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        for accepted, _quality in parse_accept_lang_header(header):
            code = accepted.split("-")[0].lower()
            if code in available:
                return code
        return ""
