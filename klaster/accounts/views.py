import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.accounts import services
from klaster.accounts.forms import (
    AccountDeleteForm,
    ApiTokenCreateForm,
    RateLimitedAuthenticationForm,
    RateLimitedPasswordResetForm,
)
from klaster.members import gdpr


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = RateLimitedAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = RateLimitedPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def account(request):
    form = ApiTokenCreateForm()
    new_key = None
    if request.method == "POST":
        form = ApiTokenCreateForm(request.POST)
        if form.is_valid():
            _token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
            form = ApiTokenCreateForm()
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(
        request, "accounts/account.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    services.api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")


# --- Self-service under the GDPR: one's own data and account -------------------------------------


@login_required
def account_data(request):
    data = gdpr.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-klaster-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    if request.user.is_superuser:
        # The last superuser deleting themselves would lock everyone out of the admin.
        messages.error(request, _("A superuser account is removed by another administrator."))
        return redirect("accounts:account")
    form = AccountDeleteForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        gdpr.account_delete_self(user=request.user)
        logout(request)
        messages.success(request, _("Your account and your data were deleted."))
        return redirect("portal:home")
    return render(request, "accounts/account_delete.html", {"form": form})
