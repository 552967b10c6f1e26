"""Reads for the consortium builder."""

from __future__ import annotations

from django.db import DatabaseError

from klaster.members.models import Membership, Organisation


def cluster_member_pics() -> frozenset[str]:
    """PICs of the cluster's member organisations, for "prefer cluster members".

    An empty set when the registry is not there (the evaluation command runs without a database).
    """
    try:
        return frozenset(
            Organisation.objects.filter(membership__status=Membership.Status.ACTIVE)
            .exclude(pic__isnull=True)
            .exclude(pic="")
            .values_list("pic", flat=True)
        )
    except DatabaseError:
        return frozenset()
