from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from klaster.accounts.models import ApiToken


class ApiTokenAuth(HttpBearer):
    """Bearer tokens for programs; the browser session for pages; anonymous for public reads.

    A request without an Authorization header falls back to the session (with the CSRF check
    that a session needs on writes) or to an anonymous visitor, who sees only what the public
    sees. A request with a wrong token is refused outright rather than treated as anonymous.
    """

    def __call__(self, request):
        if "Authorization" not in request.headers:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
                    return None
                return user
            return AnonymousUser()
        return super().__call__(request)

    def authenticate(self, request, token):
        token_row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True)
            .first()
        )
        if token_row is None or not token_row.user.is_active:
            return None
        ApiToken.objects.filter(pk=token_row.pk).update(last_used_at=timezone.now())
        request.user = token_row.user
        return token_row.user
