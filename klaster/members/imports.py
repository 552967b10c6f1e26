"""Import of organisations and of their people from CSV or XLSX files.

Every row goes through the same forms as the pages (identifiers with their check digits, sizes,
consents), so the registry has one validation per idea. An import is first checked (the dry
run: a report of rows to create and update and of row errors, nothing written), then applied
all-or-nothing in one transaction: a single bad row and nothing is written.

Rows find the organisation they update by NIP, PIC, REGON or KRS, or, when a row carries no
identifier at all, by its exact name; so a file exported by staff imports back as updates.
"""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.core.tabular import Table, TabularError
from klaster.core.text import fold
from klaster.imports.forms import ImportUploadForm
from klaster.imports.plan import Importer
from klaster.imports.plan import import_apply as run_import_apply
from klaster.imports.plan import import_check as run_import_check
from klaster.imports.report import CREATE, UNCHANGED, UPDATE, ImportReport, RowError, RowPlan
from klaster.imports.report import form_errors as row_form_errors
from klaster.imports.values import boolean, choice_lookup, date_text
from klaster.jobs.registry import Progress
from klaster.members import identifiers
from klaster.members.exports import (
    ALL_ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    PERSON_ORGANISATION_COLUMNS,
)
from klaster.members.forms import PersonForm, StaffOrganisationForm, form_data_from_instance
from klaster.members.models import Membership, Organisation, Person, Sector
from klaster.members.services import organisation_save_from_form, person_save_from_form

ORGANISATIONS = "organisations"
PEOPLE = "people"
KINDS = (ORGANISATIONS, PEOPLE)


@dataclass(frozen=True)
class RequiredColumn:
    """A column a row must fill: always, or only for organisations of one kind. `in_header`:
    the file must have the column (without it no row can be right); otherwise a row that
    updates an organisation may leave the column out and keep the stored value."""

    column: str
    only_for_kind: str = ""
    in_header: bool = True

    def applies(self, data: dict) -> bool:
        return not self.only_for_kind or data.get("kind") == self.only_for_kind

    def missing_message(self) -> str:
        if self.only_for_kind:
            return _("“%(column)s” is required when kind is %(kind)s.") % {
                "column": self.column,
                "kind": self.only_for_kind,
            }
        return _("“%(column)s” is required.") % {"column": self.column}


# What the import checks every row against, and what its page lists as required.
REQUIRED_COLUMNS: dict[str, tuple[RequiredColumn, ...]] = {
    ORGANISATIONS: (
        RequiredColumn("name"),
        RequiredColumn("kind", in_header=False),
        RequiredColumn(
            "enterprise_size", only_for_kind=Organisation.Kind.ENTERPRISE, in_header=False
        ),
    ),
    PEOPLE: (RequiredColumn("first_name"), RequiredColumn("last_name")),
}


def required_columns(kind: str) -> list[str]:
    """The columns a file must have at all (the rest of REQUIRED_COLUMNS is checked per row)."""
    return [rule.column for rule in REQUIRED_COLUMNS[kind] if rule.in_header]


def _missing_required(number: int, data: dict, kind: str) -> list[RowError]:
    """Row errors for the required columns left empty, judged on the values the record would
    have (a column absent from the file keeps the stored value)."""
    return [
        RowError(number, rule.column, rule.missing_message())
        for rule in REQUIRED_COLUMNS[kind]
        if rule.applies(data) and not str(data.get(rule.column) or "").strip()
    ]


def _without_reported(errors: list[RowError], reported: list[RowError]) -> list[RowError]:
    """The form's errors on columns a required-column error already explains, left out."""
    columns = {error.column for error in reported}
    return [error for error in errors if error.column not in columns]


# --- Values as people type them ---------------------------------------------------------------


_CHOICE_COLUMNS = {
    "kind": Organisation.Kind.choices,
    "enterprise_size": Organisation.EnterpriseSize.choices,
    "support_type": Organisation.SupportType.choices,
    "employees_band": Organisation.EmployeesBand.choices,
    "turnover_band": Organisation.TurnoverBand.choices,
}


