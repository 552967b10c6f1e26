"""Writes of the track record: CORDIS imports, links to cluster organisations, the cooperation
log and cluster projects. Every write a person sees runs in one transaction."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.common.roles import is_cluster_staff
from klaster.core import linking
from klaster.jobs.registry import JobKind
from klaster.members import permissions as member_permissions
from klaster.members.models import Organisation
from klaster.trackrecord import permissions
from klaster.trackrecord.importer import ImportResult, Progress, cordis_import_files
from klaster.trackrecord.models import (
    ClusterProject,
    Cooperation,
    CordisOrganisation,
    LinkSuggestion,
)

AUTO_METHODS = (
    CordisOrganisation.LinkMethod.PIC,
    CordisOrganisation.LinkMethod.VAT,
    CordisOrganisation.LinkMethod.NAME_CITY,
)


def cordis_import(
    *,
    cordis_path: str | Path | None,
    h2020_path: str | Path | None = None,
    h2020_programme_parts: str | Path | None = None,
    user=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a CORDIS download and/or H2020 participations: all rows or none (see importer)."""
    return cordis_import_files(
        cordis_path=cordis_path,
        h2020_path=h2020_path,
        h2020_programme_parts=h2020_programme_parts,
        user=user,
        progress=progress,
    )


# --- Linking -----------------------------------------------------------------------------------


def _cluster_for_linking() -> list[linking.ClusterOrganisation]:
    rows = Organisation.objects.values_list(
        "pk", "name", "city", "nip", "vat_number", "pic", "country"
    )
    return [
        linking.ClusterOrganisation(
            id=pk,
            name=name,
            city=city,
            nip=nip,
            vat_number=vat,
            pic=pic or "",
            country=country or "PL",
        )
        for pk, name, city, nip, vat, pic, country in rows
    ]


@transaction.atomic
def organisations_link(*, progress: Progress | None = None) -> dict:
    """Link CORDIS organisations to cluster organisations (PIC, VAT/NIP, name + city).

    Certain matches link at once; uncertain ones wait in the review queue. Staff decisions
    (and demo links) are kept; a rejected pair is never proposed again.
    """
    if progress:
        progress(0, 1, _("Linking organisations"))
    cluster = _cluster_for_linking()
    countries = {o.country for o in cluster} | {"PL"}
    pics = {o.pic for o in cluster if o.pic}
    candidates = CordisOrganisation.objects.filter(Q(country__in=countries) | Q(pic__in=pics))
    decided = {
        (pic, organisation_id): status
        for pic, organisation_id, status in LinkSuggestion.objects.values_list(
            "cordis_organisation__pic", "organisation_id", "status"
        )
    }
    rejected = {
        pair for pair, status in decided.items() if status == LinkSuggestion.Status.REJECTED
    }
    kept = dict(
        candidates.exclude(link_method__in=AUTO_METHODS)
        .exclude(organisation=None)
        .values_list("pic", "organisation_id")
    )
    entries = [
        linking.CordisEntry(
            pic=pic, name=name, city=city, vat_number=vat, country=country, short_name=short
        )
        for pic, name, city, vat, country, short in candidates.values_list(
            "pic", "name", "city", "vat_number", "country", "short_name"
        )
        if pic not in kept
    ]
    matches = linking.match_organisations(cluster, entries, rejected=rejected)
    # A cluster organisation that staff (or the demo) already tied to a PIC is not re-proposed.
    taken = set(kept.values())
    certain = {m.pic: m for m in matches if m.certain and m.organisation_id not in taken}
    uncertain = [m for m in matches if not m.certain and m.organisation_id not in taken]

    by_pic = {
        o.pic: o
        for o in candidates.filter(Q(pic__in=certain) | Q(link_method__in=AUTO_METHODS)).only(
            "pk", "pic", "organisation_id", "link_method"
        )
    }
    changed = []
    for pic, organisation in by_pic.items():
        match = certain.get(pic)
        if match is None:
            if organisation.link_method in AUTO_METHODS:
                organisation.organisation_id, organisation.link_method = None, ""
                changed.append(organisation)
        elif (organisation.organisation_id, organisation.link_method) != (
            match.organisation_id,
            match.method,
        ):
            organisation.organisation_id, organisation.link_method = (
                match.organisation_id,
                match.method,
            )
            changed.append(organisation)
    CordisOrganisation.objects.bulk_update(
        changed, ["organisation_id", "link_method"], batch_size=500
    )

    pks = dict(
        CordisOrganisation.objects.filter(pic__in=[m.pic for m in uncertain]).values_list(
            "pic", "pk"
        )
    )
    new_suggestions = [
        LinkSuggestion(
            cordis_organisation_id=pks[m.pic],
            organisation_id=m.organisation_id,
            score=m.score,
            reason=m.reason[:300],
        )
        for m in uncertain
        if (m.pic, m.organisation_id) not in decided
    ]
    LinkSuggestion.objects.bulk_create(new_suggestions, ignore_conflicts=True)
    methods = Counter(m.method for m in certain.values())
    return {
        "linked": len(certain),
        "by_pic": methods.get(linking.PIC, 0),
        "by_vat": methods.get(linking.VAT, 0),
        "by_name_city": methods.get(linking.NAME_CITY, 0),
        "kept": len(kept),
        "changed": len(changed),
        "new_suggestions": len(new_suggestions),
        "pending": LinkSuggestion.objects.filter(status=LinkSuggestion.Status.PENDING).count(),
    }


