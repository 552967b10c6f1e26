"""The demo cluster: composition of Mazovia Cluster ICT, valid identifiers, idempotence."""

import datetime
from collections import Counter

import pytest
from django.test import Client
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from klaster.accounts.models import User
from klaster.demo import loading, planning, vocabulary
from klaster.members.models import FeePayment, Membership, Organisation, Person
from klaster.members.services import search_document_for

TODAY = datetime.date(2026, 5, 15)
SMALL_CLUSTER = planning.composition_scaled_to(80)

pytestmark = pytest.mark.django_db


def build_small(seed: int = planning.DEFAULT_SEED, **kwargs):
    return loading.build_demo_cluster(seed=seed, today=TODAY, composition=SMALL_CLUSTER, **kwargs)


@pytest.fixture
def full_cluster(db):
    return loading.build_demo_cluster(today=TODAY)


def test_demo_has_the_composition_of_mazovia_cluster_ict(full_cluster):
    by_kind = Counter(Organisation.objects.values_list("kind", flat=True))

    assert by_kind[Organisation.Kind.RESEARCH_INSTITUTE] == 9
    assert by_kind[Organisation.Kind.UNIVERSITY] == 6
    assert by_kind[Organisation.Kind.INVESTMENT_FUND] == 3
    assert by_kind[Organisation.Kind.ENTERPRISE] >= 500
    assert by_kind[Organisation.Kind.BUSINESS_SUPPORT] > 0
    assert by_kind[Organisation.Kind.PUBLIC_ADMINISTRATION] > 0
    assert by_kind[Organisation.Kind.NGO] > 0
    support_types = set(
        Organisation.objects.filter(kind=Organisation.Kind.BUSINESS_SUPPORT).values_list(
            "support_type", flat=True
        )
    )
    assert support_types == set(Organisation.SupportType.values)
    enterprises = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    smes = enterprises.filter(is_sme=True).count()
    assert smes > enterprises.count() * 0.8
    assert enterprises.filter(enterprise_size=Organisation.EnterpriseSize.LARGE).exists()
    assert full_cluster.organisations_by_kind == {
        kind: by_kind.get(kind, 0) for kind in Organisation.Kind.values
    }


def test_every_demo_organisation_is_marked_as_generated_and_has_no_pic(full_cluster):
    assert not Organisation.objects.exclude(source=Organisation.Source.DEMO_GENERATED).exists()
    assert not Organisation.objects.filter(pic__isnull=False).exists()
    assert all(o.is_demo for o in Organisation.objects.all())


def test_every_demo_organisation_is_in_mazowieckie_with_its_nuts_code(full_cluster):
    rows = Organisation.objects.values_list("voivodeship", "nuts_code", "city", "postcode")
    for voivodeship, nuts_code, city, postcode in rows:
        assert voivodeship == "mazowieckie"
        assert nuts_code[:4] in ("PL91", "PL92"), nuts_code
        assert vocabulary.TOWNS_BY_NAME[city].nuts_code == nuts_code
        assert len(postcode) == 6 and postcode[2] == "-"
    warsaw = Organisation.objects.filter(city="Warszawa")
    assert set(warsaw.values_list("nuts_code", flat=True)) == {"PL911"}
    assert Organisation.objects.filter(city="Radom", nuts_code="PL921").exists()


def test_every_nip_and_regon_has_a_valid_check_digit(full_cluster):
    for nip, regon, krs, vat in Organisation.objects.values_list(
        "nip", "regon", "krs", "vat_number"
    ):
        assert pl_nip.is_valid(nip), nip
        assert pl_regon.is_valid(regon), regon
        assert vat == f"PL{nip}"
        assert krs == "" or (len(krs) == 10 and krs.isdigit())
    nips = list(Organisation.objects.values_list("nip", flat=True))
    assert len(nips) == len(set(nips))


def test_names_are_distinct_and_websites_fictitious(full_cluster):
    names = list(Organisation.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    websites = Organisation.objects.values_list("website", flat=True)
    assert all(w.startswith("https://") and w.endswith(".example") for w in websites)
    emails = Person.objects.values_list("email", flat=True)
    assert all(e.endswith(".example") for e in emails)


def test_running_the_demo_twice_adds_nothing(db):
    first = build_small()
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        FeePayment.objects.count(),
        User.objects.count(),
    )

    second = build_small()

    assert first.created_organisations == sum(SMALL_CLUSTER.values())
    assert second.created_organisations == 0
    assert second.fees_created == 0
    assert counts == (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        FeePayment.objects.count(),
        User.objects.count(),
    )