def _normalised_choice(lookup: dict[str, str], text: str) -> str:
    # An unknown value passes through for the form to reject with its own message.
    return lookup.get(fold(text), text) if text else ""


# --- Organisations ----------------------------------------------------------------------------

_IDENTIFIER_CLEANERS = identifiers.UNIQUE_IDENTIFIERS
# Form fields that a file names differently.
_COLUMN_OF_FIELD = {"competence_tags": "competences"}
_FIELD_OF_COLUMN = {"competences": "competence_tags"}


class MembershipImportForm(forms.Form):
    membership_status = forms.ChoiceField(
        label=gettext_lazy("membership status"),
        choices=[("", "—"), *Membership.Status.choices],
        required=False,
    )
    membership_joined_on = forms.DateField(label=gettext_lazy("joined on"), required=False)
    membership_left_on = forms.DateField(label=gettext_lazy("left on"), required=False)

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("membership_joined_on"), cleaned.get("membership_left_on")
        if joined and left and left < joined:
            self.add_error("membership_left_on", _("Leaving cannot precede joining."))
        return cleaned


@dataclass
class _RegistryIndex:
    """Identifiers and names of the organisations already in the registry, for matching."""

    by_identifier: dict[tuple[str, str], int]
    by_name: dict[str, list[int]]
    names: dict[int, str]

    @classmethod
    def load(cls) -> "_RegistryIndex":
        by_identifier, by_name, names = {}, {}, {}
        columns = list(_IDENTIFIER_CLEANERS)
        for pk, name, *values in Organisation.objects.values_list("pk", "name", *columns):
            names[pk] = name
            by_name.setdefault(_name_key(name), []).append(pk)
            for column, value in zip(columns, values, strict=True):
                if value:
                    by_identifier[(column, value)] = pk
        return cls(by_identifier=by_identifier, by_name=by_name, names=names)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _compact_identifiers(values: dict[str, str]) -> dict[str, str]:
    """The row's valid identifiers in stored form; invalid ones are left to the form to report."""
    compact = {}
    for column, (_label, clean) in _IDENTIFIER_CLEANERS.items():
        try:
            value = clean(values.get(column, ""))
        except ValidationError:
            continue
        if value:
            compact[column] = value
    return compact


class _RegistryImporter(Importer):
    """What the two files of the registry share: staff (the default) import them."""

    refused = "Only coordinator staff import into the registry."


