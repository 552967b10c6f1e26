"""The audit trail: which rows django-auditlog records, and what it leaves out.

Registered in one place, so that what the cluster keeps a history of is readable at a glance.
Secrets (password hashes, tokens) and derived data (search documents, timestamps the row keeps
itself) are left out: the first must never be copied, the second are noise.
"""

from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.apps import apps

# model label -> fields left out of its history
AUDITED_MODELS: dict[str, list[str]] = {
    "members.Organisation": ["search_document", "created_at", "updated_at", "is_sme"],
    "members.Person": [],
    "members.Membership": [],
    "members.FeePayment": [],
    "members.MembershipTier": [],
    "trackrecord.Cooperation": ["created_at"],
    "trackrecord.ClusterProject": ["created_at", "updated_at"],
    "consortia.ProjectIdea": ["created_at", "updated_at"],
    "events.Event": ["created_at", "updated_at"],
    "accounts.User": ["password", "last_login", "date_joined"],
}


def register_audited_models() -> None:
    for label, excluded in AUDITED_MODELS.items():
        model = apps.get_model(label)
        # The row's own columns only: auditlog would also list reverse relations (an account's
        # tokens, an organisation's people) as "changed" on every creation.
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.name not in excluded and not f.primary_key
        ]
        if not auditlog.contains(model):
            auditlog.register(model, include_fields=fields)
    post_log.connect(tag_entry_with_organisation, dispatch_uid="klaster-audit-organisation")


def _organisations_of(instance) -> tuple[int | None, int | None]:
    """The organisation (and, for cooperation, the partner) whose history a change belongs to."""
    label = instance._meta.label
    if label == "members.Organisation":
        return instance.pk, None
    if label in ("members.Person", "members.Membership", "accounts.User"):
        return instance.organisation_id, None
    if label == "members.FeePayment":
        from klaster.members.models import Membership

        membership = Membership.objects.filter(pk=instance.membership_id).first()
        return (membership.organisation_id if membership else None), None
    if label == "trackrecord.Cooperation":
        return instance.organisation_a_id, instance.organisation_b_id
    if label == "consortia.ProjectIdea":
        return instance.owner_id, None
    return None, None


def tag_entry_with_organisation(sender, instance, log_entry=None, log_created=False, **kwargs):
    """Keep the organisation on the entry itself, so its history still finds the changes of
    rows deleted since (a removed contact person, a deleted cooperation entry)."""
    if not log_created or log_entry is None:
        return
    organisation_id, partner_id = _organisations_of(instance)
    if organisation_id is None and partner_id is None:
        return
    data = dict(log_entry.additional_data or {})
    data.update({"organisation_id": organisation_id, "partner_id": partner_id})
    type(log_entry).objects.filter(pk=log_entry.pk).update(additional_data=data)
    log_entry.additional_data = data
