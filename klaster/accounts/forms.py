from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from klaster.accounts import ratelimit


def client_address(request) -> str:
    """The visitor's address as the limiter counts it.

    Behind a reverse proxy REMOTE_ADDR is the proxy, so every visitor would share one address
    and its ceiling; with `TRUSTED_PROXY_COUNT` proxies in front, the address the outermost one
    saw is taken from X-Forwarded-For (counted from the right: what a client writes further left
    is not trusted).
    """
    if request is None:
        return "unknown"
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "unknown")


RATE_LIMITED = _("Too many failed sign-in attempts. Wait a few minutes, or reset your password.")


class RateLimitedLoginMixin:
    """Takes an attempt from the limiter before the password is checked, on every sign-in form.

    A locked username+address pair is refused even with the right password, and the attempt is
    taken first so that parallel guesses cannot all pass a check made before any was counted.
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        if not (username and self.cleaned_data.get("password")):
            return super().clean()  # nothing to check a password against
        address = client_address(self.request)
        if not ratelimit.login_attempt_take(username=username, client_address=address):
            raise forms.ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        cleaned = super().clean()  # a failure keeps its attempt counted
        ratelimit.login_succeeded(username=username, client_address=address)
        return cleaned


class RateLimitedAuthenticationForm(RateLimitedLoginMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "rate_limited": RATE_LIMITED}


class RateLimitedAdminAuthenticationForm(RateLimitedLoginMixin, AdminAuthenticationForm):
    """The Django admin's sign-in (staff only) through the same limiter."""

    error_messages = {**AdminAuthenticationForm.error_messages, "rate_limited": RATE_LIMITED}


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Sends reset e-mails within the limits per e-mail address and per client address.

    Over the limit nothing is sent, and the page says the same neutral thing as always, so the
    form neither floods an inbox nor tells whether an address has an account.
    """

    def save(self, **kwargs):
        request = kwargs.get("request")
        if ratelimit.password_reset_email_take(
            email=self.cleaned_data["email"], client_address=client_address(request)
        ):
            super().save(**kwargs)


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)


class AccountDeleteForm(forms.Form):
    """Deleting one's own account asks for the password: a borrowed session must not do it."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my data are deleted and cannot be restored."),
        required=True,
    )

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        # The same limiter as every sign-in: a borrowed session must not guess the password here.
        password = self.cleaned_data.get("password", "")
        address = client_address(self.request)
        if not ratelimit.login_attempt_take(username=self.user.username, client_address=address):
            raise forms.ValidationError(RATE_LIMITED, code="rate_limited")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        ratelimit.login_succeeded(username=self.user.username, client_address=address)
        return password
