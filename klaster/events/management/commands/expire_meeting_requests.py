"""`klaster expire_meeting_requests`: mark unanswered meeting requests past their time as
expired. Pages already show them as expired; this keeps the rows (and exports) in step."""

from django.core.management.base import BaseCommand

from klaster.events.services import meeting_requests_expire


class Command(BaseCommand):
    help = "Mark pending B2B meeting requests past their expiry time as expired."

    def handle(self, *args, **options):
        count = meeting_requests_expire()
        self.stdout.write(f"{count} meeting requests marked as expired.")
