"""`{{ code|country_name }}`: a stored country code as its name in the reader's language."""

from django import template

from klaster.common.countries import country_name as name_of_country

register = template.Library()


@register.filter
def country_name(code) -> str:
    return name_of_country(code)
