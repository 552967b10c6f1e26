# The personas of the Django tests serve the browser journeys too.
from klaster.conftest import (  # noqa: F401
    anonymous,
    client_for,
    coordinator,
    editor_a,
    editor_b,
    empty_cache,
    investor,
    organisation_a,
    organisation_b,
)
