"""Background work of events: scheduling a big brokerage day, e-mailing its agendas, and
expiring meeting requests.
The huey consumer imports every app's `tasks` module, which registers the job handler."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from klaster.events import emails, services
from klaster.events.models import Event
from klaster.jobs.registry import JobKind, job_handler


@job_handler(JobKind.EVENT_SCHEDULE)
def run_schedule_job(job, progress) -> dict:
    event = Event.objects.get(pk=job.parameters["event_id"])
    outcome = services.event_schedule(event=event, user=job.created_by, progress=progress)
    result = outcome.as_dict()
    result["summary"] = f"{outcome.meetings} meetings, {outcome.unscheduled} unscheduled"
    return result


@job_handler(JobKind.EVENT_ANNOUNCE)
def run_announce_job(job, progress) -> dict:
    event = Event.objects.get(pk=job.parameters["event_id"])
    sent = emails.schedule_announced_send(event=event, progress=progress)
    return {"sent": sent, "summary": f"{sent} e-mails sent"}


@db_periodic_task(crontab(minute="7"))
def expire_meeting_requests_task() -> int:
    """Hourly: pages already show late requests as expired; this makes the rows say so too."""
    return services.meeting_requests_expire()
