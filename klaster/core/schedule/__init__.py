"""B2B meeting scheduling for brokerage days: CP-SAT, a greedy start, bounds and a checker.

`solve_schedule` plans a day, `reschedule` adds late acceptances without moving announced
meetings, `meeting_upper_bound` says how far from perfect a schedule can be, and
`schedule_violations` checks a schedule independently of the scheduler.
"""

from klaster.core.schedule.bounds import MeetingBound, meeting_upper_bound
from klaster.core.schedule.checker import schedule_violations
from klaster.core.schedule.greedy import first_come_first_served, greedy_schedule
from klaster.core.schedule.incremental import reschedule
from klaster.core.schedule.instance_json import instance_from_json, load_instance, schedule_to_json
from klaster.core.schedule.records import (
    Instance,
    LockedMeeting,
    Meeting,
    MeetingRequest,
    Participant,
    Reason,
    Schedule,
    UnscheduledRequest,
)
from klaster.core.schedule.solver import DEFAULT_TIME_LIMIT, solve_schedule
from klaster.core.schedule.validation import InstanceError, instance_problems, validate_instance

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Instance",
    "InstanceError",
    "LockedMeeting",
    "Meeting",
    "MeetingBound",
    "MeetingRequest",
    "Participant",
    "Reason",
    "Schedule",
    "UnscheduledRequest",
    "first_come_first_served",
    "greedy_schedule",
    "instance_from_json",
    "instance_problems",
    "load_instance",
    "meeting_upper_bound",
    "reschedule",
    "schedule_to_json",
    "schedule_violations",
    "solve_schedule",
    "validate_instance",
]
