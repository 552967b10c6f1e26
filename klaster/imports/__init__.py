"""Imports of CSV and XLSX files, the same for every kind of file the cluster imports.

The package holds what every import shares: the row-level report (`report`), the row plan and
its all-or-nothing rule (`plan`), the upload form with its size and type limits (`forms`),
uploads kept between the preview and the confirmation and deleted when rejected, refused or
cancelled, and the background jobs that check and import them (`uploads`), the command-line
runner with its dry run and exit codes (`cli`), and the pages with one upload template and
one preview template (`views`, `imports/upload.html`, `imports/preview.html`).

A domain app keeps only what is its own: the columns, the check of a row, and the writes. A
new importer, such as the marketplace's offers, is one small class::

    from klaster.imports.plan import Importer
    from klaster.imports.report import CREATE, UPDATE, RowPlan, form_errors

    class OfferImporter(Importer):
        kind = "offers"
        columns = ("title", "organisation_nip", "description", "price_eur")
        required = ("title", "organisation_nip")
        refused = "Only coordinator staff import offers."
        label_heading = gettext_lazy("Offer")
        detail_url = "marketplace:offer"

        def validate_row(self, number, values):
            form = OfferRowForm(data=values, instance=find_offer(values))
            if not form.is_valid():
                return None, form_errors(number, form)
            action = UPDATE if form.instance.pk else CREATE
            plan = RowPlan(number, action, form.cleaned_data["title"], target_id=form.instance.pk)
            return plan, form

        def apply(self, plan, form, *, editor):
            plan.target_id = offer_save_from_form(form=form, editor=editor).pk

and then, as members and calls do, a `importer_for(upload_kind)` function, two job kinds in
`klaster/jobs/registry.py` whose handlers call `uploads.run_check_job` / `run_import_job`, an
`ImportPages` routed to the four views of `klaster.imports.views`, and a management command
that calls `cli.command_line_import`.
"""