class OrganisationImporter(_RegistryImporter):
    """Checks organisation rows one by one, remembering what earlier rows of the file claimed."""

    kind = ORGANISATIONS
    columns = ALL_ORGANISATION_COLUMNS
    required = tuple(required_columns(ORGANISATIONS))
    label_heading = gettext_lazy("Name")
    detail_url = "members:detail"

    def __init__(self, table: Table, **options):
        super().__init__(table, **options)
        self.columns = [c for c in table.headers if c in ALL_ORGANISATION_COLUMNS]
        self.index = _RegistryIndex.load()
        self.sectors = {}
        for sector in Sector.objects.all():
            for key in (sector.code, sector.name_pl, sector.name_en):
                self.sectors.setdefault(fold(key), sector.pk)
        self.sector_codes = ", ".join(Sector.objects.values_list("code", flat=True))
        self.choices = {column: choice_lookup(c) for column, c in _CHOICE_COLUMNS.items()}
        self.identifier_rows: dict[tuple[str, str], int] = {}
        self.target_rows: dict[int, int] = {}
        self.instances = self._load_likely_targets(table)

    def apply(self, plan: RowPlan, checked, *, editor) -> None:
        _save_organisation(plan, checked, editor)

    def _load_likely_targets(self, table: Table) -> dict[int, Organisation]:
        """The organisations the rows will probably update, in three queries rather than per row."""
        pks = set()
        for row in table.rows:
            for column, value in _compact_identifiers(row.values).items():
                pks.add(self.index.by_identifier.get((column, value)))
            pks.update(self.index.by_name.get(_name_key(row.values.get("name", "")), []))
        pks.discard(None)
        return (
            Organisation.objects.select_related("membership")
            .prefetch_related("sectors", "competences")
            .in_bulk(pks)
        )

    def validate_row(self, number: int, values: dict[str, str]):
        """(RowPlan, forms) for a good row, or (None, errors)."""
        errors: list[RowError] = []
        ids = _compact_identifiers(values)
        for column, value in ids.items():
            earlier = self.identifier_rows.setdefault((column, value), number)
            if earlier != number:
                label = _IDENTIFIER_CLEANERS[column][0]
                errors.append(
                    RowError(
                        number,
                        column,
                        _("%(label)s %(value)s appears also in row %(row)d of the file.")
                        % {"label": label, "value": value, "row": earlier},
                    )
                )
        target_id, matched_by, match_errors = self._match(number, values, ids)
        errors += match_errors
        if target_id is not None:
            earlier = self.target_rows.setdefault(target_id, number)
            if earlier != number:
                errors.append(
                    RowError(
                        number,
                        "name",
                        _("Row %(row)d of the file already updates “%(name)s”.")
                        % {"row": earlier, "name": self.index.names[target_id]},
                    )
                )
        if errors:
            return None, errors

        if target_id:
            instance = self.instances.get(target_id) or Organisation.objects.get(pk=target_id)
        else:
            instance = Organisation(source=Organisation.Source.IMPORT)
        # Taken before the form runs: validating a model form writes its values into the instance.
        stored = _organisation_snapshot(instance) if target_id else None
        data, errors = self._form_data(number, values, instance)
        missing = _missing_required(number, data, ORGANISATIONS)
        form = StaffOrganisationForm(data=data, instance=instance)
        errors += missing
        if not form.is_valid():
            errors += _without_reported(_form_errors(number, form), missing)
        membership_form = None
        if any(values.get(c) for c in MembershipImportForm.base_fields):
            membership_data = {
                c: date_text(values.get(c, "")) for c in MembershipImportForm.base_fields
            }
            membership_data["membership_status"] = _normalised_choice(
                choice_lookup(Membership.Status.choices), values.get("membership_status", "")
            )
            membership_form = MembershipImportForm(data=membership_data)
            if not membership_form.is_valid():
                errors += _form_errors(number, membership_form)
        if errors:
            return None, errors
        if not target_id:
            action = CREATE
        elif _organisation_differs(stored, form, membership_form):
            action = UPDATE
        else:
            action = UNCHANGED
        plan = RowPlan(
            row=number,
            action=action,
            label=form.cleaned_data["name"],
            matched_by=matched_by,
            target_id=target_id,
        )
        return plan, (form, membership_form)

    def _match(self, number: int, values: dict[str, str], ids: dict[str, str]):
        found = {}
        for column, value in ids.items():
            pk = self.index.by_identifier.get((column, value))
            if pk is not None:
                found.setdefault(pk, _IDENTIFIER_CLEANERS[column][0])
        if len(found) > 1:
            names = "; ".join(self.index.names[pk] for pk in found)
            return (
                None,
                "",
                [
                    RowError(
                        number,
                        "nip",
                        _(
                            "The identifiers of this row belong to different organisations: %(names)s."
                        )
                        % {"names": names},
                    )
                ],
            )
        if found:
            pk, label = next(iter(found.items()))
            return pk, label, []
        has_identifier_columns = any(values.get(column) for column in _IDENTIFIER_CLEANERS)
        if has_identifier_columns:
            return None, "", []
        same_name = self.index.by_name.get(_name_key(values.get("name", "")), [])
        if len(same_name) == 1:
            return same_name[0], _("name"), []
        if len(same_name) > 1:
            return (
                None,
                "",
                [
                    RowError(
                        number,
                        "name",
                        _(
                            "%(count)d organisations have this name; add the NIP or PIC to say "
                            "which one this row is."
                        )
                        % {"count": len(same_name)},
                    )
                ],
            )
        return None, "", []

    def _form_data(self, number: int, values: dict[str, str], instance: Organisation):
        errors = []
        if instance.pk:
            # Columns absent from the file keep their current values.
            data = form_data_from_instance(StaffOrganisationForm, instance)
        else:
            data = forms.model_to_dict(instance, fields=StaffOrganisationForm._meta.fields)
            data = {key: ("" if value is None else value) for key, value in data.items()}
            data.update(sectors=[], competence_tags="")
        for column in self.columns:
            text = values.get(column, "")
            field_name = _FIELD_OF_COLUMN.get(column, column)
            if column in _CHOICE_COLUMNS:
                data[field_name] = _normalised_choice(self.choices[column], text)
            elif column == "sectors":
                data["sectors"] = []
                for code in [c for c in re.split(r"[;,]", text) if c.strip()]:
                    pk = self.sectors.get(fold(code))
                    if pk is None:
                        errors.append(
                            RowError(
                                number,
                                "sectors",
                                _("Unknown sector “%(code)s”; known codes: %(codes)s.")
                                % {"code": code.strip(), "codes": self.sector_codes},
                            )
                        )
                    else:
                        data["sectors"].append(pk)
            elif column == "is_published":
                published = boolean(text)
                if published is None:
                    errors.append(
                        RowError(number, column, _("Write yes or no (tak / nie, true / false)."))
                    )
                data[field_name] = bool(published)
            elif column == "funding_sought_eur":
                data[field_name] = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
            elif field_name in data:
                data[field_name] = text
        return data, errors


