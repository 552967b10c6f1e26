import factory

from klaster.marketplace.models import Profile
from klaster.marketplace.services import search_document_for
from klaster.members.tests.factories import OrganisationFactory


class ProfileFactory(factory.django.DjangoModelFactory):
    """A draft technology offer ready to submit; pass `status=...` and dates for other steps."""

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    kind = Profile.Kind.TECHNOLOGY_OFFER
    organisation = factory.SubFactory(OrganisationFactory)
    title_pl = factory.Sequence(lambda n: f"Magazyn energii z ogniw wtórnych {n}")
    title_en = factory.Sequence(lambda n: f"Energy storage from second-life cells {n}")
    summary_pl = "Magazyn energii z ogniw z samochodów elektrycznych dla małych firm."
    summary_en = "Energy storage built from electric-vehicle cells for small firms."
    trl = 6
    technology_keywords = factory.LazyFunction(lambda: ["magazynowanie energii", "baterie"])
    market_keywords = factory.LazyFunction(lambda: ["energetyka"])
    partnership_types = factory.LazyFunction(lambda: ["licence"])
    languages = factory.LazyFunction(lambda: ["pl", "en"])

    @factory.post_generation
    def document(self, create, extracted, **kwargs):
        self.search_document = search_document_for(self)
        if create:
            self.save()
