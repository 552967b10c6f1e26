"""Marks the network's data as changed whenever a row it is built from is written one by one.

Cached network computations are keyed by `selectors.network_version()`; row counts alone miss
edits (a renamed member, a changed sector, a relinked CORDIS record), so every single-row write
of these models moves the version on. Bulk imports send no signals; the counts catch those.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from klaster.members.models import Membership, Organisation
from klaster.trackrecord import selectors
from klaster.trackrecord.models import (
    Cooperation,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)

NETWORK_MODELS = (
    Organisation,
    Membership,
    Cooperation,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)


def _network_changed(sender, **kwargs) -> None:
    # After commit: a reader between the write and the commit would otherwise cache the old
    # rows under the new version. Outside a transaction this runs at once. Once per
    # transaction is enough, however many rows it writes.
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is selectors.network_writes_mark for _, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(selectors.network_writes_mark)


def connect() -> None:
    for model in NETWORK_MODELS:
        post_save.connect(_network_changed, sender=model, dispatch_uid=f"network-{model.__name__}")
        post_delete.connect(
            _network_changed, sender=model, dispatch_uid=f"network-del-{model.__name__}"
        )
    m2m_changed.connect(
        _network_changed, sender=Organisation.sectors.through, dispatch_uid="network-sectors"
    )
