"""Suggested B2B matches and iCal text: small cases checked by hand (no database)."""

import datetime

from klaster.core.ical import CalendarItem, calendar, escape_text, fold_line
from klaster.core.meeting_matching import Profile, score_match, suggest_matches


def test_offer_that_answers_what_i_look_for_ranks_first():
    me = Profile(
        1, offers="software", looking_for="satellite imagery", sectors=frozenset({"space"})
    )
    answers = Profile(2, offers="satellite imagery services")
    sector_only = Profile(3, offers="catering", sectors=frozenset({"space"}))
    nothing = Profile(4, offers="furniture")
    matches = suggest_matches(me, [nothing, sector_only, answers, me])
    assert [m.id for m in matches] == [2, 3]
    assert matches[0].they_offer == ("imagery", "satellite")


def test_match_works_both_ways_and_in_polish():
    me = Profile(1, offers="magazyny energii", looking_for="")
    them = Profile(2, offers="", looking_for="magazyn energii")
    match = score_match(me, them)
    assert match.they_look_for and match.score > 0


def test_empty_profiles_suggest_nobody():
    assert suggest_matches(Profile(1), [Profile(2), Profile(3)]) == []


def test_text_values_are_escaped():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_letters():
    line = "SUMMARY:" + "źdźbło " * 30
    folded = fold_line(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_calendar_has_crlf_and_utc_times():
    warsaw = datetime.timezone(datetime.timedelta(hours=2))
    item = CalendarItem(
        uid="x@klaster",
        summary="Spotkanie",
        start=datetime.datetime(2026, 6, 1, 10, tzinfo=warsaw),
        end=datetime.datetime(2026, 6, 1, 10, 20, tzinfo=warsaw),
    )
    text = calendar([item], name="Test", stamp=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert "DTSTART:20260601T080000Z\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
