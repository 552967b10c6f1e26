"""Import and export of marketplace profiles as CSV or XLSX, in two layouts.

The native layout has Klaster's own columns (`NATIVE_COLUMNS`: every text in Polish and in
English). The POD layout names its columns as the Enterprise Europe Network's partnering
database (POD) exports them (`POD_COLUMNS`: Reference, Type, Title, ...), with English texts;
a file's layout is known from its first row, so either may be uploaded as it is.

The steps are those of every import (`klaster.imports`): a dry run reports the profiles to
add and to update and every row error; the real run is all-or-nothing. New rows become drafts
(their owner submits them for review); a row updates the profile of its Reference, or else the
profile of the same organisation, kind and title, so an exported file imports back unchanged.
Coordinator staff import for any organisation (named by NIP or exact name), member editors for
their own only; the writes go through the profile services, with their permission checks.
"""

import re

from django import forms
from django.conf.locale import LANG_INFO
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.calls.models import Call
from klaster.common.roles import is_cluster_staff, is_member_editor
from klaster.core.tabular import Table
from klaster.core.text import fold
from klaster.imports.forms import ImportUploadForm
from klaster.imports.plan import Importer
from klaster.imports.report import CREATE, UNCHANGED, UPDATE, RowError, RowPlan
from klaster.imports.values import boolean, choice_lookup, date_text
from klaster.marketplace import selectors, services
from klaster.marketplace.models import TRL_MAX, TRL_MIN, TRL_WORDS, Profile
from klaster.members.exports import ExportFile, export_file, export_text
from klaster.members.identifiers import clean_nip
from klaster.members.models import Organisation

KIND = "marketplace"
NATIVE, POD = "native", "pod"
LAYOUTS = (NATIVE, POD)

# The texts (each in Polish and English) and lists, as the profile services name them.
TEXT_FIELDS = selectors.TEXT_NAMES
LIST_FIELDS = services.LIST_FIELDS
ORGANISATION_COLUMNS = ("organisation_nip", "organisation_name")
# A file's columns are the fields the services change (the call by its identifier).
NATIVE_COLUMNS = ("reference", *ORGANISATION_COLUMNS, *services.EDITABLE_FIELDS)
# A row that updates a profile may leave out even its kind: a new row must say it.
NATIVE_REQUIRED = ()

# POD's columns as it names them -> what each holds here. "partner_kinds_sizes" is POD's one
# column for both the kind and the size of partner sought.
POD_COLUMNS = {
    "Reference": "reference",
    "Type": "kind",
    "Title": "title",
    "Summary": "summary",
    "Description": "description",
    "Advantages and Innovations": "advantages",
    "Stage of Development": "trl",
    "IPR Status": "ipr_status",
    "IPR Comment": "ipr_comment",
    "Technology Keywords": "technology_keywords",
    "Market Keywords": "market_keywords",
    "NACE Keywords": "nace_codes",
    "Type and Role of Partner Sought": "partner_sought",
    "Type and Size of Partner Sought": "partner_kinds_sizes",
    "Type of Partnership Considered": "partnership_types",
    "Languages": "languages",
    "Deadline": "deadline",
    # Not POD's: POD hides the organisation; a cluster's file says whose profile a row is.
    "Organisation NIP": "organisation_nip",
    "Organisation Name": "organisation_name",
}
POD_REQUIRED = ("type", "title")
_POD_BY_HEADER = {header.lower(): field for header, field in POD_COLUMNS.items()}

# Our references; any other (an EEN reference, say) names no profile here and adds one.
REFERENCE_PATTERN = re.compile(r"^(TO|TR|BO|BR|RD)-\d{4}-\d{3,}$")