def linking_summary(outcome: dict) -> str:
    """What the linking did, in the active language (it follows the import's summary)."""
    return _(
        "Linked %(linked)s CORDIS organisations to cluster organisations (PIC %(by_pic)s, "
        "VAT %(by_vat)s, name and city %(by_name_city)s); %(pending)s waiting for review."
    ) % {
        key: outcome.get(key, 0)
        for key in ("linked", "by_pic", "by_vat", "by_name_city", "pending")
    }


@transaction.atomic
def link_suggestion_decide(*, suggestion: LinkSuggestion, accept: bool, user) -> LinkSuggestion:
    """Staff accept (link) or reject (never propose again) a suggested link."""
    if not is_cluster_staff(user):
        raise PermissionDenied(_("Only coordinator staff review links."))
    suggestion.status = LinkSuggestion.Status.ACCEPTED if accept else LinkSuggestion.Status.REJECTED
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    record = CordisOrganisation.objects.select_for_update().get(
        pk=suggestion.cordis_organisation_id
    )
    if accept:
        record.organisation_id = suggestion.organisation_id
        record.link_method = CordisOrganisation.LinkMethod.STAFF
        record.save(update_fields=["organisation", "link_method"])
        # The other proposals for this PIC are settled by the decision.
        LinkSuggestion.objects.filter(
            cordis_organisation_id=record.pk, status=LinkSuggestion.Status.PENDING
        ).update(status=LinkSuggestion.Status.REJECTED, decided_by=user, decided_at=timezone.now())
    elif record.organisation_id == suggestion.organisation_id:
        record.organisation_id, record.link_method = None, ""
        record.save(update_fields=["organisation", "link_method"])
    return suggestion


# --- Cooperation log and cluster projects -------------------------------------------------------


@transaction.atomic
def cooperation_record(*, user, data: dict, cooperation: Cooperation | None = None) -> Cooperation:
    """Create or change an entry of the cooperation log.

    `data` holds the cleaned form fields. A member editor may record only cooperation their own
    organisation took part in, and change only such entries.
    """
    organisation_a, organisation_b = data["organisation_a"], data["organisation_b"]
    if organisation_a.pk == organisation_b.pk:
        raise ValueError(_("Cooperation takes two different organisations."))
    if cooperation is not None and not permissions.can_change_cooperation(user, cooperation):
        raise PermissionDenied(_("You may change only your own organisation's cooperation."))
    if not permissions.can_record_cooperation(user, organisation_a.pk, organisation_b.pk):
        raise PermissionDenied(_("You may record only cooperation of your own organisation."))
    cooperation = cooperation or Cooperation(recorded_by=user)
    for name in (
        "kind",
        "date",
        "organisation_a",
        "organisation_b",
        "people",
        "notes",
        "visibility",
        "cluster_project",
    ):
        if name in data:
            setattr(cooperation, name, data[name])
    _set_confirmation(cooperation=cooperation, user=user)
    cooperation.save()
    return cooperation


