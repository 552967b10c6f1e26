"""Demo funding calls: the committed extract of real EU topics, and a few national and regional
calls dated relative to today, so the list and the calendar of a demo always hold open calls
(the real topics' deadlines pass; a demo loaded next year still has something to apply for)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from klaster.calls.models import Call
from klaster.calls.services import DEMO_EXTRACT, ImportResult, SectorAssigner, calls_import
from klaster.core.dates import working_day_from

# (identifier, source, days ahead, fields). Identifiers say "DEMO" so nobody takes them for
# real calls; the texts are what such calls ask for, so members best placed have words to match.
DEMO_CALLS = (
    (
        "DEMO-FENG-SMART-MSP", Call.Source.NATIONAL, 21,
        {
            "title": "Ścieżka SMART dla MŚP: prace B+R i wdrożenie innowacji cyfrowych (demo)",
            "programme": "Fundusze Europejskie dla Nowoczesnej Gospodarki (demo)",
            "action_type": "Grant",
            "budget_min": 1_000_000,
            "budget_max": 10_000_000,
            "keywords": "sztuczna inteligencja, cyberbezpieczeństwo, chmura, IoT, oprogramowanie",
            "description": (
                "Demo: dofinansowanie projektów badawczo-rozwojowych przedsiębiorstw z sektora "
                "ICT: sztuczna inteligencja, cyberbezpieczeństwo, przetwarzanie w chmurze i "
                "Internet rzeczy, wraz z wdrożeniem wyników. Software, artificial intelligence, "
                "cybersecurity, cloud computing."
            ),
        },
    ),
    (
        "DEMO-FEM-INNOWACJE-ENERGIA", Call.Source.REGIONAL, 75,
        {
            "title": "Fundusze Europejskie dla Mazowsza: innowacje w energetyce i ekologii (demo)",
            "programme": "Fundusze Europejskie dla Mazowsza (demo)",
            "action_type": "Grant",
            "budget_min": 500_000,
            "budget_max": 4_000_000,
            "keywords": "odnawialne źródła energii, magazynowanie energii, gospodarka obiegu zamkniętego",
            "description": (
                "Demo: projekty konsorcjów firm i jednostek naukowych z Mazowsza w energetyce "
                "odnawialnej, magazynowaniu energii, inteligentnych sieciach i gospodarce obiegu "
                "zamkniętego. Renewable energy, energy storage, smart grids, circular economy."
            ),
        },
    ),
    (
        "DEMO-NCBR-KOSMOS", Call.Source.NATIONAL, 120,
        {
            "title": "Technologie kosmiczne i obserwacja Ziemi dla administracji (demo)",
            "programme": "Narodowe Centrum Badań i Rozwoju (demo)",
            "action_type": "Grant",
            "budget_min": 2_000_000,
            "budget_max": 15_000_000,
            "keywords": "sektor kosmiczny, obserwacja Ziemi, dane satelitarne",
            "description": (
                "Demo: rozwój usług opartych na danych satelitarnych i obserwacji Ziemi dla "
                "samorządów i administracji. Space, Earth observation, satellite data services."
            ),
        },
    ),
)  # fmt: skip


def load_demo_calls(*, today: datetime.date | None = None) -> ImportResult:
    """The real EU topics, then the dated demo calls; what the EU import reports."""
    result = calls_import(path=DEMO_EXTRACT)
    demo_calls_refresh(today=today or timezone.localdate())
    return result


@transaction.atomic
def demo_calls_refresh(*, today: datetime.date) -> int:
    """Create the demo national and regional calls, and move any whose deadline has passed to
    a working day as far ahead as when it was made; a call still open is left as it is, so a
    second run changes nothing. Returns how many calls were added or moved."""
    assigner = SectorAssigner()
    changed = 0
    for identifier, source, days_ahead, fields in DEMO_CALLS:
        deadline = working_day_from(today + datetime.timedelta(days=days_ahead))
        call = Call.objects.filter(identifier=identifier).first()
        if call is None:
            call = Call.objects.create(
                identifier=identifier, source=source, deadline=deadline, **fields
            )
            call.sectors.set(assigner.sector_ids({**fields, "identifier": identifier}))
            changed += 1
        elif call.deadline is None or call.deadline < today:
            call.deadline = deadline
            call.reminded_on = None  # a new deadline deserves a new reminder
            call.save(update_fields=["deadline", "reminded_on", "updated_at"])
            changed += 1
    return changed
