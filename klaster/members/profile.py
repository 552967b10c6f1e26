"""Sections that the apps above the member registry add to an organisation's profile page.

The registry may not import the apps built on it (see `klaster.common.appgraph`), yet a profile
shows what they know about the organisation (its EU track record, ...). So each such app adds a
section when it is ready (`profile_section_add` in its `AppConfig.ready`): a template and the
function that gives that template its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from klaster.members.models import Organisation


@dataclass(frozen=True)
class ProfileSection:
    """A part of the profile page: `template` is rendered with `context(request, organisation)`
    merged into the page's context."""

    template: str
    context: Callable[[HttpRequest, Organisation], dict]


SECTIONS: list[ProfileSection] = []


def profile_section_add(section: ProfileSection) -> None:
    """Show `section` on every profile, after those added before; adding it again changes
    nothing (ready() may run twice in tests)."""
    if all(known.template != section.template for known in SECTIONS):
        SECTIONS.append(section)


def profile_sections(request: HttpRequest, organisation: Organisation) -> tuple[list[str], dict]:
    """The templates of the sections, in order, and the context they need together."""
    context: dict = {}
    for section in SECTIONS:
        context.update(section.context(request, organisation))
    return [section.template for section in SECTIONS], context