def _set_confirmation(*, cooperation: Cooperation, user) -> None:
    """Who must confirm the entry as it now reads. Any member's change to a public entry asks
    the other party again: they confirmed the old wording, not the new one."""
    if cooperation.visibility != Cooperation.Visibility.PUBLIC:
        cooperation.confirmation = Cooperation.Confirmation.CONFIRMED
        cooperation.awaiting_organisation = None
        return
    if not member_permissions.can_make_public_claims(user):
        raise PermissionDenied(
            _(
                "Public entries can be recorded once staff accept your membership. "
                "Record the cooperation as private for now."
            )
        )
    if is_cluster_staff(user):
        cooperation.confirmation = Cooperation.Confirmation.CONFIRMED
        cooperation.awaiting_organisation = None
        cooperation.confirmed_by = user
        cooperation.confirmed_at = timezone.now()
        return
    own = user.organisation_id
    other = (
        cooperation.organisation_b
        if cooperation.organisation_a_id == own
        else cooperation.organisation_a
    )
    cooperation.confirmation = Cooperation.Confirmation.PENDING
    cooperation.awaiting_organisation = other
    cooperation.confirmed_by = None
    cooperation.confirmed_at = None


@transaction.atomic
def cooperation_confirm(*, user, cooperation: Cooperation, accept: bool) -> Cooperation:
    """The other party (or staff) confirms a pending public entry, or declines it; a declined
    entry stays visible to the two parties and staff only."""
    if not permissions.can_confirm_cooperation(user, cooperation):
        raise PermissionDenied(
            _("Only the other organisation or cluster staff may confirm this entry.")
        )
    if accept:
        cooperation.confirmation = Cooperation.Confirmation.CONFIRMED
        cooperation.confirmed_by = user
        cooperation.confirmed_at = timezone.now()
    else:
        cooperation.confirmation = Cooperation.Confirmation.DECLINED
    cooperation.awaiting_organisation = None
    cooperation.save(
        update_fields=["confirmation", "confirmed_by", "confirmed_at", "awaiting_organisation"]
    )
    return cooperation


@transaction.atomic
def cooperation_delete(*, user, cooperation: Cooperation) -> None:
    if not permissions.can_change_cooperation(user, cooperation):
        raise PermissionDenied(_("You may change only your own organisation's cooperation."))
    cooperation.delete()


@transaction.atomic
def cluster_project_save(
    *, user, data: dict, project: ClusterProject | None = None
) -> ClusterProject:
    if not permissions.can_edit_cluster_project(user, project):
        raise PermissionDenied(_("Only coordinator staff and the project's partners edit it."))
    project = project or ClusterProject(created_by=user)
    for name in (
        "name",
        "status",
        "thematic_area",
        "budget_eur",
        "funding_programme",
        "start_date",
        "end_date",
        "description",
        "outcomes",
    ):
        if name in data:
            setattr(project, name, data[name])
    project.save()
    if "partners" in data:
        partners = list(data["partners"])
        if not is_cluster_staff(user) and user.organisation_id not in {p.pk for p in partners}:
            raise PermissionDenied(_("Your organisation must stay a partner of the project."))
        project.partners.set(partners)
    return project


# --- Imports started from the staff page ---------------------------------------------------------


def cordis_import_start(*, user, cordis_file=None, h2020_file=None):
    """Keep the uploaded files and queue the import as a background job; returns the job."""
    from klaster.jobs.services import job_create, job_enqueue, upload_keep

    if not is_cluster_staff(user):
        raise PermissionDenied(_("Only coordinator staff import CORDIS data."))
    names = [f.name for f in (cordis_file, h2020_file) if f]
    with transaction.atomic():
        job = job_create(
            kind=JobKind.CORDIS_IMPORT,
            title=_("CORDIS import of %(files)s") % {"files": ", ".join(names)},
            # Kept in the database, so a worker on another machine reads them too.
            parameters={
                **{
                    f"{name}_upload": upload_keep(
                        owner=user, kind=f"cordis:{name}", filename=f.name, chunks=f.chunks()
                    ).token
                    for name, f in (("cordis", cordis_file), ("h2020", h2020_file))
                    if f
                },
            },
            user=user,
        )
        job_enqueue(job=job)
    return job
