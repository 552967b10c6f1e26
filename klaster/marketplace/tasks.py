"""Background work of the marketplace: the check and the import of an uploaded file of
profiles, and its upkeep (expiry and renewal reminders, saved-search alerts, the weekly
digest), which the task worker runs on its own, so no cron entry is needed. The huey consumer
imports every app's `tasks` module, which is how these get registered in the worker."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from klaster.imports import uploads
from klaster.jobs.registry import JobKind, Progress, job_handler
from klaster.marketplace import services, services_alerts
from klaster.marketplace.imports import importer_for


@job_handler(JobKind.MARKETPLACE_IMPORT_CHECK)
def run_profiles_check_job(job, progress: Progress) -> dict:
    """The preview's dry run of an uploaded file of profiles."""
    return uploads.run_check_job(job, progress, importer_for=importer_for)


@job_handler(JobKind.MARKETPLACE_IMPORT)
def run_profiles_import_job(job, progress: Progress) -> dict:
    """The import of profiles (all rows or none), from an upload or a path."""
    return uploads.run_import_job(job, progress, importer_for=importer_for)


@db_periodic_task(crontab(hour="3", minute="17"))
def profiles_expire_task() -> dict:
    """Daily: profiles past their deadline or inactive expire; owners get one reminder before."""
    return services.profiles_expire(now=timezone.now())


@db_periodic_task(crontab(minute="23"))
def alerts_send_task() -> int:
    """Hourly: each saved search's new profiles, each profile once."""
    return services_alerts.alerts_send(now=timezone.now())


@db_periodic_task(crontab(hour="7", minute="41"))
def digests_send_task() -> int:
    """Daily at 07:41; a member gets the digest at most once in seven days (the service's rule),
    so this sends each one weekly."""
    return services_alerts.digests_send(now=timezone.now())