def test_a_deleted_demo_organisation_comes_back_unchanged_and_alone(db):
    build_small()
    deleted = Organisation.objects.filter(kind=Organisation.Kind.UNIVERSITY).order_by("nip").first()
    name, nip = deleted.name, deleted.nip
    deleted.delete()

    report = build_small()

    assert report.created_organisations == 1
    assert Organisation.objects.get(nip=nip).name == name
    assert Organisation.objects.filter(kind=Organisation.Kind.UNIVERSITY).count() == 6


def test_the_same_seed_gives_the_same_cluster(db):
    missing = planning.missing_composition(target=SMALL_CLUSTER, existing=Counter())

    first = planning.plan_organisations(seed=7, missing=missing, today=TODAY)
    again = planning.plan_organisations(seed=7, missing=missing, today=TODAY)
    other = planning.plan_organisations(seed=8, missing=missing, today=TODAY)

    assert [(p.name, p.nip, p.city) for p in first] == [(p.name, p.nip, p.city) for p in again]
    assert [p.nip for p in first] != [p.nip for p in other]


def test_the_same_seed_gives_the_same_names_in_the_database(db):
    build_small(seed=11)
    names = sorted(Organisation.objects.values_list("name", flat=True))
    Organisation.objects.all().delete()

    build_small(seed=11)

    assert sorted(Organisation.objects.values_list("name", flat=True)) == names


def test_existing_demo_organisations_count_towards_the_composition(db):
    # Given a real university loaded from CORDIS before the generated demo
    Organisation.objects.create(
        name="Real University from CORDIS",
        kind=Organisation.Kind.UNIVERSITY,
        source=Organisation.Source.DEMO_CORDIS,
    )
    existing = loading.existing_demo_composition()

    missing = planning.missing_composition(target=planning.MAZOVIA_CLUSTER_ICT, existing=existing)

    assert missing[(Organisation.Kind.UNIVERSITY, "")] == 5
    assert missing[(Organisation.Kind.RESEARCH_INSTITUTE, "")] == 9


def test_search_document_matches_the_one_the_registry_keeps(db):
    build_small()
    for organisation in Organisation.objects.prefetch_related("sectors", "competences")[:20]:
        # Word order follows the database's collation of tag names; searching ignores it.
        expected = search_document_for(organisation)
        assert sorted(organisation.search_document.split()) == sorted(expected.split())


def test_contacts_have_consent_and_some_withdrew_it(full_cluster):
    people = Person.objects.all()
    assert people.filter(
        consent_given_on__isnull=False, consent_withdrawn_on__isnull=True
    ).count() > (people.count() * 0.8)
    assert people.filter(consent_withdrawn_on__isnull=False).exists()


def test_no_organisation_has_two_contacts_with_the_same_email(full_cluster):
    from django.db.models import Count

    clashes = Person.objects.values("organisation", "email").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(clashes) == []


def test_memberships_and_fees_give_the_fee_dashboard_something_to_show(full_cluster):
    statuses = Counter(Membership.objects.values_list("status", flat=True))
    assert statuses[Membership.Status.ACTIVE] > sum(statuses.values()) * 0.7
    assert all(statuses[s] > 0 for s in Membership.Status.values)
    assert not Membership.objects.filter(tier__isnull=True).exists()
    for year in (TODAY.year - 1, TODAY.year):
        states = Counter(fee.state(TODAY) for fee in FeePayment.objects.filter(year=year))
        assert states[FeePayment.State.PAID] > 0
        assert states[FeePayment.State.OVERDUE] > 0
    current = Counter(fee.state(TODAY) for fee in FeePayment.objects.filter(year=TODAY.year))
    assert current[FeePayment.State.DUE] > 0


