from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.common.redirects import next_or
from klaster.common.roles import is_cluster_staff, require_cluster_staff
from klaster.members import permissions, selectors, services
from klaster.members.forms import (
    AuditFilterForm,
    DirectoryFilterForm,
    FeePaidForm,
    FeeYearForm,
    IssueFeesForm,
    MembershipApplicationForm,
    PersonForm,
    organisation_form_class,
)
from klaster.members.models import FeePayment, MembershipTier, Organisation, Person
from klaster.members.profile import profile_sections

DIRECTORY_PAGE_SIZE = 24
FEES_PAGE_SIZE = 50


def directory(request):
    form = DirectoryFilterForm(request.GET or None, language=get_language())
    results = selectors.organisation_search(user=request.user, filters=form.filters())
    page = Paginator(
        results.prefetch_related("sectors", "competences"), DIRECTORY_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query.urlencode(),
        "competences": selectors.competence_facets(),
        "cities": selectors.city_facets(user=request.user),
        "voivodeships": selectors.VOIVODESHIPS,
    }
    template = (
        "members/partials/directory_results.html" if request.htmx else "members/directory.html"
    )
    return render(request, template, context)


def _visible_or_404(request, organisation_id: int) -> Organisation:
    try:
        return selectors.organisation_get_visible(
            user=request.user, organisation_id=organisation_id
        )
    except Organisation.DoesNotExist:
        raise Http404(_("No such organisation in the directory.")) from None


def organisation_detail(request, organisation_id: int):
    organisation = _visible_or_404(request, organisation_id)
    context = {
        "organisation": organisation,
        "description": organisation.description(get_language()),
        "people": permissions.people_visible_to(request.user, organisation),
        "show_contacts": permissions.can_see_contact_details(request.user),
        "can_edit": permissions.can_edit_organisation(request.user, organisation),
        "show_investor_fields": permissions.can_see_investor_fields(request.user, organisation),
        "show_membership": is_cluster_staff(request.user)
        or permissions.can_edit_organisation(request.user, organisation),
    }
    context["profile_sections"], section_context = profile_sections(request, organisation)
    return render(request, "members/detail.html", {**section_context, **context})


@login_required
def organisation_edit(request, organisation_id: int):
    organisation = _visible_or_404(request, organisation_id)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("You may edit only your own organisation."))
    form_class = organisation_form_class(request.user, organisation)
    form = form_class(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_save_from_form(form=form, editor=request.user)
        messages.success(request, _("The profile was saved."))
        return redirect("members:detail", organisation_id=organisation.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "is_candidate": permissions.is_candidate(organisation),
    }
    return render(request, "members/edit.html", context)


@login_required
def my_organisation(request):
    if not request.user.organisation_id:
        messages.info(request, _("Your account is not linked to an organisation."))
        return redirect("members:directory")
    return redirect("members:edit", organisation_id=request.user.organisation_id)


@login_required
def people(request, organisation_id: int):
    organisation = _visible_or_404(request, organisation_id)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("You may edit only the people of your own organisation."))
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_save_from_form(form=form, organisation=organisation, editor=request.user)
        messages.success(request, _("The person was added."))
        return redirect("members:people", organisation_id=organisation.pk)
    context = {"organisation": organisation, "people": organisation.people.all(), "form": form}
    return render(request, "members/people.html", context)


def _person_of(request, organisation_id: int, person_id: int) -> Person:
    organisation = _visible_or_404(request, organisation_id)
    person = get_object_or_404(Person, pk=person_id, organisation=organisation)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied(_("You may edit only the people of your own organisation."))
    return person