# POD's own words for what it shares with Profile's choices (compared folded).
POD_WORDS = {
    "kind": {
        "to": Profile.Kind.TECHNOLOGY_OFFER,
        "tr": Profile.Kind.TECHNOLOGY_REQUEST,
        "bo": Profile.Kind.BUSINESS_OFFER,
        "br": Profile.Kind.BUSINESS_REQUEST,
        "rd": Profile.Kind.RD_PARTNER_REQUEST,
        "r&d request": Profile.Kind.RD_PARTNER_REQUEST,
        "research and development request": Profile.Kind.RD_PARTNER_REQUEST,
        "research & development request": Profile.Kind.RD_PARTNER_REQUEST,
    },
    "ipr_status": {
        "granted patent or patent application essential": Profile.IprStatus.GRANTED_PATENT,
        "patent(s) applied for but not yet granted": Profile.IprStatus.PATENT_APPLIED,
        "trade marks": Profile.IprStatus.TRADEMARK,
        "trademark": Profile.IprStatus.TRADEMARK,
        "design rights": Profile.IprStatus.DESIGN_RIGHTS,
        "no ipr": Profile.IprStatus.NONE,
    },
    "partnership_types": {
        "financial agreement": Profile.Partnership.INVESTMENT,
        "commercial agreement with technical assistance": Profile.Partnership.COMMERCIAL_AGREEMENT,
        "distribution services agreement": Profile.Partnership.DISTRIBUTION,
        "outsourcing agreement": Profile.Partnership.SUBCONTRACTING,
        "supplier agreement": Profile.Partnership.MANUFACTURING,
    },
    "partner_kinds": {
        "r&d institution": Organisation.Kind.RESEARCH_INSTITUTE,
        "big company": Organisation.Kind.ENTERPRISE,
        "sme": Organisation.Kind.ENTERPRISE,
        "industry": Organisation.Kind.ENTERPRISE,
    },
    "partner_sizes": {
        "sme <=10": Profile.PartnerSize.MICRO,
        "sme 11-49": Profile.PartnerSize.SMALL,
        "sme 11-50": Profile.PartnerSize.SMALL,
        "sme 50 - 249": Profile.PartnerSize.MEDIUM,
        "sme 51-250": Profile.PartnerSize.MEDIUM,
        ">250": Profile.PartnerSize.LARGE,
        ">250 - 500": Profile.PartnerSize.LARGE,
        ">500": Profile.PartnerSize.LARGE,
    },
}
CHOICES = {
    "kind": Profile.Kind,
    "ipr_status": Profile.IprStatus,
    "partnership_types": Profile.Partnership,
    "partner_kinds": Organisation.Kind,
    "partner_sizes": Profile.PartnerSize,
}


def _languages() -> dict[str, str]:
    """ISO 639-1 codes, and the languages' English and own names, folded -> the code."""
    found = {}
    for code, info in LANG_INFO.items():
        if len(code) == 2 and "name" in info:
            for key in (code, info["name"], info["name_local"]):
                found.setdefault(fold(key), code)
    return found


def trl_from_text(text: str) -> int | None:
    """The readiness level in "7", "TRL 7", "TRL7 – System prototype ..."; None if none."""
    found = re.match(r"^\s*(?:trl\s*)?(\d+)\b", text, flags=re.IGNORECASE)
    return int(found.group(1)) if found else None


def trl_text(trl: int | None) -> str:
    """POD's "Stage of Development": the level and its words in English."""
    return f"TRL {trl} – {TRL_WORDS[trl]['en']}" if trl in TRL_WORDS else ""


# --- Import -------------------------------------------------------------------------------------


def may_import(user) -> bool:
    """Staff import for any organisation; member editors for their own."""
    return is_cluster_staff(user) or is_member_editor(user)


