from django.db.models import Count

from klaster.members.models import Organisation


def public_overview() -> dict:
    """What the public home page says about the cluster: published members by kind."""
    published = Organisation.objects.filter(is_published=True)
    by_kind = dict(published.values_list("kind").annotate(n=Count("pk")))
    return {
        "total": published.count(),
        "smes": published.filter(is_sme=True).count(),
        "by_kind": [
            (label, by_kind.get(value, 0), value)
            for value, label in Organisation.Kind.choices
            if by_kind.get(value)
        ],
        "has_demo_data": published.filter(
            source__in=[Organisation.Source.DEMO_GENERATED, Organisation.Source.DEMO_CORDIS]
        ).exists(),
    }