def test_demo_logins_work_one_per_role(db):
    report = build_small()
    client = Client()

    for login in report.logins:
        assert client.login(username=login.username, password=login.password), login.username
        client.logout()

    users = {login.username: User.objects.get(username=login.username) for login in report.logins}
    coordinator = users["koordynator"]
    assert coordinator.is_staff and coordinator.is_superuser and coordinator.is_coordinator
    editors = [u for u in users.values() if u.role == User.Role.MEMBER_EDITOR]
    assert len(editors) == 2
    assert editors[0].organisation != editors[1].organisation
    assert all(e.is_member_editor and e.organisation.is_sme for e in editors)
    assert sum(u.is_investor for u in users.values()) == 1


def test_demo_passwords_pass_the_password_validators(db):
    from django.contrib.auth.password_validation import validate_password

    for _role, username, password in loading.DEMO_LOGINS:
        validate_password(password, User(username=username))


def test_scaled_composition_keeps_the_real_cluster_around_more_enterprises():
    composition = planning.composition_scaled_to(10_000)

    assert sum(composition.values()) == 10_000
    assert composition[(Organisation.Kind.UNIVERSITY, "")] == 6
    assert composition[(Organisation.Kind.ENTERPRISE, Organisation.EnterpriseSize.MICRO)] > 3000


def test_the_demo_command_prints_counts_and_logins(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", "--seed", "3", stdout=out)

    text = out.getvalue()
    assert "koordynator" in text and "demo-koordynator-2026" in text
    assert "inwestor" in text
    assert "570 organisations" in text
    # A consortium idea waits for the first member editor, from a call still open on the day
    # the demo is loaded (which call is picked on a given day: test_consortia.py).
    from django.utils import timezone

    from klaster.consortia.models import ProjectIdea
    from klaster.demo.consortia import build_demo_idea

    assert "Consortium ideas (demo): 1 added now for redaktor-a" in text
    idea = ProjectIdea.objects.get()
    assert idea.title.startswith("Demo: ") and idea.call.deadline >= timezone.localdate()
    assert idea.owner == User.objects.get(username="redaktor-a").organisation
    assert [r.label for r in idea.roles.all()] == ["end user in energy", "research partner"]
    assert build_demo_idea(editor_username="redaktor-a") == 0  # once only


def test_benchmark_percentiles_and_query_mix_are_deterministic():
    import random

    from klaster.demo import benchmarks

    assert benchmarks.Timings.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert benchmarks.Timings.percentile(list(map(float, range(101))), 0.95) == 95.0
    rng, rng_again = random.Random(1), random.Random(1)
    first = [benchmarks.query_mix(rng) for _ in range(40)]
    again = [benchmarks.query_mix(rng_again) for _ in range(40)]
    assert first == again
    assert len({query_type for query_type, _params in first}) > 5


def _duplicates(values) -> dict[str, int]:
    return {value: n for value, n in Counter(v for v in values if v).items() if n > 1}


@pytest.mark.parametrize("seed", [planning.DEFAULT_SEED, 7])
def test_the_full_demo_plan_never_gives_two_organisations_the_same_identifier(seed):
    plans = planning.plan_organisations(
        seed=seed, missing=planning.MAZOVIA_CLUSTER_ICT, today=TODAY
    )

    for column in ("nip", "regon", "krs"):
        assert _duplicates(getattr(plan, column) for plan in plans) == {}, column


def test_the_demo_draws_again_an_identifier_the_registry_already_holds(db):
    first_plans = planning.plan_organisations(
        seed=planning.DEFAULT_SEED, missing=SMALL_CLUSTER, today=TODAY
    )
    with_krs = next(plan for plan in first_plans if plan.krs)
    Organisation.objects.create(
        name="Prawdziwa Spółka", kind="ngo", krs=with_krs.krs, regon=with_krs.regon
    )

    build_small()

    for column in ("nip", "regon", "krs"):
        assert _duplicates(Organisation.objects.values_list(column, flat=True)) == {}, column
    assert Organisation.objects.filter(source=Organisation.Source.DEMO_GENERATED).count() == sum(
        SMALL_CLUSTER.values()
    )
    build_small()  # a second run still recognises the organisation whose numbers were redrawn
    assert Organisation.objects.filter(source=Organisation.Source.DEMO_GENERATED).count() == sum(
        SMALL_CLUSTER.values()
    )
