"""Writes for funding calls: import of EU topics, sectors by rules, deadline reminders."""

from __future__ import annotations

import datetime
import gzip
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from klaster.calls.models import Call
from klaster.common.links import site_url
from klaster.core.portal_text import repair_double_decoding, tidy_portal_text
from klaster.core.sector_rules import sector_codes_of_call, sector_rule_set
from klaster.members.models import Sector

DEMO_EXTRACT = Path(settings.BASE_DIR) / "data" / "extracts" / "eu-topics-extract.jsonl.gz"
REMIND_DAYS_BEFORE = 14


class CallFileError(ValueError):
    """A topics file that cannot be imported; names the line and the field."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _date(value, line: int) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise CallFileError(f"line {line}: deadline {value!r} is not a date (YYYY-MM-DD)") from None


def _amount(value, field: str, line: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal(1))
    except InvalidOperation:
        raise CallFileError(f"line {line}: {field} {value!r} is not a number") from None


def _text(
    topic: dict, field: str, line: int, limit: int | None = None, *, long: bool = False
) -> str:
    """A text field of a topic, its encoding repaired; `long` texts get their paragraphs back."""
    value = topic.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CallFileError(f"line {line}: {field} must be text")
    value = tidy_portal_text(value) if long else repair_double_decoding(value).strip()
    return value[:limit] if limit else value


def parse_topic(topic: object, line: int) -> dict:
    """One decoded line of the Funding & Tenders topics file as `Call` fields."""
    if not isinstance(topic, dict):
        raise CallFileError(f"line {line}: expected a JSON object")
    identifier = _text(topic, "topicId", line, 120)
    if not identifier:
        raise CallFileError(f"line {line}: topicId is missing")
    title = _text(topic, "title", line, 500)
    if not title:
        raise CallFileError(f"line {line}: title is missing")
    grants = topic.get("expectedGrants")
    if grants in ("", None) or isinstance(grants, bool) or not isinstance(grants, int | float):
        grants = None
    return {
        "source": Call.Source.EU,
        "title": title,
        "programme": _text(topic, "programme", line, 200),
        "action_type": _text(topic, "actionType", line, 60),
        "types_of_action": _text(topic, "typesOfAction", line, 300),
        "call_identifier": _text(topic, "callIdentifier", line, 120),
        "call_title": _text(topic, "callTitle", line, 500),
        "deadline": _date(topic.get("deadline"), line),
        "deadline_model": _text(topic, "deadlineModel", line, 60),
        "status": _text(topic, "callStatus", line, 30),
        "budget_min": _amount(topic.get("budgetMin"), "budgetMin", line),
        "budget_max": _amount(topic.get("budgetMax"), "budgetMax", line),
        "expected_grants": int(grants) if grants is not None and grants >= 0 else None,
        "keywords": _text(topic, "keywords", line),
        "description": _text(topic, "description", line, long=True),
        "conditions": _text(topic, "topicConditions", line, long=True),
        "url": _text(topic, "portalUrl", line, 500),
    }


def read_topics(path: str | Path) -> dict[str, dict]:
    """Every topic of a JSON-lines file (gzip or plain), by identifier; all or nothing."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    topics: dict[str, dict] = {}
    try:
        with opener(path, "rt", encoding="utf-8") as stream:
            for line_number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    decoded = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CallFileError(f"line {line_number}: not valid JSON ({exc.msg})") from None
                fields = parse_topic(decoded, line_number)
                topics[decoded["topicId"].strip()[:120]] = fields
    except OSError as exc:
        raise CallFileError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CallFileError(f"{path.name} is not UTF-8 text") from None
    return topics


class SectorAssigner:
    """The sectors the rules give a call's fields, as Sector primary keys."""

    def __init__(self):
        sectors = list(Sector.objects.values_list("pk", "code", "name_pl", "name_en"))
        self.pk_of = {code: pk for pk, code, _pl, _en in sectors}
        self.rule_set = sector_rule_set([(code, pl, en) for _pk, code, pl, en in sectors])

    def sector_ids(self, fields: dict) -> set[int]:
        return {self.pk_of[code] for code in sector_codes_of_call(self.rule_set, fields)}


def _current_sector_ids(calls) -> dict[int, set[int]]:
    through = Call.sectors.through.objects.filter(call__in=calls)
    current: dict[int, set[int]] = {}
    for call_id, sector_id in through.values_list("call_id", "sector_id"):
        current.setdefault(call_id, set()).add(sector_id)
    return current


@transaction.atomic
def calls_import(*, path: str | Path) -> ImportResult:
    """Create or update the EU topics of `path`; running it twice changes nothing.

    Sectors come from the rules (sector_rules.json), except where staff set them by hand.
    """
    topics = read_topics(path)
    assigner = SectorAssigner()
    existing = {c.identifier: c for c in Call.objects.filter(identifier__in=topics)}
    current_sectors = _current_sector_ids(existing.values())
    created = updated = unchanged = 0
    for identifier, fields in topics.items():
        call = existing.get(identifier)
        wanted = assigner.sector_ids({**fields, "identifier": identifier})
        if call is None:
            call = Call.objects.create(identifier=identifier, **fields)
            call.sectors.set(wanted)
            created += 1
            continue
        changed = [name for name, value in fields.items() if getattr(call, name) != value]
        sectors_changed = not call.sectors_by_hand and current_sectors.get(call.pk, set()) != wanted
        if changed:
            for name in changed:
                setattr(call, name, fields[name])
            call.save(update_fields=[*changed, "updated_at"])
        if sectors_changed:
            call.sectors.set(wanted)
        if changed or sectors_changed:
            updated += 1
        else:
            unchanged += 1
    return ImportResult(created, updated, unchanged)


@transaction.atomic
def calls_assign_sectors() -> int:
    """Apply the sector rules again to every call whose sectors staff did not set by hand
    (after the rules or the sectors changed). Returns how many calls changed."""
    assigner = SectorAssigner()
    calls = list(Call.objects.filter(sectors_by_hand=False))
    current = _current_sector_ids(calls)
    changed = 0
    for call in calls:
        wanted = assigner.sector_ids({**vars(call), "identifier": call.identifier})
        if current.get(call.pk, set()) != wanted:
            call.sectors.set(wanted)
            changed += 1
    return changed


@transaction.atomic
def calls_remind(
    *, today: datetime.date | None = None, days_before: int = REMIND_DAYS_BEFORE
) -> int:
    """E-mail members about calls closing within `days_before` days, once per call.

    Returns how many calls were announced. Recipients: the e-mail addresses of active users
    (members and staff); a call already reminded about is not sent again.
    """
    from django.contrib.auth import get_user_model

    today = today or datetime.date.today()
    due = list(
        Call.objects.select_for_update()
        .filter(
            deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=days_before),
            reminded_on__isnull=True,
        )
        .order_by("deadline", "identifier")
    )
    if not due:
        return 0
    recipients = sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0  # nobody to tell yet: the calls stay due for the next run
    body = render_to_string("calls/reminder_email.txt", {"calls": due, "site_url": site_url()})
    subject = _("Funding calls closing soon")
    # One message per person, so nobody sees the others' addresses.
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients])
    Call.objects.filter(pk__in=[c.pk for c in due]).update(reminded_on=today)
    return len(due)
