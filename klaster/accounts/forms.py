from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from klaster.accounts import ratelimit


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown") if request else "unknown"


class RateLimitedAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _(
            "Too many failed sign-in attempts. Wait a few minutes, or reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if ratelimit.login_is_blocked(username=username, client_address=address):
            raise forms.ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            ratelimit.login_failed(username=username, client_address=address)
            raise
        ratelimit.login_succeeded(username=username, client_address=address)
        return cleaned


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