def _form_errors(number: int, form) -> list[RowError]:
    return row_form_errors(number, form, _COLUMN_OF_FIELD)


def _plain(value):
    """A stored or cleaned value in a form that compares equal when it means the same."""
    if value is None:
        return ""
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _differs(stored: dict, cleaned: dict, skip=()) -> bool:
    return any(
        _plain(value) != _plain(stored.get(name))
        for name, value in cleaned.items()
        if name not in skip and name in stored
    )


def _organisation_snapshot(organisation: Organisation) -> dict:
    stored = forms.model_to_dict(organisation, fields=StaffOrganisationForm._meta.fields)
    stored["sectors"] = {sector.pk for sector in organisation.sectors.all()}
    stored["competence_tags"] = {
        slugify(c.name, allow_unicode=True) for c in organisation.competences.all()
    }
    try:
        stored["membership"] = organisation.membership
    except Membership.DoesNotExist:
        stored["membership"] = None
    return stored


def _organisation_differs(stored: dict, form, membership_form) -> bool:
    """Whether saving the row would change anything: an export imported back unchanged must
    report 0 updated (and write nothing, so the audit trail shows no empty changes)."""
    cleaned = form.cleaned_data
    if {sector.pk for sector in cleaned.get("sectors") or []} != stored["sectors"]:
        return True
    tags = {slugify(tag, allow_unicode=True) for tag in cleaned.get("competence_tags") or []}
    if tags != stored["competence_tags"]:
        return True
    if _differs(stored, cleaned, skip=("sectors", "competence_tags")):
        return True
    if membership_form is None:
        return False
    membership = stored["membership"]
    if membership is None:
        return True
    return any(
        value and value != getattr(membership, field_name)
        for value, field_name in (
            (membership_form.cleaned_data.get("membership_status"), "status"),
            (membership_form.cleaned_data.get("membership_joined_on"), "joined_on"),
            (membership_form.cleaned_data.get("membership_left_on"), "left_on"),
        )
    )


