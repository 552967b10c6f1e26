"""The partner engine over the database: read, build, serve, rebuild when the data changes."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from klaster.core.partners.explanations import explain
from klaster.core.partners.features import PartnerQuery
from klaster.jobs.models import Job
from klaster.jobs.services import job_run
from klaster.partners import services, serving
from klaster.partners.serving import EngineState
from klaster.partners.tests.trackrecord_rows import THEMES, pic_of
from klaster.trackrecord.models import CordisOrganisation, CordisParticipation, CordisProject

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("partner_engine_sandbox")]

SPACE_IDEA = PartnerQuery(
    title="Satellite earth observation for crop monitoring",
    objective="Remote sensing data from satellites to monitor agriculture.",
    keywords=("earth observation",),
    coordinator=pic_of("space", 0),
)


def build_jobs() -> int:
    return Job.objects.filter(kind=serving.BUILD_JOB).count()


def add_project(pic: str, project_id: str = "109999999") -> None:
    project = CordisProject.objects.create(
        project_id=project_id,
        title="Satellite constellation for soil moisture",
        start_date=date(2023, 6, 1),
        checksum="new",
    )
    organisation = CordisOrganisation.objects.get_or_create(
        pic=pic, defaults={"name": "Newcomer", "country": "PL", "checksum": "new"}
    )[0]
    CordisParticipation.objects.create(
        project=project, cordis_organisation=organisation, role="coordinator", checksum="new"
    )


def test_history_is_read_from_the_track_record_in_a_few_queries(
    track_record, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        history = serving.history_from_database()
    assert len(history.projects) == 36 * len(THEMES)
    assert len(history.participations) == 4 * len(history.projects)
    assert len(history.organisations) == 18
    project = next(p for p in history.projects if p.id == "101000002")
    assert project.topics == ("HORIZON-CL4-2022-SPACE-01-11",)
    assert project.topic_titles == ("space topic",)
    assert project.keywords == ("satellite", "earth observation", "remote sensing")
    assert project.start_date == date(2021, 1, 1)
    sme = {p.organisation_id: p.sme for p in history.participations}
    assert sme[pic_of("space", 0)] is True  # a company (PRC) of the sample
    assert sme[pic_of("space", 1)] is False  # a university


def test_recommends_partners_of_the_ideas_theme_and_explains_each(track_record):
    recommender = serving.build_recommender_now()
    ranked = recommender.rank(SPACE_IDEA, k=5)
    assert {r.organisation_id for r in ranked} == {pic_of("space", n) for n in range(1, 6)}
    explanations = explain(recommender, SPACE_IDEA, ranked)
    for explanation in explanations:
        assert explanation.past_projects, "a similar past project backs every partner"
        assert all(p.acronym.startswith("SPACE") for p in explanation.past_projects)
        assert explanation.collaboration_path[0] == pic_of("space", 0)
        assert explanation.collaboration_path[-1] == explanation.organisation_id
        assert explanation.projects_with_coordinator > 0
        assert dict(explanation.signal_contributions)


def test_reading_the_engine_never_starts_a_build(track_record):
    assert serving.engine_get().state == EngineState.MISSING
    assert serving.engine_get().recommender is None
    assert build_jobs() == 0


def test_the_first_request_starts_one_build_and_no_second_while_it_runs(track_record):
    assert services.engine_build_start().recommender is None
    assert services.engine_build_start().recommender is None
    assert build_jobs() == 1
    engine = serving.engine_get()
    assert engine.state == EngineState.BUILDING and not engine.ready
    assert engine.job.pk == Job.objects.get(kind=serving.BUILD_JOB).pk
    assert engine.projects == 108


def test_the_build_job_makes_the_engine_ready_for_everyone(track_record):
    services.engine_build_start()
    job = job_run(job_id=Job.objects.get(kind=serving.BUILD_JOB).pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["organisations"] == 18
    assert serving.engine_get().recommender is not None
    assert services.engine_build_start().ready  # nothing more to start
    assert build_jobs() == 1
    engine = serving.engine_get()
    assert engine.ready is True
    assert engine.built_at is not None
    assert (engine.projects, engine.organisations) == (108, 18)


def test_a_new_process_loads_the_built_engine_from_disk(track_record):
    serving.build_recommender_now()
    serving._loaded.clear()  # as in a fresh web process
    recommender = serving.engine_get().recommender
    assert recommender is not None
    assert recommender.rank(SPACE_IDEA, k=1)[0].organisation_id.startswith("91")
    assert build_jobs() == 0


def test_the_engine_is_rebuilt_when_the_track_record_changes(track_record):
    serving.build_recommender_now()
    add_project("987654321")
    assert serving.engine_get().recommender is None
    assert serving.engine_get().ready is False
    assert services.engine_build_start().recommender is None
    assert build_jobs() == 1
    recommender = serving.build_recommender_now()
    assert "987654321" in recommender.index.position
    assert serving.engine_get().recommender is recommender


def test_no_build_starts_without_eu_projects(db):
    assert services.engine_build_start().recommender is None
    assert build_jobs() == 0
    engine = serving.engine_get()
    assert engine.state == EngineState.NO_DATA
    assert (engine.ready, engine.job, engine.built_at) == (False, None, None)
    assert (engine.projects, engine.organisations) == (0, 0)


def test_a_failed_build_is_retried_on_demand_not_on_every_request(track_record):
    Job.objects.create(
        kind=serving.BUILD_JOB,
        title="build",
        status=Job.Status.FAILED,
        parameters={"fingerprint": serving.track_record_fingerprint()},
    )
    assert services.engine_build_start().state == EngineState.FAILED
    assert build_jobs() == 1
    assert services.engine_build_start(retry_failed=True).state == EngineState.BUILDING
    assert build_jobs() == 2


def test_a_build_stuck_for_hours_does_not_block_a_new_one(track_record):
    stuck = Job.objects.create(kind=serving.BUILD_JOB, title="build", status=Job.Status.RUNNING)
    Job.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=5))
    services.engine_build_start()
    assert build_jobs() == 2


def test_the_command_builds_the_index_and_then_finds_it_up_to_date(track_record, capsys):
    call_command("partners_index", verbosity=1)
    assert "Partner index ready: 18 organisations from 108 EU projects" in capsys.readouterr().out
    call_command("partners_index", "--if-stale", verbosity=1)
    assert "up to date" in capsys.readouterr().out
    assert build_jobs() == 0


def test_build_progress_speaks_the_readers_language_and_leaves_details_to_the_log(track_record):
    said, logged = [], []
    with translation.override("pl"):
        serving.build_recommender_now(
            progress=lambda done, total, message: said.append(message), log=logged.append
        )
    assert said[0] == "Wczytywanie dorobku projektowego"
    assert said[-1] == "Indeks partnerów jest gotowy"
    assert set(said) == {
        "Wczytywanie dorobku projektowego",
        "Uczenie modelu rankingowego na dorobku projektowym",
        "Zapisywanie indeksu partnerów",
        "Indeks partnerów jest gotowy",
    }
    assert any("training rows" in line for line in logged)  # the operator's details


def test_a_shared_build_is_told_to_each_reader_in_their_own_language(track_record):
    from klaster.jobs.selectors import job_with_progress
    from klaster.jobs.services import job_progress_write

    with translation.override("pl"):  # started by a Polish reader (or the command line)
        job = services.engine_build_start().job
        job_progress_write(job_id=job.pk, done=1, total=serving.BUILD_STEPS, message="po polsku")
    assert job.title == "Budowanie indeksu partnerów"
    with translation.override("en"):
        shown = job_with_progress(job_id=job.pk)
    assert (shown.title, shown.message) == (
        "Building the partner index",
        "Fitting the ranker on the track record",
    )
    with translation.override("pl"):
        assert job_with_progress(job_id=job.pk).message == (
            "Uczenie modelu rankingowego na dorobku projektowym"
        )
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        done=serving.BUILD_STEPS,
        result={"organisations": 18, "projects": 108, "summary": "Indeks partnerów gotowy"},
    )
    with translation.override("en"):
        finished = job_with_progress(job_id=job.pk)
    assert finished.message == "The partner index is ready"
    assert finished.result["summary"] == (
        "Partner index ready: 18 organisations from 108 EU projects."
    )
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message="ValueError: x")
    assert job_with_progress(job_id=job.pk).message == "ValueError: x"  # a failure as it was


def test_the_command_prints_each_step_once_and_the_fitting_details(track_record, capsys):
    call_command("partners_index", verbosity=1)
    lines = capsys.readouterr().err.splitlines()
    steps = [line for line in lines if line.startswith("[")]
    assert len(steps) == len(set(steps)) == serving.BUILD_STEPS
    # In one language with the command's other lines, whatever the site's default language.
    assert steps[0] == f"[0/{serving.BUILD_STEPS}] Reading the track record"
    assert steps[-1] == f"[{serving.BUILD_STEPS}/{serving.BUILD_STEPS}] The partner index is ready"
    assert any("training rows" in line for line in lines)


def test_the_command_can_leave_the_build_to_the_background_worker(
    track_record, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        call_command("partners_index", "--queue", verbosity=1)
    assert "queued for the background worker" in capsys.readouterr().out
    job = Job.objects.get(kind=serving.BUILD_JOB)
    assert job.status == Job.Status.QUEUED and not serving.engine_get().ready
    for hand_to_worker in queued:  # what the worker does once the transaction is committed
        hand_to_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert serving.engine_get().ready
    call_command("partners_index", "--queue", "--if-stale", verbosity=1)
    assert "up to date" in capsys.readouterr().out
    assert build_jobs() == 1


def test_queueing_a_build_without_eu_projects_is_refused(db):
    with pytest.raises(CommandError, match="import CORDIS first"):
        call_command("partners_index", "--queue")
    assert not Job.objects.exists()
