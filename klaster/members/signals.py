"""What the member registry tells the apps above it, which it may not import (see
`klaster.common.appgraph`): they connect to these signals when they are ready."""

from django.dispatch import Signal

# An organisation's editor removed a contact person (sent before the row is deleted, inside the
# deletion's transaction), with `person` and their `email` (never empty). Apps that keep copies
# of the contact's name or e-mail erase them.
person_contact_removed = Signal()
