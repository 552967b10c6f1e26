"""Validation of organisation identifiers (NIP, REGON, KRS, EU VAT, PIC) with python-stdnum.

Each validator returns the compact form or raises Django's ValidationError with a message a
person can act on (which identifier, and what is wrong with it).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from klaster.core.text import fold

fold_text = fold


def _explain(label: str, error: stdnum_errors.ValidationError) -> str:
    if isinstance(error, stdnum_errors.InvalidChecksum):
        return _("%(label)s: the check digit is wrong (typo?).") % {"label": label}
    if isinstance(error, stdnum_errors.InvalidLength):
        return _("%(label)s: wrong number of digits.") % {"label": label}
    if isinstance(error, stdnum_errors.InvalidFormat):
        return _("%(label)s: only digits are allowed.") % {"label": label}
    if isinstance(error, stdnum_errors.InvalidComponent):
        return _("%(label)s: the country code or a part of the number is not valid.") % {
            "label": label
        }
    return _("%(label)s is not valid.") % {"label": label}


def clean_nip(value: str) -> str:
    if not value:
        return ""
    try:
        return pl_nip.validate(value)
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_explain("NIP", error), code="invalid_nip") from error


def clean_regon(value: str) -> str:
    if not value:
        return ""
    try:
        return pl_regon.validate(value)
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_explain("REGON", error), code="invalid_regon") from error


def clean_krs(value: str) -> str:
    """KRS numbers carry no check digit: ten digits, leading zeros kept."""
    if not value:
        return ""
    compact = "".join(value.split())
    if not compact.isdigit():
        raise ValidationError(_("KRS: only digits are allowed."), code="invalid_krs")
    if len(compact) > 10:
        raise ValidationError(_("KRS: wrong number of digits."), code="invalid_krs")
    return compact.zfill(10)


def clean_vat(value: str) -> str:
    if not value:
        return ""
    try:
        return eu_vat.validate(value)
    except stdnum_errors.ValidationError as error:
        raise ValidationError(_explain(_("EU VAT number"), error), code="invalid_vat") from error


def clean_pic(value: str | None) -> str | None:
    if not value:
        return None
    compact = "".join(str(value).split())
    if not (compact.isdigit() and len(compact) == 9):
        raise ValidationError(_("PIC: exactly 9 digits are required."), code="invalid_pic")
    return compact


# The identifiers that each name one organisation. The import matches rows by them, the model
# holds each non-empty value at most once (conditional unique constraints built from this
# table), and the forms refuse a value another organisation already has: one definition, so a
# file the registry exported always imports back.
UNIQUE_IDENTIFIERS: dict[str, tuple[str, Callable]] = {
    "nip": ("NIP", clean_nip),
    "pic": ("PIC", clean_pic),
    "regon": ("REGON", clean_regon),
    "krs": ("KRS", clean_krs),
}


# Model-field validators: the admin and anything else that runs `full_clean` checks the same
# check digits as the pages and the import.
def validate_nip(value: str) -> None:
    clean_nip(value)


def validate_regon(value: str) -> None:
    clean_regon(value)


def validate_krs(value: str) -> None:
    clean_krs(value)