class ProfileImporter(Importer):
    """Checks rows in Klaster's columns (`PodProfileImporter`: in POD's) and remembers which
    profile each earlier row of the file changes."""

    kind = KIND
    columns = NATIVE_COLUMNS
    required = NATIVE_REQUIRED
    refused = "Only coordinator staff and member editors import marketplace profiles."
    label_heading = gettext_lazy("Profile")
    detail_url = "marketplace:detail"
    shows_organisation = True
    may_import = staticmethod(may_import)

    layout = NATIVE

    def __init__(self, table: Table, **options):
        super().__init__(table, **options)
        self.choices = {field: choice_lookup(choices.choices) for field, choices in CHOICES.items()}
        for field, words in POD_WORDS.items():
            for word, value in words.items():
                self.choices[field].setdefault(fold(word), value)
        self.language_codes = _languages()
        self.rows_of: dict[int, int] = {}

    # --- A row, in either layout, as the profile's fields ---

    def _column(self, field: str) -> str:
        """The file's name of the column that holds `field` (for row errors)."""
        if self.layout == NATIVE:
            return field
        base = field.removesuffix("_pl").removesuffix("_en")
        if base in ("partner_kinds", "partner_sizes"):
            base = "partner_kinds_sizes"
        for header, held in POD_COLUMNS.items():
            if held == base:
                return header
        return field

    def _present(self, values: dict[str, str]) -> dict[str, str]:
        """The row's cells by the field (or the POD text) each holds."""
        if self.layout == NATIVE:
            return dict(values)
        return {
            _POD_BY_HEADER[header]: text
            for header, text in values.items()
            if header in _POD_BY_HEADER
        }

    def _choice(self, field: str, text: str, errors: list, number: int) -> str:
        value = self.choices[field].get(fold(text))
        if value is None:
            known = ", ".join(CHOICES[field].values)
            errors.append(
                RowError(
                    number,
                    self._column(field),
                    _("Unknown value “%(value)s”; write one of: %(known)s.")
                    % {"value": text, "known": known},
                )
            )
        return value or ""

    def _list(self, field: str, text: str, errors: list, number: int) -> list[str]:
        items = services.split_list(text)
        if field == "languages":
            codes = []
            for item in items:
                code = self.language_codes.get(fold(item))
                if code is None:
                    errors.append(
                        RowError(
                            number,
                            self._column(field),
                            _("Unknown language “%(value)s”; write its ISO code, such as pl or en.")
                            % {"value": item},
                        )
                    )
                elif code not in codes:
                    codes.append(code)
            return codes
        if field in CHOICES:
            return list(dict.fromkeys(self._choice(field, item, errors, number) for item in items))
        return items

    def _kinds_and_sizes(self, text: str, errors: list, number: int) -> tuple[list, list]:
        """POD's "Type and Size of Partner Sought": sizes and kinds of organisation in one."""
        kinds, sizes = [], []
        for item in services.split_list(text):
            size = self.choices["partner_sizes"].get(fold(item))
            if size is not None:
                sizes.append(size)
            else:
                kinds.append(self._choice("partner_kinds", item, errors, number))
        return list(dict.fromkeys(kinds)), list(dict.fromkeys(sizes))

    def _organisation(self, number: int, cells: dict[str, str], instance):
        """The organisation the row names (by NIP, else exact name), or the instance's, or the
        member editor's own; (organisation, errors)."""
        errors = []
        nip_text, name = cells.get("organisation_nip", ""), cells.get("organisation_name", "")
        found = None
        if nip_text:
            try:
                nip = clean_nip(nip_text)
            except ValidationError as error:
                return None, [
                    RowError(number, self._column("organisation_nip"), message)
                    for message in error.messages
                ]
            found = Organisation.objects.filter(nip=nip).first()
            if found is None:
                errors.append(
                    RowError(
                        number,
                        self._column("organisation_nip"),
                        _("No organisation in the registry has NIP %(nip)s.") % {"nip": nip},
                    )
                )
        elif name:
            same_name = list(Organisation.objects.filter(name__iexact=name.strip())[:2])
            if len(same_name) == 1:
                found = same_name[0]
            else:
                errors.append(
                    RowError(
                        number,
                        self._column("organisation_name"),
                        _("%(count)d organisations have this name; give the NIP.")
                        % {"count": len(same_name)}
                        if same_name
                        else _("No organisation in the registry is named “%(name)s”.")
                        % {"name": name},
                    )
                )
        elif instance is not None:
            found = instance.organisation
        elif is_member_editor(self.editor):
            found = self.editor.organisation
        else:
            errors.append(
                RowError(
                    number,
                    self._column("organisation_nip"),
                    _("Say whose profile this is: the organisation's NIP or exact name."),
                )
            )
        if found is None:
            return None, errors
        if not is_cluster_staff(self.editor) and found.pk != self.editor.organisation_id:
            return None, [
                RowError(
                    number,
                    self._column("organisation_nip"),
                    _("You may import only your own organisation's profiles."),
                )
            ]
        if instance is not None and instance.organisation_id != found.pk:
            return None, [
                RowError(
                    number,
                    self._column("organisation_nip"),
                    _("Profile %(reference)s belongs to another organisation; it cannot move.")
                    % {"reference": instance.reference or instance.title},
                )
            ]
        return found, []

    def _by_reference(self, number: int, reference: str, errors: list):
        if not reference:
            return None
        instance = (
            Profile.objects.select_related("organisation", "call")
            .filter(reference=reference)
            .first()
        )
        mine = instance is not None and (
            is_cluster_staff(self.editor) or instance.organisation_id == self.editor.organisation_id
        )
        if mine:
            return instance
        if REFERENCE_PATTERN.match(reference):
            errors.append(
                RowError(
                    number,
                    self._column("reference"),
                    _(
                        "No profile of yours has the reference %(reference)s; leave it empty to "
                        "add a new profile."
                    )
                    % {"reference": reference},
                )
            )
        return None  # another database's reference (EEN's): the row adds a profile

    def _by_title(self, organisation, kind: str, titles: list[str]):
        titles = [title for title in titles if title]
        if organisation is None or not kind or not titles:
            return None
        same = (
            Profile.objects.select_related("organisation", "call")
            .filter(organisation=organisation, kind=kind)
            .filter(Q(title_pl__in=titles) | Q(title_en__in=titles))
        )
        found = list(same.order_by("pk")[:2])
        return found[0] if len(found) == 1 else None

    def validate_row(self, number: int, values: dict[str, str]):
        """(RowPlan, (data, organisation, instance)) for a good row, or (None, errors)."""
        cells = self._present(values)
        errors: list[RowError] = []
        instance = self._by_reference(number, cells.get("reference", "").strip(), errors)
        kind = ""
        if cells.get("kind", "").strip():
            kind = self._choice("kind", cells["kind"].strip(), errors, number)
        elif instance is None:
            errors.append(
                RowError(
                    number,
                    self._column("kind"),
                    _("“%(column)s” is required.") % {"column": self._column("kind")},
                )
            )
        if errors:
            return None, errors
        if instance is None:
            organisation, errors = self._organisation(number, cells, None)
            if errors:
                return None, errors
            titles = (
                [cells.get("title", "")]
                if self.layout == POD
                else [cells.get("title_pl", ""), cells.get("title_en", "")]
            )
            instance = self._by_title(organisation, kind, [t.strip() for t in titles])
            matched_by = _("title") if instance else ""
        else:
            organisation, errors = self._organisation(number, cells, instance)
            if errors:
                return None, errors
            matched_by = _("reference")
        if instance is not None:
            earlier = self.rows_of.setdefault(instance.pk, number)
            if earlier != number:
                return None, [
                    RowError(
                        number,
                        self._column("reference"),
                        _("Row %(row)d of the file already changes this profile.")
                        % {"row": earlier},
                    )
                ]
        stored = stored_data(instance)
        data = dict(stored)
        if kind:
            data["kind"] = kind
        self._fill(data, cells, instance, errors, number)
        errors += self._model_errors(number, data, organisation)
        if errors:
            return None, errors
        action = CREATE if instance is None else UNCHANGED if data == stored else UPDATE
        plan = RowPlan(
            row=number,
            action=action,
            label=data["title_pl"] or data["title_en"],
            matched_by=matched_by,
            target_id=instance.pk if instance else None,
            organisation=organisation.name,
        )
        return plan, (data, organisation, instance)

    def _fill(self, data: dict, cells: dict, instance, errors: list, number: int) -> None:
        """The row's cells over the stored values: only the columns the file has."""
        for field in TEXT_FIELDS:
            if self.layout == NATIVE:
                for language in ("pl", "en"):
                    name = f"{field}_{language}"
                    if name in cells:
                        data[name] = cells[name].strip()
            elif field in cells:
                text = cells[field].strip()
                # POD is English; a text exported from the Polish (no English kept) is unchanged.
                if not (instance and not data[f"{field}_en"] and text == data[f"{field}_pl"]):
                    data[f"{field}_en"] = text
        if "ipr_comment" in cells:
            data["ipr_comment"] = cells["ipr_comment"].strip()
        if "trl" in cells:
            text = cells["trl"].strip()
            trl = trl_from_text(text) if text else None
            if text and (trl is None or not TRL_MIN <= trl <= TRL_MAX):
                errors.append(
                    RowError(
                        number,
                        self._column("trl"),
                        _("Write a technology readiness level from %(low)d to %(high)d.")
                        % {"low": TRL_MIN, "high": TRL_MAX},
                    )
                )
            data["trl"] = trl if trl and TRL_MIN <= trl <= TRL_MAX else None
        if "ipr_status" in cells:
            text = cells["ipr_status"].strip()
            # POD lists several; the profile keeps the first.
            first = services.split_list(text)[:1]
            data["ipr_status"] = (
                self._choice("ipr_status", first[0], errors, number) if first else ""
            )
        for field in LIST_FIELDS:
            if field in cells:
                data[field] = self._list(field, cells[field], errors, number)
        if "partner_kinds_sizes" in cells:
            data["partner_kinds"], data["partner_sizes"] = self._kinds_and_sizes(
                cells["partner_kinds_sizes"], errors, number
            )
        if "deadline" in cells:
            text = date_text(cells["deadline"].strip())
            try:
                data["deadline"] = forms.DateField().clean(text) if text else None
            except ValidationError:
                errors.append(
                    RowError(number, self._column("deadline"), _("Enter a date (YYYY-MM-DD)."))
                )
        if "show_organisation" in cells:
            shown = boolean(cells["show_organisation"])
            if shown is None:
                errors.append(
                    RowError(
                        number, "show_organisation", _("Write yes or no (tak / nie, true / false).")
                    )
                )
            data["show_organisation"] = bool(shown)
        if "call" in cells:
            identifier = cells["call"].strip()
            call = None
            if identifier:
                call = Call.objects.filter(identifier=identifier).first()
                if call is None:
                    errors.append(
                        RowError(
                            number,
                            "call",
                            _("No funding call has the identifier %(identifier)s.")
                            % {"identifier": identifier},
                        )
                    )
            data["call"] = call

    def _model_errors(self, number: int, data: dict, organisation) -> list[RowError]:
        """The profile's own rules (lengths, choices, levels), as the pages check them."""
        candidate = Profile(organisation=organisation, **data)
        try:
            candidate.full_clean(
                exclude=["organisation", "created_by", "reference", "call"], validate_unique=False
            )
        except ValidationError as error:
            return [
                RowError(number, "" if name == "__all__" else self._column(name), message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return []

    def apply(self, plan: RowPlan, checked, *, editor) -> None:
        data, organisation, instance = checked
        if plan.action == UNCHANGED:
            return
        if instance is None:
            profile = services.profile_create(
                user=editor, data={**data, "organisation": organisation}
            )
        else:
            profile = services.profile_update(user=editor, profile=instance, data=data)
        plan.target_id = profile.pk


class PodProfileImporter(ProfileImporter):
    """The same rows in the columns of POD's export, with English texts."""

    layout = POD
    columns = tuple(_POD_BY_HEADER)
    required = POD_REQUIRED


# The profile's fields a file carries, besides its organisation and reference: those the
# services change.
DATA_FIELDS = services.EDITABLE_FIELDS


def stored_data(profile: Profile | None) -> dict:
    """The profile's values of `DATA_FIELDS` (a new profile's defaults when None)."""
    profile = profile or Profile()
    return {
        field: list(getattr(profile, field)) if field in LIST_FIELDS else getattr(profile, field)
        for field in DATA_FIELDS
    }


IMPORTERS = {ProfileImporter.layout: ProfileImporter, PodProfileImporter.layout: PodProfileImporter}
# An upload of profiles is kept under this kind and its layout: "marketplace:pod".
UPLOAD_KIND = KIND + ":"


def importer_for(kind: str) -> tuple[type[Importer], dict]:
    """The importer of an upload of `kind` ("marketplace:native" or "marketplace:pod")."""
    importer = IMPORTERS.get(kind.removeprefix(UPLOAD_KIND))
    if not kind.startswith(UPLOAD_KIND) or importer is None:
        raise LookupError(f"Not an upload of marketplace profiles: {kind!r}")
    return importer, {}


def describe(kind: str) -> str:
    """An upload's kind in the reader's words."""
    if kind == UPLOAD_KIND + POD:
        return _("marketplace profiles (POD layout)")
    return _("marketplace profiles")


class ProfileImportUploadForm(ImportUploadForm):
    """The upload form of every import, with the layout of the file's columns."""

    layout = forms.ChoiceField(
        label=gettext_lazy("The file's columns are"),
        choices=[
            (NATIVE, gettext_lazy("Klaster's (title_pl, title_en, ...)")),
            (POD, gettext_lazy("those of the EEN partnering database, POD (Reference, Type, ...)")),
        ],
        initial=NATIVE,
        widget=forms.RadioSelect,
    )
    field_order = ["layout", "file"]
    choice = "layout"

    def upload_kind(self) -> str:
        return UPLOAD_KIND + self.cleaned_data["layout"]


# --- Export -------------------------------------------------------------------------------------


def _native_row(profile: Profile) -> list[str]:
    values = {field: getattr(profile, field) for field in NATIVE_COLUMNS if hasattr(profile, field)}
    values["organisation_nip"] = profile.organisation.nip
    values["organisation_name"] = profile.organisation.name
    values["call"] = profile.call.identifier if profile.call else ""
    for field in LIST_FIELDS:
        values[field] = "; ".join(getattr(profile, field))
    return [export_text(values[column]) for column in NATIVE_COLUMNS]


def _english_labels(choices, values) -> str:
    labels = dict(choices.choices)
    with translation.override("en"):
        return "; ".join(str(labels.get(value, value)) for value in values)


def _pod_row(profile: Profile) -> list[str]:
    english = {
        field: getattr(profile, f"{field}_en") or getattr(profile, f"{field}_pl")
        for field in TEXT_FIELDS
    }
    values = {
        "reference": profile.reference or "",
        "kind": _english_labels(Profile.Kind, [profile.kind]),
        **english,
        "trl": trl_text(profile.trl),
        "ipr_status": _english_labels(
            Profile.IprStatus, [profile.ipr_status] if profile.ipr_status else []
        ),
        "ipr_comment": profile.ipr_comment,
        "technology_keywords": "; ".join(profile.technology_keywords),
        "market_keywords": "; ".join(profile.market_keywords),
        "nace_codes": "; ".join(profile.nace_codes),
        "partner_kinds_sizes": "; ".join(
            part
            for part in (
                _english_labels(Organisation.Kind, profile.partner_kinds),
                _english_labels(Profile.PartnerSize, profile.partner_sizes),
            )
            if part
        ),
        "partnership_types": _english_labels(Profile.Partnership, profile.partnership_types),
        "languages": "; ".join(profile.languages),
        "deadline": export_text(profile.deadline),
        "organisation_nip": profile.organisation.nip,
        "organisation_name": profile.organisation.name,
    }
    return [values[field] for field in POD_COLUMNS.values()]


def exported_profiles(*, user) -> QuerySet[Profile]:
    """The profiles `user` keeps: staff all of them, a member editor their organisation's, in
    every status."""
    if is_cluster_staff(user):
        profiles = Profile.objects.all()
    elif is_member_editor(user):
        profiles = selectors.profiles_of_organisation(user=user)
    else:
        raise PermissionDenied(_("Only coordinator staff and member editors export profiles."))
    return profiles.select_related("organisation", "call").order_by("pk")


def profiles_export(*, user, layout: str, file_format: str) -> ExportFile:
    """`exported_profiles` as a CSV or XLSX file in the native or the POD layout."""
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown layout {layout!r}")
    profiles = exported_profiles(user=user)
    if layout == POD:
        columns, row = list(POD_COLUMNS), _pod_row
    else:
        columns, row = list(NATIVE_COLUMNS), _native_row
    rows = (row(profile) for profile in profiles.iterator(chunk_size=500))
    return export_file(
        stem=f"marketplace-{layout}", file_format=file_format, columns=columns, rows=rows
    )
