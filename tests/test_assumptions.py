"""The default parameter set of a sensitivity run: the figures a scenario marks ASSUMPTION."""
from cpmodel.sim.assumptions import assumption_paths, path_text
from cpmodel.sim.scenario import SCENARIO_FOLDER


def test_county_assumptions_are_the_figures_marked_and_only_those():
    found = {path_text(p) for p in assumption_paths(SCENARIO_FOLDER / "county.yaml")}
    assert {"case_flow.no_access_per_visit", "staff.social_workers.vacancy_weeks", "staff.conference_chairs.count",
            "demand.children_per_household", "task_hours.visit.lead_social_worker"} <= found
    # cited figures are not assumptions, nor is the file's title under the explanatory header
    assert not found & {"staff.social_workers.turnover_per_year", "demand.plan_starts_per_month",
                        "demand.unborn_share", "case_flow.end_at_review.0", "seed", "horizon_years"}
    # "ASSUMPTION throughout" above task_hours marks every hour in it
    assert {p for p in found if p.startswith("task_hours.")} == {
        f"task_hours.{event}.{role}" for event, roles in {
            "initial_conference": ["conference_chair", "lead_social_worker"], "visit": ["lead_social_worker"],
            "core_group": ["lead_social_worker"], "notes_circulated": ["lead_social_worker"],
            "review_conference": ["conference_chair", "lead_social_worker"], "views_requested": ["conference_chair"],
            "views_received": ["conference_chair"], "difficulty_reported": ["lead_social_worker", "team_manager"],
            "multi_agency_meeting": ["lead_social_worker"]}.items() for role in roles}


def test_a_figure_replaced_by_calibration_is_no_longer_an_assumption(tmp_path):
    text = (SCENARIO_FOLDER / "county.yaml").read_text().replace(
        "no_access_per_visit: 0.08               # ASSUMPTION",
        "no_access_per_visit: 0.1  # estimated from log.csv (n=300); 95% CI 0.07-0.14")
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    found = {path_text(p) for p in assumption_paths(path)}
    assert "case_flow.no_access_per_visit" not in found and "case_flow.seen_alone_per_visit" in found
