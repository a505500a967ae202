"""The staffing search shows how far it is and about how long is left, and grows its estimate
when the search needs more replications than it guessed."""
import io

from rich.console import Console

from cpmodel.staff_progress import estimated_replications, staffing_progress


def test_the_estimate_counts_the_bisection_steps_and_survey_levels_of_each_pool():
    # 4..16 is 13 levels: 4 halvings + the top, and 4 survey levels, 3 replications each
    assert estimated_replications({"social_workers": (4, 16)}, 3, 4) == (5 + 4) * 3
    assert estimated_replications({"social_workers": (4, 16), "conference_chairs": (1, 2)}, 3, 0) == 5 * 3 + 2 * 3
    assert estimated_replications({"social_workers": (5, 5)}, 3, 4) == 3
    assert estimated_replications({"social_workers": (4, 16)}, 5, 4, 3) == 5 * 5 + 4 * 3   # survey levels: 3 each
    assert estimated_replications({"social_workers": (4, 16)}, 2, 4, 3) == (5 + 4) * 2     # never more than a race's first


def test_the_bar_shows_progress_and_time_left_and_grows_past_its_estimate():
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=160)
    with staffing_progress(console, estimate=2, disable=False) as advance:
        for number in range(5):
            advance(f"7 social workers: replication {number + 1} of 5")
        # the search needed 5 against an estimate of 2: the bar never shows more done than its total
    text = stream.getvalue()
    assert "replications (estimate)" in text and "7 social workers" in text and "left" in text
    assert "5/2" not in text and "3/2" not in text


def test_no_bar_is_drawn_for_json_output():
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=160)
    with staffing_progress(console, estimate=4, disable=True) as advance:
        advance("4 social workers: replication 1 of 3")
    assert stream.getvalue() == ""