def _save_organisation(plan: RowPlan, checked, editor) -> None:
    if plan.action == UNCHANGED:
        return
    form, membership_form = checked
    organisation = organisation_save_from_form(form=form, editor=editor)
    if membership_form is not None:
        cleaned = membership_form.cleaned_data
        membership, _created = Membership.objects.get_or_create(organisation=organisation)
        for column, field_name in (
            ("membership_status", "status"),
            ("membership_joined_on", "joined_on"),
            ("membership_left_on", "left_on"),
        ):
            if cleaned.get(column):
                setattr(membership, field_name, cleaned[column])
        membership.save()
    plan.target_id = organisation.pk


# --- People -----------------------------------------------------------------------------------


class PeopleImporter(_RegistryImporter):
    """Checks people rows; each names its organisation by NIP, PIC or exact name."""

    kind = PEOPLE
    columns = PERSON_COLUMNS
    required = tuple(required_columns(PEOPLE))
    label_heading = gettext_lazy("Full name")
    shows_organisation = True

    @classmethod
    def read(cls, *, data: bytes, filename: str) -> Table:
        table = super().read(data=data, filename=filename)
        if not set(PERSON_ORGANISATION_COLUMNS) & set(table.headers):
            raise TabularError("missing_columns", columns=[" | ".join(PERSON_ORGANISATION_COLUMNS)])
        return table

    def __init__(self, table: Table, **options):
        super().__init__(table, **options)
        self.columns = [c for c in table.headers if c in PERSON_COLUMNS]
        self.index = _RegistryIndex.load()
        self.person_rows: dict[tuple, int] = {}

    def apply(self, plan: RowPlan, checked, *, editor) -> None:
        _save_person(plan, checked, editor)

    def _organisation(self, number: int, values: dict[str, str]):
        found, errors = {}, []
        for column, id_column in (("organisation_nip", "nip"), ("organisation_pic", "pic")):
            text = values.get(column, "")
            if not text:
                continue
            label, clean = _IDENTIFIER_CLEANERS[id_column]
            try:
                value = clean(text)
            except ValidationError as error:
                errors += [RowError(number, column, message) for message in error.messages]
                continue
            pk = self.index.by_identifier.get((id_column, value))
            if pk is None:
                errors.append(
                    RowError(
                        number,
                        column,
                        _("No organisation in the registry has %(label)s %(value)s.")
                        % {"label": label, "value": value},
                    )
                )
            else:
                found[pk] = column
        name = values.get("organisation_name", "")
        if name and not found and not errors:
            same_name = self.index.by_name.get(_name_key(name), [])
            if len(same_name) == 1:
                found[same_name[0]] = "organisation_name"
            elif same_name:
                errors.append(
                    RowError(
                        number,
                        "organisation_name",
                        _("%(count)d organisations have this name; give the NIP or PIC.")
                        % {"count": len(same_name)},
                    )
                )
            else:
                errors.append(
                    RowError(
                        number,
                        "organisation_name",
                        _("No organisation in the registry is named “%(name)s”.") % {"name": name},
                    )
                )
        if len(found) > 1:
            errors.append(
                RowError(
                    number,
                    "organisation_nip",
                    _("The NIP and the PIC of this row name different organisations."),
                )
            )
        if not found and not errors:
            errors.append(
                RowError(
                    number,
                    "organisation_nip",
                    _("Say which organisation the person belongs to (NIP, PIC or exact name)."),
                )
            )
        return (next(iter(found)) if len(found) == 1 and not errors else None), errors

    def validate_row(self, number: int, values: dict[str, str]):
        organisation_id, errors = self._organisation(number, values)
        if errors:
            return None, errors
        email = values.get("email", "").strip().lower()
        key = (
            (organisation_id, "email", email)
            if email
            else (
                organisation_id,
                "name",
                _name_key(values["first_name"]),
                _name_key(values["last_name"]),
            )
        )
        earlier = self.person_rows.setdefault(key, number)
        if earlier != number:
            return None, [
                RowError(
                    number,
                    "email" if email else "last_name",
                    _("The same person appears also in row %(row)d of the file.")
                    % {"row": earlier},
                )
            ]
        people = Person.objects.filter(organisation_id=organisation_id)
        if email:
            instance = people.filter(email__iexact=email).first()
        else:
            instance = people.filter(
                first_name__iexact=values["first_name"].strip(),
                last_name__iexact=values["last_name"].strip(),
            ).first()
        data = forms.model_to_dict(instance or Person(), fields=PersonForm._meta.fields)
        data = {key: ("" if value is None else value) for key, value in data.items()}
        stored = dict(data)
        for column in self.columns:
            if column in PERSON_ORGANISATION_COLUMNS or column not in data:
                continue
            text = values.get(column, "")
            if column == "is_primary_contact":
                primary = boolean(text)
                if primary is None:
                    errors.append(
                        RowError(number, column, _("Write yes or no (tak / nie, true / false)."))
                    )
                data[column] = bool(primary)
            elif column.startswith("consent_") and column.endswith("_on"):
                data[column] = date_text(text)
            else:
                data[column] = text
        missing = _missing_required(number, data, PEOPLE)
        form = PersonForm(data=data, instance=instance)
        errors += missing
        if not form.is_valid():
            errors += _without_reported(_form_errors(number, form), missing)
        if errors:
            return None, errors
        if not instance:
            action = CREATE
        elif _differs(stored, form.cleaned_data):
            action = UPDATE
        else:
            action = UNCHANGED
        plan = RowPlan(
            row=number,
            action=action,
            label=f"{form.cleaned_data['first_name']} {form.cleaned_data['last_name']}",
            matched_by=("e-mail" if email else _("name")) if instance else "",
            target_id=instance.pk if instance else None,
            organisation=self.index.names[organisation_id],
        )
        return plan, (form, organisation_id)


