"""`klaster bench network`: how well linking works and how fast the network map draws.

- `--part linking`: precision and recall of linking on a labelled sample built from CORDIS
  (see `linking_sample`); no database needed.
- `--part map`: time to first render of the network map with the demo graph in headless
  Chromium (run `klaster demo` first), and until the cluster's figures below it are in (they
  load once the map is drawn); the map page is served by a local server thread.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from klaster.core import linking

help = "Linking precision/recall on a labelled CORDIS sample; network map first-render time."

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "cordis"
_FORMS = (
    (r"\bSPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA\b", "sp. z o.o."),
    (r"\bSP\.? Z O\.? ?O\.?$", "sp. z o.o."),
    (r"\bSPOLKA AKCYJNA\b", "S.A."),
    (r"\bSPOLKA KOMANDYTOWA\b", "sp.k."),
    (r"\bSPOLKA JAWNA\b", "sp.j."),
)


def add_arguments(parser):
    parser.add_argument("--part", choices=("linking", "map", "all"), default="all")
    parser.add_argument("--cordis", type=Path, default=SHARED / "cordis-HORIZONprojects-csv.zip")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3, help="map loads to time (default 3)")


def as_registry_name(cordis_name: str) -> str:
    """How a person would type the organisation into the registry: title case, short forms."""
    name = cordis_name.upper()
    for pattern, short in _FORMS:
        name = re.sub(pattern, short.upper(), name)
    words = []
    for word in name.split():
        if word in ("SP.", "Z", "O.O.", "S.A.", "SP.K.", "SP.J."):
            words.append(word.lower() if word not in ("S.A.",) else word)
        elif len(word) <= 3 and word.isalpha() and word not in ("I", "W", "DO", "NA"):
            words.append(word)  # acronyms stay upper case
        else:
            words.append(word.capitalize())
    return " ".join(words)


def _perturbed(name: str, rng: random.Random) -> tuple[str, str]:
    """A seeded variation people make when typing a name: none, a dropped tail, a typo,
    an abbreviation or swapped words. Returns (name, what was done)."""
    roll = rng.random()
    words = name.split()
    if roll < 0.4 or len(words) < 2:
        return name, "as is"
    if roll < 0.6:
        if " - " in name:
            return name.split(" - ")[0], "tail dropped"
        return " ".join(words[:-1]) if len(words) > 2 else name, "last word dropped"
    if roll < 0.8:
        long_words = [i for i, w in enumerate(words) if len(w) >= 5]
        if long_words:
            i = rng.choice(long_words)
            w = words[i]
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        return " ".join(words), "typo"
    if "Polskiej Akademii Nauk" in name:
        return name.replace("Polskiej Akademii Nauk", "PAN"), "abbreviated"
    words[0], words[1] = words[1], words[0]
    return " ".join(words), "words swapped"


def linking_sample(organisations, *, seed: int):
    """The labelled sample: (cluster records, CORDIS candidates, truth: cluster id -> PIC).

    Every Polish organisation of the Horizon Europe file with a name and a city becomes a
    registry entry as a person would type it (title case, "sp. z o.o." for the written-out legal
    form, "Warszawa" for "WARSAW"), without PIC or VAT number, so only the name-and-city step can
    find it; 60% of the names also carry a seeded slip (a dropped tail such as "- Państwowy
    Instytut Badawczy", a typo, "PAN" for "Polskiej Akademii Nauk", two words swapped). Half of them (chosen at random, seeded) keep their CORDIS record among the candidates
    (positives: the right PIC is the label); for the other half the record is withdrawn from the
    candidates (hard negatives: a look-alike, e.g. another institute of the same network, must
    not be linked). All other CORDIS organisations (25,000+, every country) stay as distractors.
    """
    rng = random.Random(seed)
    polish = sorted(
        (o for o in organisations if o.country == "PL" and o.name and o.city),
        key=lambda o: o.organisation_id,
    )
    rng.shuffle(polish)
    half = len(polish) // 2
    positives, negatives = polish[:half], polish[half:]
    withdrawn = {o.organisation_id for o in negatives}
    cluster, truth = [], {}
    for index, record in enumerate(positives + negatives, start=1):
        city = "Warszawa" if record.city.upper() in ("WARSAW", "WARSZAWA") else record.city.title()
        name, _how = _perturbed(as_registry_name(record.name), rng)
        cluster.append(linking.ClusterOrganisation(id=index, name=name, city=city))
        truth[index] = record.organisation_id if record.organisation_id not in withdrawn else None
    candidates = [
        linking.CordisEntry(
            pic=o.organisation_id,
            name=o.name,
            city=o.city,
            vat_number=o.vat_number,
            country=o.country,
            short_name=o.short_name,
        )
        for o in organisations
        if o.organisation_id not in withdrawn
    ]
    return cluster, candidates, truth


def evaluate_linking(cluster, candidates, truth) -> dict:
    matches = linking.match_organisations(cluster, candidates)
    figures = {}
    for label, chosen in (
        ("automatic links", [m for m in matches if m.certain]),
        ("automatic links + review queue", matches),
    ):
        # One answer per cluster organisation: its best match.
        best: dict[int, linking.Match] = {}
        for m in chosen:
            if m.organisation_id not in best or m.score > best[m.organisation_id].score:
                best[m.organisation_id] = m
        correct = sum(1 for oid, m in best.items() if truth.get(oid) == m.pic)
        positives = sum(1 for pic in truth.values() if pic)
        figures[label] = {
            "proposed": len(best),
            "correct": correct,
            "precision": correct / len(best) if best else 1.0,
            "recall": correct / positives if positives else 0.0,
            "false_links_to_withdrawn": sum(1 for oid in best if truth.get(oid) is None),
        }
    figures["review_queue"] = sum(1 for m in matches if not m.certain)
    return figures


def _run_linking(options, out) -> None:
    from klaster.core.cordis_files import read_cordis

    started = time.perf_counter()
    history = read_cordis(options["cordis"])
    cluster, candidates, truth = linking_sample(history.organisations, seed=options["seed"])
    figures = evaluate_linking(cluster, candidates, truth)
    positives = sum(1 for pic in truth.values() if pic)
    out(
        f"Labelled sample: {len(cluster)} Polish CORDIS organisations as registry entries "
        f"({positives} positives, {len(cluster) - positives} withdrawn look-alikes) against "
        f"{len(candidates)} CORDIS candidates."
    )
    for label in ("automatic links", "automatic links + review queue"):
        f = figures[label]
        out(
            f"  {label:<32} precision {f['precision']:.3f}  recall {f['recall']:.3f}  "
            f"({f['correct']} correct of {f['proposed']} proposed; "
            f"{f['false_links_to_withdrawn']} to withdrawn organisations)"
        )
    out(f"  review queue size {figures['review_queue']}; {time.perf_counter() - started:.1f} s")


def _run_map(options, out) -> None:
    import os
    import threading
    from http.cookies import SimpleCookie

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.db import connection

    from klaster.accounts.models import User

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if User._meta.db_table not in connection.introspection.table_names():
        out("The database is empty (not migrated): run `klaster demo` first.")
        return
    user = (
        User.objects.filter(is_superuser=True).first()
        or User.objects.filter(role=User.Role.COORDINATOR).first()
    )
    if user is None:
        out("No coordinator account: run `klaster demo` first.")
        return
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    # Serve static files as production does (collected, hashed names, whitenoise), so the
    # page loads the same assets a deployment does.
    call_command("collectstatic", interactive=False, verbosity=0)
    # The figures are computed by the task worker in production; with no worker here, tasks
    # run in the server thread as soon as they are queued, so "figures in" still measures them.
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"

    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_FLAGS, chromium_path

    cookie = SimpleCookie()
    cookie[settings.SESSION_COOKIE_NAME] = session.session_key
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            for label, query in (
                ("default (partners with 2+ ties)", ""),
                ("all partners", "?min_shared=1"),
            ):
                cache.clear()
                for run in range(options["runs"]):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    context.add_cookies(
                        [
                            {
                                "name": settings.SESSION_COOKIE_NAME,
                                "value": session.session_key,
                                "url": base,
                            }
                        ]
                    )
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(f"{base}/trackrecord/network/{query}")
                    page.wait_for_selector("#network-map[data-rendered='true']", timeout=180_000)
                    wall = time.perf_counter() - started
                    since_navigation = int(
                        page.get_attribute("#network-map", "data-render-ms") or 0
                    )
                    counts = page.inner_text("#network-map-status")
                    # The cluster's figures load once the map is drawn; the next run starts
                    # when they are in, so it does not share the server with them.
                    page.wait_for_selector("#network-summary .stat-grid", timeout=180_000)
                    figures = time.perf_counter() - started
                    state = "cold server cache" if run == 0 else "warm server cache"
                    out(
                        f"  map {label}, {state}: first render {since_navigation} ms after "
                        f"navigation ({wall:.2f} s wall), figures in {figures:.2f} s "
                        f"— {counts.split('.')[0]}"
                    )
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        session.delete()


def run(options, out) -> None:
    if options["part"] in ("linking", "all"):
        _run_linking(options, out)
    if options["part"] in ("map", "all"):
        _run_map(options, out)