@login_required
def person_edit(request, organisation_id: int, person_id: int):
    person = _person_of(request, organisation_id, person_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_save_from_form(
            form=form, organisation=person.organisation, editor=request.user
        )
        messages.success(request, _("The person was saved."))
        return redirect("members:people", organisation_id=organisation_id)
    return render(
        request,
        "members/person_edit.html",
        {"organisation": person.organisation, "person": person, "form": form},
    )


@login_required
@require_POST
def person_delete(request, organisation_id: int, person_id: int):
    person = _person_of(request, organisation_id, person_id)
    services.person_delete(person=person, editor=request.user)
    messages.success(request, _("The person was removed."))
    return redirect("members:people", organisation_id=organisation_id)


@login_required
def fees(request):
    require_cluster_staff(request)
    today = timezone.localdate()
    issue_form = IssueFeesForm(
        request.POST or None, initial={"year": today.year, "due_on": today.replace(month=3, day=31)}
    )
    if request.method == "POST" and issue_form.is_valid():
        created = services.fees_issue_for_year(
            year=issue_form.cleaned_data["year"],
            due_on=issue_form.cleaned_data["due_on"],
            editor=request.user,
        )
        messages.success(request, _("%(n)d fees issued.") % {"n": created})
        return redirect("members:fees")
    state = request.GET.get("state", "overdue")
    year, status = today.year, 200
    if request.GET.get("year"):
        year_form = FeeYearForm(request.GET)
        if year_form.is_valid():
            year = year_form.cleaned_data["year"]
        else:
            # A mistyped address is the reader's error (400), shown on the page they wanted.
            status = 400
            for error in year_form.errors["year"]:
                messages.error(
                    request, _("%(error)s Showing %(year)d.") % {"error": error, "year": year}
                )
    context = {
        "situation": selectors.fee_situation(year=year, today=today),
        "fees": Paginator(
            selectors.fees_list(year=year, state=state, today=today), FEES_PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "state": state,
        "year": year,
        "issue_form": issue_form,
        "paid_form": FeePaidForm(initial={"paid_on": today}),
        "today": today,
    }
    return render(request, "members/fees.html", context, status=status)


@login_required
@require_POST
def fee_paid(request, fee_id: int):
    require_cluster_staff(request)
    fee = get_object_or_404(FeePayment, pk=fee_id)
    form = FeePaidForm(request.POST)
    if form.is_valid():
        services.fee_mark_paid(
            fee=fee,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
            editor=request.user,
        )
        messages.success(
            request, _("Payment recorded for %(org)s.") % {"org": fee.membership.organisation}
        )
    else:
        messages.error(request, _("Give the payment date."))
    return redirect(next_or(request, "members:fees"))


def join(request):
    if request.user.is_authenticated and request.user.organisation_id:
        return redirect("members:detail", organisation_id=request.user.organisation_id)
    form = MembershipApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.membership_apply(form=form)
        login(
            request, organisation.editors.get(), backend="django.contrib.auth.backends.ModelBackend"
        )
        messages.success(
            request,
            _(
                "Thank you! Your application is with the coordinator. You can complete your "
                "profile now; it appears in the directory once the membership is accepted."
            ),
        )
        return redirect("members:detail", organisation_id=organisation.pk)
    return render(request, "members/join.html", {"form": form})


@login_required
def candidates(request):
    require_cluster_staff(request)
    context = {
        "candidates": selectors.membership_candidates(),
        "tiers": MembershipTier.objects.all(),
    }
    return render(request, "members/candidates.html", context)


@login_required
@require_POST
def candidate_decide(request, organisation_id: int):
    require_cluster_staff(request)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if request.POST.get("decision") == "accept":
        tier = MembershipTier.objects.filter(pk=request.POST.get("tier") or None).first()
        services.membership_accept(organisation=organisation, editor=request.user, tier=tier)
        messages.success(request, _("%(org)s is now a member.") % {"org": organisation.name})
    elif request.POST.get("decision") == "reject":
        name = organisation.name
        services.membership_reject(organisation=organisation, editor=request.user)
        messages.success(request, _("The application of %(org)s was rejected.") % {"org": name})
    return redirect("members:candidates")


# --- Audit trail ----------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request):
    require_cluster_staff(request)
    form = AuditFilterForm(request.GET or None, models=selectors.audit_models())
    filters = selectors.AuditFilters()
    if form.is_valid():
        filters = selectors.AuditFilters(**form.cleaned_data)
    entries = selectors.audit_entries(filters=filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    return render(request, "members/audit_log.html", context)


@login_required
def organisation_history(request, organisation_id: int):
    organisation = _visible_or_404(request, organisation_id)
    if not permissions.can_see_organisation_history(request.user, organisation):
        raise PermissionDenied(_("Only cluster staff and the organisation's editors see this."))
    entries = selectors.organisation_history(user=request.user, organisation=organisation)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organisation": organisation, "page": page}
    return render(request, "members/history.html", context)
