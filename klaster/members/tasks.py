"""Background work of the member registry. The huey consumer imports every app's `tasks`
module, which is how the import and import-check job handlers get registered in the worker."""

from klaster.members.imports import run_import_check_job, run_import_job

__all__ = ["run_import_check_job", "run_import_job"]