def _save_person(plan: RowPlan, checked, editor) -> None:
    if plan.action == UNCHANGED:
        return
    form, organisation_id = checked
    organisation = Organisation.objects.get(pk=organisation_id)
    person = person_save_from_form(form=form, organisation=organisation, editor=editor)
    plan.target_id = person.pk


# --- Dry run and real run ---------------------------------------------------------------------

IMPORTERS: dict[str, type[Importer]] = {ORGANISATIONS: OrganisationImporter, PEOPLE: PeopleImporter}


def importer_for(kind: str) -> tuple[type[Importer], dict]:
    """The importer of an upload of `kind` (organisations or people), with no options."""
    try:
        return IMPORTERS[kind], {}
    except KeyError:
        raise LookupError(f"Unknown import kind {kind!r}") from None


def import_check(
    *, data: bytes, filename: str, kind: str, editor, progress: Progress | None = None
) -> ImportReport:
    """The dry run: what the import would create and update, and every row error. Writes nothing."""
    importer, _options = importer_for(kind)
    return run_import_check(
        importer, data=data, filename=filename, editor=editor, progress=progress
    )


def import_apply(
    *, data: bytes, filename: str, kind: str, editor, progress: Progress | None = None
) -> ImportReport:
    """The real run, all-or-nothing: the rows are checked again inside the transaction (the
    registry may have changed since the preview) and any error rolls everything back by raising
    ImportRejected."""
    importer, _options = importer_for(kind)
    return run_import_apply(
        importer, data=data, filename=filename, editor=editor, progress=progress
    )


class RegistryUploadForm(ImportUploadForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[
            (ORGANISATIONS, gettext_lazy("Organisations")),
            (PEOPLE, gettext_lazy("Contact people of organisations")),
        ],
        initial=ORGANISATIONS,
        widget=forms.RadioSelect,
    )
    field_order = ["kind", "file"]
    choice = "kind"

    def upload_kind(self) -> str:
        return self.cleaned_data["kind"]


def describe(kind: str) -> str:
    """An upload's kind in the reader's words: "Import: organizacje z pliku …"."""
    return _("contact people") if kind == PEOPLE else _("organisations")
