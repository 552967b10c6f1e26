"""The demo marketplace: at least 60 profiles of all five kinds written from the members' own
competences, in several statuses, expressions of interest in every status with threads;
labelled as demo, written once, the same for the same seed, private links from `secrets`."""

import datetime

import pytest

from klaster.demo.marketplace import (
    DEMO_PROFILES,
    ENGLISH,
    Owner,
    build_demo_marketplace,
    plan_interests,
    plan_profiles,
)
from klaster.marketplace.models import Interest, Profile
from klaster.members.models import Competence, Organisation, Sector
from klaster.members.tests.factories import OrganisationFactory

TODAY = datetime.date(2026, 12, 4)
OWNERS = [
    Owner(1, "enterprise", ("energy",), ("magazynowanie energii", "wodór", "SCADA")),
    Owner(2, "university", ("space",), ("obserwacja Ziemi", "GIS")),
    Owner(3, "enterprise", ("ict",), ("cyberbezpieczeństwo", "chmura obliczeniowa")),
    Owner(4, "ngo", ("ecology",), ("recykling",)),
]


def test_plans_cover_every_kind_and_are_written_from_the_owners_competences():
    plans = plan_profiles(seed=5, owners=OWNERS, today=TODAY)
    assert len(plans) == DEMO_PROFILES >= 60
    assert {plan.kind for plan in plans} == set(Profile.Kind.values)
    owners = {owner.id: owner for owner in OWNERS}
    for plan in plans:
        competences = owners[plan.organisation_id].competences
        assert plan.technology_keywords[0] in competences
        assert all(
            plan.texts[f"{name}_{lang}"] for name in ("title", "summary") for lang in ["pl", "en"]
        )
        # The English text names the competence in English, the Polish one in Polish.
        term = plan.technology_keywords[0]
        assert (
            ENGLISH.get(term, term).lower()
            in " ".join(plan.texts[k] for k in plan.texts if k.endswith("_en")).lower()
        )
        assert "{" not in "".join(plan.texts.values())
    # A university offers technology or seeks R&D partners, never sells distribution deals.
    assert {p.kind for p in plans if p.organisation_id == 2} <= {
        "technology_offer",
        "rd_partner_request",
    }
    statuses = {plan.status for plan in plans}
    assert statuses == {"published", "draft", "submitted", "on_hold", "expired", "archived"}
    assert sum(plan.status == "published" for plan in plans) > len(plans) // 2


def test_plans_are_the_same_for_the_same_seed_and_differ_for_another():
    first = plan_profiles(seed=5, owners=OWNERS, today=TODAY)
    assert first == plan_profiles(seed=5, owners=OWNERS, today=TODAY)
    assert first != plan_profiles(seed=6, owners=OWNERS, today=TODAY)


def test_interests_reach_every_status_and_never_come_from_the_profiles_owner():
    plans = plan_profiles(seed=5, owners=OWNERS, today=TODAY)
    interests = plan_interests(seed=5, plans=plans, members=[1, 3])
    assert {i.status for i in interests} == set(Interest.Status.values)
    assert sum(i.visitor is not None for i in interests) == 2
    for interest in interests:
        profile = plans[interest.profile]
        assert profile.status == "published"
        assert interest.organisation_id != profile.organisation_id
        assert interest.messages[0][0] is False  # the interested side opens the thread
        assert (len(interest.messages) > 1) == (interest.status != "new")


@pytest.fixture
def demo_members(db):
    sectors = {
        code: Sector.objects.get_or_create(code=code, defaults={"name_pl": code, "name_en": code})[
            0
        ]
        for code in ("energy", "ict", "space")
    }
    competences = [
        Competence.objects.get_or_create(name=name, defaults={"slug": slug})[0]
        for name, slug in (
            ("magazynowanie energii", "magazynowanie-energii"),
            ("IoT", "iot"),
            ("GIS", "gis"),
        )
    ]
    organisations = []
    for index in range(6):
        organisation = OrganisationFactory(source=Organisation.Source.DEMO_GENERATED)
        organisation.sectors.add(list(sectors.values())[index % 3])
        organisation.competences.add(competences[index % 3], competences[(index + 1) % 3])
        organisations.append(organisation)
    return organisations


def test_demo_marketplace_is_written_once_labelled_as_demo_with_threads(
    demo_members, coordinator, client_for, anonymous
):
    report = build_demo_marketplace(seed=3, today=TODAY)
    assert report.created and report.profiles == DEMO_PROFILES
    assert Profile.objects.filter(is_demo=True).count() == DEMO_PROFILES
    assert set(report.profiles_by_status) >= {"published", "draft", "on_hold", "submitted"}
    held = Profile.objects.filter(status="on_hold").first()
    assert held.reviews.get().comment and not held.reviews.get().published
    published = Profile.objects.filter(status="published")
    assert all(p.reference and p.published_at and p.expires_at for p in published)
    assert not Profile.objects.filter(status="draft").exclude(reference=None).exists()
    assert report.interests == Interest.objects.count() >= 6
    assert set(Interest.objects.values_list("status", flat=True)) == set(Interest.Status.values)
    assert all(i.messages.exists() for i in Interest.objects.all())
    tokens = list(Interest.objects.values_list("access_token", flat=True))
    assert len(set(tokens)) == len(tokens) and all(len(t) >= 40 for t in tokens)

    again = build_demo_marketplace(seed=3, today=TODAY)
    assert not again.created and Profile.objects.count() == DEMO_PROFILES
    assert again.interests == report.interests

    page = anonymous.get("/marketplace/").content.decode()
    assert "demo-badge" in page


def test_visitor_links_are_secret_not_from_the_seed(demo_members):
    build_demo_marketplace(seed=3, today=TODAY)
    first = set(Interest.objects.values_list("access_token", flat=True))
    Interest.objects.all().delete()
    Profile.objects.all().delete()
    build_demo_marketplace(seed=3, today=TODAY)
    assert not first & set(Interest.objects.values_list("access_token", flat=True))


def test_demo_marketplace_without_demo_members_writes_nothing(db):
    report = build_demo_marketplace(seed=1, today=TODAY)
    assert not report.created and report.profiles == 0 and not Profile.objects.exists()
