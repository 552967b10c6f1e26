"""`{{ sentence|say }}`: a core sentence (or a stored one) in the reader's language."""

from django import template

from klaster.common import wording
from klaster.common.wording import say as say_sentence

register = template.Library()


@register.filter
def say(sentence) -> str:
    return say_sentence(sentence)


@register.filter
def activity(code) -> str:
    """`{{ record.activity_type|activity }}`: HES, PRC, ... in the reader's words."""
    return wording.activity_words(code)


@register.filter
def cordis_role(role) -> str:
    """`{{ participation.role|cordis_role }}`: "participant" in the reader's words."""
    return wording.cordis_role_words(role)


@register.filter
def shown_pic(pic) -> str:
    """The PIC, or nothing for a cluster member's made-up identifier."""
    return wording.shown_pic(pic)


@register.filter
def rule_set(name) -> str:
    """`{{ idea.rule_set|rule_set }}`: the rule set's title in the reader's language."""
    return wording.rule_set_words(name)
