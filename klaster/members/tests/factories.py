"""Factories for the member registry (valid identifiers with real check digits)."""

import factory
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from klaster.accounts.models import User
from klaster.core.text import fold
from klaster.members.models import Membership, Organisation, Person


def valid_nip(n: int) -> str:
    """The n-th valid NIP: 9 digits from n plus the check digit (skipping the impossible 10)."""
    while True:
        body = f"{(123456000 + n) % 10**9:09d}"
        if body[0] == "0":
            body = "1" + body[1:]
        for check_digit in "0123456789":
            if pl_nip.is_valid(body + check_digit):
                return body + check_digit
        n += 7919  # this body's check digit would be 10: no valid NIP starts with it


def valid_regon(n: int) -> str:
    body = f"{(14000000 + n) % 10**8:08d}"
    return body + pl_regon.calc_check_digit(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testowa Spółka {n} sp. z o.o.")
    kind = Organisation.Kind.ENTERPRISE
    enterprise_size = Organisation.EnterpriseSize.SMALL
    # Far from the small numbers tests pass to `valid_nip` themselves: NIP is unique in the
    # registry, and a long test run's sequence would otherwise reach them.
    nip = factory.Sequence(lambda n: valid_nip(500_000 + n))
    regon = factory.Sequence(valid_regon)
    vat_number = factory.LazyAttribute(lambda o: f"PL{o.nip}")
    city = "Warszawa"
    voivodeship = "mazowieckie"
    nuts_code = "PL911"
    country = "PL"
    description_pl = "Oprogramowanie dla energetyki."
    description_en = "Software for the energy sector."
    is_published = True
    search_document = factory.LazyAttribute(
        lambda o: fold(f"{o.name} {o.description_pl} {o.description_en} {o.city}")
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Kowalska-{n}")
    position = "Prezes"
    email = factory.Sequence(lambda n: f"osoba{n}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    status = Membership.Status.ACTIVE
    annual_fee = 2400


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()
