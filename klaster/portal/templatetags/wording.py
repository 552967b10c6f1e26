"""`{{ sentence|say }}`: a core sentence (or a stored one) in the reader's language."""

from django import template

from klaster.portal.wording import say as say_sentence

register = template.Library()


@register.filter
def say(sentence) -> str:
    return say_sentence(sentence)
