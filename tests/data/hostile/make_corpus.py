"""Write the hostile-input corpus: every file here, and manifest.yaml saying what each must get.

Run from the project root: .venv/bin/python tests/data/hostile/make_corpus.py
Each case is one bad input (a procedure, scenario, pathway, CSV event log or command line) with
the command it is given to, the exit code it must get and a fragment of the message it must
print. A few hostile but valid inputs (markup and quotes in names) must simply work.
"""
from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
BASE = (HERE / "base-procedure.yaml").read_text(encoding="utf-8")
COUNTY = (ROOT / "scenarios" / "county.yaml").read_text(encoding="utf-8")
PATHWAY = (ROOT / "scenarios" / "pathways" / "plan-reviewed-and-discontinued.yaml").read_text(encoding="utf-8")
CASES: list[dict] = []
for _folder in ("procedures", "scenarios", "pathways", "csv"):
    shutil.rmtree(HERE / _folder, ignore_errors=True)


def case(name, kind, content, args, exit, fragment, setup=None, suffix=None):
    """Record one case; content is text or bytes (None: a command line with no file)."""
    entry = {"name": name, "args": args, "exit": exit, "fragment": fragment}
    if content is not None:
        folder = {"procedure": "procedures", "scenario": "scenarios", "pathway": "pathways", "csv": "csv"}[kind]
        ending = suffix or (".csv" if kind == "csv" else ".yaml")
        path = HERE / folder / f"{name}{ending}"
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.write_bytes if isinstance(content, bytes) else lambda t: path.write_text(t, encoding="utf-8"))(content)
        entry["file"] = f"{folder}/{name}{ending}"
    if setup:
        entry["setup"] = setup
    CASES.append(entry)


def swap(text, old, new, count=1):
    assert old in text, old
    return text.replace(old, new, count)


# ---------------------------------------------------------------------------------------------
# Procedures (given to export, check, diff or graph)
def procedure(name, content, fragment, exit=2, args=None):
    case(name, "procedure", content, args or ["export", "{file}"], exit, fragment)


LOL = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
       + "".join(f"{x}: &{x} [{', '.join(['*' + p] * 9)}]\n" for p, x in zip("abcdefgh", "bcdefghi")))
procedure("alias-bomb", LOL, "anchor '&a' refused")
procedure("alias-bomb-check", LOL, "anchor '&a' refused", args=["check", "{file}"])
procedure("alias-bomb-diff", LOL, "anchor '&a' refused", args=["diff", "{file}", "{file}"])
procedure("anchor-on-a-state", swap(BASE, "  - {id: referred,", "  - &first {id: referred,"), "anchor '&first' refused")
procedure("alias-without-anchor", swap(BASE, "  - {id: no_plan,", "  - *nothing\n  - {id: no_plan,"), "alias '*nothing' refused")
procedure("merge-key", swap(BASE, "roles:\n", "defaults: &d {citation: \"impl#1\"}\nroles:\n"), "anchor '&d' refused")
procedure("nested-300-deep", BASE + "extra: " + "[" * 300 + "]" * 300 + "\n", "nested more than 40 levels")
procedure("nested-mappings-60-deep", BASE + "extra: " + "{a: " * 60 + "1" + "}" * 60 + "\n", "nested more than 40 levels")
procedure("tab-indentation", swap(BASE, "  - {id: lead_social_worker", "\t- {id: lead_social_worker"), "tabs cannot indent")
procedure("colon-in-text", swap(BASE, "  - {id: end_plan, description: End the plan}",
                                "  - id: end_plan\n    description: End the plan: at once"), "colon followed by a space")
procedure("duplicate-key", swap(BASE, 'version: "1"\n', 'version: "1"\nversion: "2"\n'), "key 'version' appears twice")
procedure("unclosed-quote", BASE + 'note: "unfinished\n', "quotation")
procedure("unclosed-bracket", swap(BASE, "values: [none, s20, care_order]", "values: [none, s20, care_order"), "not closed")
procedure("two-documents", BASE + "---\nname: second\n", "more than one document")
procedure("python-object-tag", swap(BASE, 'version: "1"', "version: !!python/object/apply:os.system [ls]"), "tag")
procedure("binary-tag", swap(BASE, 'version: "1"', "version: !!binary aGVsbG8="), "tag")
procedure("set-tag", swap(BASE, 'version: "1"', "version: !!set {a, b}"), "tag")
procedure("custom-tag", swap(BASE, 'version: "1"', "version: !include other.yaml"), "tag")
procedure("latin-1-byte", swap(BASE, "name: Small", "name: Sm\u00e9ll").encode("latin-1"), "not UTF-8")
procedure("nul-byte", swap(BASE, "name: Small", "name: Sm\x00all"), "NUL")
procedure("empty-file", "", "must be a mapping")
procedure("only-a-comment", "# nothing here\n", "must be a mapping")
procedure("top-level-list", "- a\n- b\n", "must be a mapping")
procedure("top-level-text", "just some words\n", "must be a mapping")
procedure("control-character", swap(BASE, "name: Small", "name: Sm\x07all"), "control character")
procedure("complex-key", BASE + "? [a, b]\n: 1\n", "a key must be plain text")
procedure("unknown-escape", swap(BASE, 'version: "1"', 'version: "1\\q"'), "backslash escape")
procedure("list-item-misplaced", swap(BASE, 'version: "1"\n', 'version: "1"\n - x\n'), "")
procedure("at-sign-value", swap(BASE, 'version: "1"', "version: @home"), "cannot start a value")
procedure("backtick-value", swap(BASE, 'version: "1"', "version: `1`"), "cannot start a value")
procedure("unknown-state", swap(BASE, "to: plan_in_force, event: plan_made", "to: plan_in_forse, event: plan_made"),
          "transitions[1].to: unknown state 'plan_in_forse' (did you mean 'plan_in_force'?)")
procedure("unknown-field", swap(BASE, "  - {id: plan_in_force, name: Plan in force,",
                                "  - {id: plan_in_force, colour: blue, name: Plan in force,"), "states[2].colour: unknown field")
procedure("missing-name", swap(BASE, "name: Small procedure for hostile-input tests\n", ""), "name: required field is missing")
procedure("many-errors-at-once", swap(swap(BASE, "name: Small procedure for hostile-input tests\n", ""),
                                      "kind: decision", "kind: maybe"), "states[1].kind")
procedure("int-fact-a-billion-values", swap(BASE, "min: 0, max: 18", "min: 0, max: 1000000000"), "at most 1000 values")
procedure("int-fact-a-billion-check", swap(BASE, "min: 0, max: 18", "min: 0, max: 1000000000"), "at most 1000 values",
          args=["check", "{file}"])
procedure("int-fact-a-billion-diff", swap(BASE, "min: 0, max: 18", "min: 0, max: 1000000000"), "at most 1000 values",
          args=["diff", "{file}", "{file}"])
procedure("int-fact-huge-number", swap(BASE, "min: 0, max: 18", "min: 0, max: " + "9" * 400), "at most 1000 values")
procedure("int-fact-min-above-max", swap(BASE, "min: 0, max: 18", "min: 18, max: 0"), "min 18 is above max 0")
procedure("int-fact-without-bounds", swap(BASE, ", min: 0, max: 18", ""), "needs bounds")
procedure("enum-default-outside", swap(BASE, "default: none", "default: unknown"), "default 'unknown' is not one of the values")
procedure("bool-default-not-bool", swap(BASE, "{id: significant_harm_continuing, type: bool}",
                                        "{id: significant_harm_continuing, type: bool, default: 7}"), "is not true or false")
procedure("int-default-outside", swap(BASE, "min: 0, max: 18", "min: 0, max: 18, default: 40"), "not a whole number in 0..18")
procedure("duplicate-enum-values", swap(BASE, "values: [none, s20, care_order]", "values: [none, s20, s20]"), "listed twice")
procedure("enum-without-values", swap(BASE, ", values: [none, s20, care_order], default: none", ""), "needs 'values'")
procedure("values-on-a-bool", swap(BASE, "{id: significant_harm_continuing, type: bool}",
                                   "{id: significant_harm_continuing, type: bool, values: [a]}"), "only for enum facts")
procedure("condition-300-ors", swap(BASE, "when: significant_harm_continuing,",
                                    "when: " + " or ".join(["significant_harm_continuing"] * 300) + ","), "299 operators")
procedure("condition-300-ors-check", swap(BASE, "when: significant_harm_continuing,",
                                          "when: " + " or ".join(["significant_harm_continuing"] * 300) + ","),
          "299 operators", args=["check", "{file}"])
procedure("condition-300-nots", swap(BASE, "when: significant_harm_continuing,",
                                     "when: " + "not " * 300 + "significant_harm_continuing,"), "300 operators")
procedure("condition-100-parentheses", swap(BASE, "when: significant_harm_continuing,",
                                            'when: "' + "(" * 100 + "significant_harm_continuing" + ")" * 100 + '",'),
          "parentheses nest 100 deep")
procedure("condition-unparsable", swap(BASE, "when: significant_harm_continuing,", "when: significant_harm_continuing and,"),
          "cannot parse")
procedure("condition-unknown-fact", swap(BASE, "when: significant_harm_continuing,", "when: harm_continuing,"),
          "unknown fact 'harm_continuing'")
procedure("condition-wrong-enum-value", swap(BASE, '"legal_status in {none, s20}"', '"legal_status in {none, section_20}"'),
          "'section_20' is not a value of 'legal_status'")
procedure("condition-enum-as-bool", swap(BASE, "when: significant_harm_continuing,", "when: legal_status,"), "compare it")
procedure("condition-order-on-enum", swap(BASE, "when: significant_harm_continuing,", "when: legal_status < s20,"),
          "needs a number")
procedure("condition-empty", swap(BASE, "when: significant_harm_continuing,", 'when: "",'), "empty condition")
procedure("condition-a-number", swap(BASE, "when: significant_harm_continuing,", "when: 5,"), "valid string")
procedure("deadline-anchored-to-itself", swap(BASE, 'anchor: "core_group#1", every: 6 weeks', "anchor: core_group, every: 6 weeks"),
          "itself or a later occurrence")
procedure("deadline-anchored-later", swap(BASE, 'event: "core_group#1", anchor: initial_conference',
                                          'event: "core_group#1", anchor: "core_group#2"'), "itself or a later occurrence")
procedure("deadline-before-itself", swap(BASE, "anchor: initial_conference, within: 10 working_days,",
                                         'before: "core_group#1",'), "due before")
procedure("every-zero-working-days", swap(BASE, "every: 6 weeks", "every: 0 working_days"), "'every' must be a positive period")
procedure("within-1000-months", swap(BASE, "within: 10 working_days", "within: 1000 months"), "longer than any procedure timescale")
procedure("within-a-million-days", swap(BASE, "within: 10 working_days", "within: 1000000 days"), "longer than any procedure timescale")
procedure("period-without-unit", swap(BASE, "within: 10 working_days", "within: 10"), "has no unit")
procedure("period-negative", swap(BASE, "within: 10 working_days", "within: -10 working_days"), "must not be negative")
procedure("period-unknown-unit", swap(BASE, "within: 10 working_days", "within: 2 fortnights"), "fortnights")
procedure("period-infinite", swap(BASE, "within: 10 working_days", "within: .inf"), "has no unit")
procedure("period-visits-within", swap(BASE, "within: 10 working_days", "within: 2 visits"), "cannot count visits")
procedure("deadline-occurrence-zero", swap(BASE, 'event: "core_group#1", anchor: initial_conference',
                                           'event: "core_group#0", anchor: initial_conference'), "is not an event name")
procedure("deadline-occurrence-huge", swap(BASE, 'event: "core_group#1", anchor: initial_conference',
                                           'event: "core_group#999999999", anchor: initial_conference'), "occurrence #999999999")
procedure("deadline-without-anchor", swap(BASE, "anchor: initial_conference, within", "within"), "needs an 'anchor'")
procedure("two-start-states", swap(BASE, "{id: plan_in_force, name: Plan in force,", "{id: plan_in_force, name: Plan in force, kind: start,"),
          "exactly one state must have kind 'start'")
procedure("transition-from-final", BASE.replace("transitions:\n", "transitions:\n  - {id: reopened, from: no_plan, to: referred, "
                                                 "event: referral, citation: \"cpp#plan-made\"}\n"), "is final")
procedure("duplicate-id", swap(BASE, "{id: no_plan_needed,", "{id: plan_made,"), "duplicate id 'plan_made'")
procedure("citation-unknown", swap(BASE, 'citation: "impl#1"}', 'citation: "impl#99"}'), "does not resolve")
procedure("citation-missing", swap(BASE, ', citation: "impl#1"}', ', citation: ""}'), "citation")
procedure("rule-unknown-role", swap(BASE, "role: conference_chair,", "role: conference_chiar,"),
          "unknown role 'conference_chiar' (did you mean 'conference_chair'?)")
procedure("rule-unknown-action", swap(BASE, "action: end_plan, role:", "action: close_plan, role:"), "unknown action 'close_plan'")
procedure("rule-overrides-itself", swap(BASE, "role: conference_chair,", "role: conference_chair, overrides: [chair_may_end_plan],"),
          "cannot override itself")
procedure("id-with-spaces", swap(BASE, "{id: plan_in_force,", "{id: Plan In Force,"), "is not a valid id")
procedure("id-ten-thousand-characters", swap(BASE, "{id: end_plan,", "{id: " + "X" * 10000 + ","), "is not a valid id")
procedure("version-a-mapping", swap(BASE, 'version: "1"', "version: {a: 1}"), "version")
procedure("roles-a-mapping", swap(BASE, "roles:\n", "roles: {a: 1}\nunused:\n"), "roles")
procedure("states-null", swap(BASE, "states:\n", "states: ~\nunused_states:\n"), "states")
procedure("acknowledgement-bad-date", BASE + 'acknowledgements:\n  - {finding: "x", reason: r, by: me, date: "2027-02-30"}\n',
          "not a real date")
procedure("acknowledgement-year-9999", BASE + 'acknowledgements:\n  - {finding: "x", reason: r, by: me, date: "9999-01-01"}\n',
          "outside the years")
procedure("unknown-top-level-field", BASE + "colour: blue\n", "colour: unknown field")
procedure("markup-in-a-bad-value", swap(BASE, "to: plan_in_force, event: plan_made", 'to: "[/x]", event: plan_made'),
          "unknown state '[/x]'")
procedure("emoji-code-in-a-bad-value", swap(BASE, "to: plan_in_force, event: plan_made", 'to: ":100:", event: plan_made'),
          "unknown state ':100:'")
procedure("markup-in-names-is-fine", swap(BASE, "name: Plan in force,", 'name: "[bold]Plan[/] [/x] :100: in force",'),
          '"[bold]Plan[/] [/x] :100: in force"', exit=0)
procedure("quotes-in-names-graph", swap(BASE, "name: Plan in force,", "name: 'Plan \" fontcolor=\"red\" \\ <b>x</b>',"),
          "wrote", exit=0, args=["graph", "{file}", "--out", "drawings"])
procedure("long-unbroken-token-diff", swap(BASE, "name: Plan in force,", "name: Plan in force, description: " + "x" * 200000 + ","),
          "xxxxxxxxxx", exit=0, args=["diff", "{base}", "{file}"])
procedure("long-unbroken-token-check", swap(BASE, "name: Plan in force,", "name: " + "x" * 200000 + ","),
          "No new problems", exit=0, args=["check", "{file}"])
procedure("markup-in-names-check", swap(BASE, "name: Plan in force,", 'name: "[/x] :100:",'), "No new problems", exit=0,
          args=["check", "{file}"])


# ---------------------------------------------------------------------------------------------
# Scenarios (given to simulate; each is refused before any simulation starts)
def load(text):
    return YAML(typ="safe").load(text)


def dump(data):
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def scenario(name, change, fragment, text=False):
    if text:
        content = change(COUNTY)
    else:
        data = load(COUNTY)
        change(data)
        content = dump(data)
    case(name, "scenario", content, ["simulate", "{file}", "-n", "1", "--out", "run"], 2, fragment)


def staff(field, value):
    return lambda d: d["staff"]["social_workers"].__setitem__(field, value)


scenario("zero-social-workers", staff("count", 0), "staff.social_workers.count: a staff group needs at least 1 person")
scenario("zero-conference-chairs", lambda d: d["staff"]["conference_chairs"].update(count=0), "staff.conference_chairs.count")
scenario("zero-children-per-household", lambda d: d["demand"].update(children_per_household={0: 0.5, 1: 0.5}),
         "a household has 1 to 20 children, not 0")
scenario("forty-children-per-household", lambda d: d["demand"].update(children_per_household={40: 1.0}), "not 40")
scenario("household-size-in-words", lambda d: d["demand"].update(children_per_household={"two": 1.0}), "children_per_household")
scenario("tiny-horizon", lambda d: d.update(horizon_years=0.001, warm_up_months=0), "horizon_years")
scenario("thousand-year-horizon", lambda d: d.update(horizon_years=1000), "horizon_years")
scenario("infinite-vacancy-weeks", lambda t: swap(t, "vacancy_weeks: 12", "vacancy_weeks: .inf"), "finite number", text=True)
scenario("nan-vacancy-weeks", lambda t: swap(t, "vacancy_weeks: 12", "vacancy_weeks: .nan"), "finite number", text=True)
scenario("infinite-task-hours", lambda t: swap(t, "visit: {lead_social_worker: 3.0}", "visit: {lead_social_worker: .inf}"),
         "finite number", text=True)
scenario("billion-task-hours", lambda d: d["task_hours"]["visit"].update(lead_social_worker=1e9), "no single task takes")
scenario("negative-task-hours", lambda d: d["task_hours"]["visit"].update(lead_social_worker=-1), "must not be negative")
scenario("start-in-year-9999", lambda d: d["calendar"].update(start_date="9999-01-04"), "outside the years")
scenario("start-in-1066", lambda d: d["calendar"].update(start_date="1066-10-14"), "outside the years")
scenario("run-beyond-the-calendar", lambda d: (d["calendar"].update(start_date="2079-01-02"), d.update(horizon_years=20)),
         "beyond the calendar's last year")
scenario("start-date-that-does-not-exist", lambda d: d["calendar"].update(start_date="2027-02-30"), "not a real date")
scenario("household-size-given-as-number-and-text",
         lambda d: d["demand"]["children_per_household"].__setitem__("1", 0.1), "household size 1 is given twice")
scenario("hours-per-week-a-few-seconds", staff("hours_per_week", 0.001), "staff.social_workers.hours_per_week")
scenario("name-empty", lambda d: d.update(name=""), "name:")
scenario("name-blank", lambda d: d.update(name="   "), "name:")
scenario("closed-for-two-years", lambda d: d["calendar"].update(
    closures=[(dt.date(2027, 1, 4) + dt.timedelta(days=n)).isoformat() for n in range(800)]), "shut for over a year")
# Python's date reader takes these as the 4th of January 2027; nobody checking the file would
scenario("start-date-compact", lambda d: d["calendar"].update(start_date="20270104"), "'20270104' is not a real date (YYYY-MM-DD)")
scenario("start-date-week-date", lambda d: d["calendar"].update(start_date="2027-W01-1"), "'2027-W01-1' is not a real date")
scenario("closure-compact", lambda d: d["calendar"].update(closures=["20270510"]), "calendar.closures")
scenario("start-date-with-a-time", lambda d: d["calendar"].update(start_date="2027-01-04 09:00:00"), "calendar.start_date")
scenario("closure-date-that-does-not-exist", lambda d: d["calendar"].update(closures=["2027-13-01"]), "not a real date")
scenario("billion-plan-starts", lambda d: d["demand"].update(plan_starts_per_month=1e9), "less than or equal to 20000")
scenario("no-plan-starts", lambda d: d["demand"].update(plan_starts_per_month=0), "greater than 0")
scenario("misspelt-role-in-roles", lambda d: d["roles"].update({"lead_social_wroker": "social_workers"}),
         "roles.lead_social_wroker: unknown role 'lead_social_wroker' in the procedure (did you mean 'lead_social_worker'?)")
scenario("misspelt-role-in-task-hours", lambda d: d["task_hours"]["visit"].update({"lead_social_wroker": 1}),
         "task_hours.visit.lead_social_wroker: unknown role 'lead_social_wroker'")
scenario("misspelt-role-assigned", lambda d: d["assign_unaccountable"].update(six_weekly_meetings_after_removal="lead_socal_worker"),
         "assign_unaccountable.six_weekly_meetings_after_removal: unknown role")
scenario("unmapped-role-in-task-hours", lambda d: d["task_hours"]["visit"].update({"parents": 1}),
         "role 'parents' is not mapped under 'roles'")
scenario("visits-every-zero-working-days", lambda d: d["local_standards"].update(visits="0 working_days"),
         "repeated every 0 days")
scenario("local-standard-unknown", lambda d: d["local_standards"].update(visit="10 working_days"),
         "unknown deadline kind 'visit' (did you mean 'visits'?)")
scenario("local-standard-in-months", lambda d: d["local_standards"].update(visits="1000 months"), "longer than any procedure timescale")
scenario("billion-replications", lambda d: d.update(replications=10**9), "less than or equal to 10000")
scenario("negative-seed", lambda d: d.update(seed=-1), "must not be negative")
scenario("enormous-seed", lambda d: d.update(seed=2**80), "seed")
scenario("zero-fte", staff("fte", 0), "greater than 0")
scenario("two-hundred-hours-a-week", staff("hours_per_week", 200), "less than or equal to 60")
scenario("probability-above-one", lambda d: d["case_flow"].update(no_access_per_visit=1.5), "less than or equal to 1")
scenario("shares-not-summing-to-one", lambda d: d["demand"]["age_at_start"].update({"0-4": 0.9}), "sum to")
scenario("no-review-outcomes", lambda d: d["case_flow"].update(end_at_review=[]), "at least 1 item")
scenario("no-ages", lambda d: d["demand"].update(age_at_start={}), "at least 1 item")
scenario("unknown-field", lambda d: d["staff"].update(social_worker={"count": 3}), "staff.social_worker: unknown field")
scenario("trillion-staff", staff("count", 10**12), "less than or equal to 50000")
scenario("caseload-zero", staff("max_caseload", 0), "greater than or equal to 1")
scenario("warm-up-longer-than-horizon", lambda d: d.update(horizon_years=1, warm_up_months=18), "longer than the warm-up")
scenario("words-for-a-number", staff("count", "lots"), "valid integer")
scenario("task-hours-unknown-event", lambda d: d["task_hours"].update(home_visit={"lead_social_worker": 2}),
         "unknown event 'home_visit'")
scenario("alias-bomb", lambda t: LOL, "anchor '&a' refused", text=True)
scenario("a-list", lambda t: "- 1\n- 2\n", "a scenario must be a mapping", text=True)
scenario("latin-1", lambda t: t.replace("name: County", "name: C\u00f4unty"), "not UTF-8", text=True)


def latin1_scenario_bytes():
    path = HERE / "scenarios" / "latin-1.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


latin1_scenario_bytes()


# ---------------------------------------------------------------------------------------------
# Pathways (given to pathway)
def pathway(name, content, fragment, exit=2, args=None):
    case(name, "pathway", content, args or ["pathway", "{file}"], exit, fragment)


FIRST_VISIT = "  - {date: 2027-01-13, event: visit, repeat_every: 9 working_days, repeat_until: 2027-09-28,"
pathway("repeat-every-zero", swap(PATHWAY, "repeat_every: 9 working_days", "repeat_every: 0 working_days"),
        "repeat_every must be a positive length of time")
pathway("repeat-every-visits", swap(PATHWAY, "repeat_every: 9 working_days", "repeat_every: 2 visits"), "positive length of time")
pathway("repeat-daily-for-fifty-years", swap(PATHWAY, "repeat_every: 9 working_days, repeat_until: 2027-09-28",
                                             "repeat_every: 1 days, repeat_until: 2077-09-28"), "more than 2000 steps")
pathway("step-in-year-9999", swap(PATHWAY, "{date: 2027-01-22, event: core_group", "{date: 9999-01-22, event: core_group"),
        "outside the years")
pathway("until-year-9999", swap(PATHWAY, "until: 2028-01-07", "until: 9999-12-31"), "until: 9999-12-31 is outside")
pathway("repeat-until-year-9999", swap(PATHWAY, "repeat_until: 2027-09-28", "repeat_until: 9999-09-28"), "outside the years")
pathway("step-in-year-2101", PATHWAY.replace("2027-", "2101-").replace("2028-", "2102-"), "outside the years")
pathway("date-that-does-not-exist", swap(PATHWAY, "2027-01-22", "2027-02-30"), "not a real date")
pathway("expected-breach-unknown-kind", swap(PATHWAY, "steps:\n", "expect_breaches: [{kind: deadline_mised, item: visits}]\nsteps:\n"),
        "unknown kind 'deadline_mised' (did you mean 'deadline_missed'?)")
pathway("expected-breach-unknown-item", swap(PATHWAY, "steps:\n", "expect_breaches: [{kind: deadline_missed, item: first_core_grup}]\nsteps:\n"),
        "unknown item 'first_core_grup' (did you mean 'first_core_group'?)")
pathway("repeat-until-before-the-step", swap(PATHWAY, "repeat_until: 2027-09-28", "repeat_until: 2026-09-28"),
        "is before the step's own date")
pathway("repeat-until-without-repeat-every", swap(PATHWAY, "repeat_every: 9 working_days, ", ""), "repeat_until needs repeat_every")
pathway("date-week-date", swap(PATHWAY, "date: 2027-01-22", "date: 2027-W04-5"), "'2027-W04-5' is not a real date")
pathway("steps-out-of-order", swap(PATHWAY, "{date: 2027-01-22, event: core_group", "{date: 2026-01-22, event: core_group"),
        "steps go in date order")
pathway("unknown-event", swap(PATHWAY, "event: core_group, note: First core group.", "event: core_grup, note: First core group."),
        "unknown event 'core_grup' (did you mean 'core_group'?)")
pathway("unknown-fact", swap(PATHWAY, "facts: {significant_harm_continuing: true}", "facts: {harm: true}"), "unknown fact 'harm'")
pathway("fact-value-wrong", swap(PATHWAY, "facts: {significant_harm_continuing: true}",
                                 "facts: {significant_harm_continuing: perhaps}"), "is not a value of")
pathway("unknown-start-state", swap(PATHWAY, "until: 2028-01-07", "until: 2028-01-07\nstart: plan_in_forse"),
        "unknown state 'plan_in_forse'")
pathway("no-steps", PATHWAY[:PATHWAY.index("steps:")] + "steps: []\n", "at least 1 item")
pathway("no-name", swap(PATHWAY, "name: A plan made, reviewed, and discontinued with continuing support\n", ""), "name: required field")
pathway("alias", swap(PATHWAY, "  - {date: 2027-01-22, event: core_group, note: First core group.}",
                      "  - &first {date: 2027-01-22, event: core_group, note: First core group.}\n  - *first"), "anchor '&first' refused")
pathway("alias-bomb", LOL, "anchor '&a' refused")
pathway("nested-300-deep", PATHWAY + "extra: " + "[" * 300 + "]" * 300 + "\n", "nested more than 40 levels")
pathway("tab-indentation", swap(PATHWAY, "  - {date: 2027-01-22", "\t- {date: 2027-01-22"), "tabs cannot indent")
pathway("unknown-field-in-a-step", swap(PATHWAY, "event: core_group, note: First core group.",
                                        "event: core_group, who: me, note: First core group."), "who: unknown field")
pathway("facts-as-a-list", swap(PATHWAY, "facts: {significant_harm_continuing: true}", "facts: [significant_harm_continuing]"),
        "facts")
pathway("expected-breach-malformed", swap(PATHWAY, "steps:\n", "expect_breaches: [deadline_missed]\nsteps:\n"), "expect_breaches")
pathway("colon-in-a-note", swap(PATHWAY, "note: First core group.}", "note: First: core group}"), "")
pathway("markup-in-a-note-is-fine", swap(PATHWAY, "note: First core group.", 'note: "[/x] [bold]First[/] :100: core group."'),
        "[/x] [bold]First[/] :100: core group.", exit=0)
pathway("not-utf-8", swap(PATHWAY, "First core group.", "First c\u00f6re group.").encode("latin-1"), "not UTF-8")


# ---------------------------------------------------------------------------------------------
# CSV event logs (given to audit)
def log(name, content, fragment, exit=2, args=None):
    case(name, "csv", content, args or ["audit", "{file}"], exit, fragment)


HEAD = "case_id,date,event,legal_status,plo\n"
ROW = "C000101,2027-01-04,initial_conference,none,false\n"
log("latin-1-cell", (HEAD + ROW + "C000102,2027-01-05,initial_conference,none,false\nC000103,2027-01-06,initial_"
                     "conference,none,f\u00e4lse\n").encode("latin-1"), "latin-1-cell.csv:4: is not UTF-8")
log("duplicated-column", "case_id,date,event,legal_status,legal_status\nC000101,2027-01-04,initial_conference,none,s20\n",
    "legal_status: the column appears twice")
log("duplicated-row", HEAD + ROW + "C000101,2027-01-12,core_group,none,false\n" + ROW, "duplicated-row.csv:4: row: repeats line 2")
log("line-numbers-count-blank-lines", HEAD + ROW + "\n\nC000103,2027-02-30,initial_conference,none,false\n",
    "line-numbers-count-blank-lines.csv:5: date")
log("line-numbers-count-lines-in-cells", HEAD + 'C000101,2027-01-04,initial_conference,none,"fa\nlse"\n'
    "C000103,2027-02-30,initial_conference,none,false\n", "line-numbers-count-lines-in-cells.csv:2: plo")
log("name-lower-case", HEAD + "jane doe,2027-01-04,initial_conference,none,false\n", "looks like a person's name (value not shown)")
log("name-surname-first", HEAD + '"SMITH, Jane",2027-01-04,initial_conference,none,false\n', "looks like a person's name")
log("name-with-accent", HEAD + "Zo\u00eb Smith,2027-01-04,initial_conference,none,false\n", "looks like a person's name")
log("name-one-word", HEAD + "Jane,2027-01-04,initial_conference,none,false\n", "looks like a person's name")
log("name-title-case", HEAD + "Jane Smith,2027-01-04,initial_conference,none,false\n", "looks like a person's name")
log("name-hyphenated", HEAD + "Mary-Jane O'Neill,2027-01-04,initial_conference,none,false\n", "looks like a person's name")
log("email-address", HEAD + "jane.smith@example.org,2027-01-04,initial_conference,none,false\n", "looks like an e-mail address")
log("email-with-digits", HEAD + "js1987@example.org,2027-01-04,initial_conference,none,false\n", "looks like an e-mail address")
log("phone-mobile", HEAD + "07700 900123,2027-01-04,initial_conference,none,false\n", "looks like a phone number")
log("phone-international", HEAD + "+44 7700 900123,2027-01-04,initial_conference,none,false\n", "looks like a phone number")
log("nhs-number-spaced", HEAD + "943 476 5919,2027-01-04,initial_conference,none,false\n", "looks like an NHS number")
log("nhs-number-plain", HEAD + "9434765919,2027-01-04,initial_conference,none,false\n", "looks like an NHS number")
log("postcode", HEAD + "SW1A 1AA,2027-01-04,initial_conference,none,false\n", "looks like a postcode")
log("postcode-no-space", HEAD + "M11AE,2027-01-04,initial_conference,none,false\n", "looks like a postcode")
log("national-insurance-number", HEAD + "QQ123456C,2027-01-04,initial_conference,none,false\n", "National Insurance number")
log("column-child-name", "case_id,date,event,child_name\nC000101,2027-01-04,initial_conference,x\n", "child_name: looks like a name")
log("column-dob", "case_id,date,event,dob\nC000101,2027-01-04,initial_conference,2015-01-01\n", "dob: looks like a name, date of birth")
log("column-postcode", "case_id,date,event,postcode\nC000101,2027-01-04,initial_conference,x\n", "postcode: looks like")
log("empty-file", "", "the file is empty")
log("missing-event-column", "case_id,date\nC000101,2027-01-04\n", "missing column(s) event")
log("semicolons", "case_id;date;event\nC000101;2027-01-04;initial_conference\n", "missing column(s)")
log("unknown-column", "case_id,date,event,colour\nC000101,2027-01-04,initial_conference,red\n", "colour: unknown column")
log("date-not-real", HEAD + "C000101,2027-02-30,initial_conference,none,false\n", "date: '2027-02-30' is not a real date")
log("date-year-9999", HEAD + "C000101,9999-01-04,initial_conference,none,false\n", "outside the years")
log("date-us-style", HEAD + "C000101,01/04/2027,initial_conference,none,false\n", "is not a real date")
log("age-with-an-underscore", "case_id,date,event,age\nC000101,2027-01-04,initial_conference,5_0\n", "age: '5_0' is not a whole number")
log("age-in-arabic-indic-digits", "case_id,date,event,age\nC000101,2027-01-04,initial_conference,\u0665\n", "is not a whole number")
log("date-compact", HEAD + "C000101,20270104,initial_conference,none,false\n", "'20270104' is not a real date")
log("date-week-date", HEAD + "C000101,2027-W01-1,initial_conference,none,false\n", "'2027-W01-1' is not a real date")
log("unknown-event", HEAD + "C000101,2027-01-04,inital_conference,none,false\n", "did you mean 'initial_conference'")
log("bool-maybe", HEAD + "C000101,2027-01-04,initial_conference,none,maybe\n", "plo: 'maybe' is not true or false")
log("enum-wrong", HEAD + "C000101,2027-01-04,initial_conference,s21,false\n", "legal_status: 's21' is not one of")
log("too-many-cells", HEAD + "C000101,2027-01-04,initial_conference,none,false,extra\n", "has 6 cells, the header has 5")
log("too-few-cells", HEAD + "C000101,2027-01-04\n", "has 2 cells, the header has 5")
log("unclosed-quote", HEAD + 'C000101,2027-01-04,"initial_conference,none,false\n', "not well-formed CSV")
log("nul-byte", HEAD + "C000101,2027-01-04,initial_conference,none,fa\x00lse\n", "NUL character")
log("ten-thousand-character-cell", HEAD + "C" + "1" * 10000 + ",2027-01-04,initial_conference,none,false\n",
    "characters long")
log("empty-case-id", HEAD + ",2027-01-04,initial_conference,none,false\n", "case_id: is empty")
log("markup-in-an-event", HEAD + "C000101,2027-01-04,[/x],none,false\n", "unknown event '[/x]'")
log("emoji-code-in-an-event", HEAD + "C000101,2027-01-04,:100:,none,false\n", "unknown event ':100:'")
log("markup-in-a-case-id-is-fine", HEAD + "[/x]:100:C1,2027-01-04,initial_conference,none,false\n"
    "[/x]:100:C1,2027-01-05,plan_made,none,false\n", "[/x]:100:C1", exit=1, args=["audit", "{file}", "--until", "2027-06-01"])
log("crlf-line-endings-are-fine", (HEAD + ROW).replace("\n", "\r\n"), "1 cases", exit=0)
log("header-only-is-fine", HEAD, "0 cases", exit=0)
log("until-year-9999", HEAD + ROW, "outside the years", args=["audit", "{file}", "--until", "9999-12-31"])
log("until-not-a-date", HEAD + ROW, "'tomorrow' is not a real date", args=["audit", "{file}", "--until", "tomorrow"])
log("until-week-date", HEAD + ROW, "'2027-W01-1' is not a real date", args=["audit", "{file}", "--until", "2027-W01-1"])


# ---------------------------------------------------------------------------------------------
# Command lines (options, output paths, folders)
def command(name, args, exit, fragment, setup=None):
    case(name, "cli", None, args, exit, fragment, setup)


command("scheduler-not-a-url", ["staff", "--target", "visits=0.9", "--scheduler", "not a url"], 2, "not a scheduler address")
command("target-above-one", ["staff", "--target", "visits=2"], 2, "a target is a share in (0, 1]")
command("target-without-share", ["staff", "--target", "visits"], 2, "write a target as KIND=SHARE")
command("target-unknown-kind", ["staff", "--target", "visit=0.9"], 2, "unknown deadline kind 'visit' (did you mean 'visits'?)")
command("range-reversed", ["staff", "--target", "visits=0.9", "--range", "80:20"], 2, "the range must be LOW:HIGH")
command("range-words", ["staff", "--target", "visits=0.9", "--range", "a:b"], 2, "write the range as LOW:HIGH")
command("role-unknown", ["staff", "--target", "visits=0.9", "--role", "chief"], 2, "unknown role")
command("resume-missing-folder", ["staff", "--target", "visits=0.9", "--resume", "nowhere"], 2, "no such run folder")
command("resume-not-a-run", ["staff", "--target", "visits=0.9", "--resume", "empty"], 2, "not a staffing run folder",
        setup={"folders": ["empty"]})
command("resume-corrupt", ["staff", "--target", "visits=0.9", "--resume", "broken"], 2, "is damaged",
        setup={"folders": ["broken"], "files": {"broken/request.json": "{not json"}})
command("resume-and-out", ["staff", "--target", "visits=0.9", "--resume", "a", "--out", "b"], 2, "not both")
command("simulate-out-not-empty", ["simulate", "--out", "taken", "-n", "1"], 2, "already exists and is not empty",
        setup={"folders": ["taken"], "files": {"taken/notes.txt": "mine"}})
command("simulate-out-in-use", ["simulate", "--out", "claimed", "-n", "1"], 2, "is in use by another run",
        setup={"folders": ["claimed"], "files": {"claimed/.cpmodel-run": "{}"}})
command("simulate-out-is-a-file", ["simulate", "--out", "result.txt", "-n", "1"], 2, "exists and is not a folder",
        setup={"files": {"result.txt": "mine"}})
command("simulate-out-under-a-file", ["simulate", "--out", "result.txt/run", "-n", "1"], 2, "is a file, not a folder",
        setup={"files": {"result.txt": "mine"}})
command("staff-out-not-empty", ["staff", "--target", "visits=0.9", "--out", "taken"], 2, "already exists and is not empty",
        setup={"folders": ["taken"], "files": {"taken/notes.txt": "mine"}})
command("graph-out-not-empty", ["graph", "--out", "taken"], 2, "already exists and is not empty",
        setup={"folders": ["taken"], "files": {"taken/procedure.png": "mine"}})
command("pathway-png-exists", ["pathway", "two-failed-visits", "--png", "mine.png"], 2, "already exists; nothing is overwritten",
        setup={"files": {"mine.png": "mine"}})
command("pathway-png-is-a-folder", ["pathway", "two-failed-visits", "--png", "pictures"], 2, "is a folder",
        setup={"folders": ["pictures"]})
command("pathway-png-under-a-file", ["pathway", "two-failed-visits", "--png", "mine.txt/x.png"], 2, "is a file, not a folder",
        setup={"files": {"mine.txt": "mine"}})
command("report-out-exists", ["report", "--out", "report.html", "--no-simulation"], 2, "already exists",
        setup={"files": {"report.html": "mine"}})
command("pathway-unknown-name", ["pathway", "two-failed-visit"], 2, "no pathway of that name (did you mean 'two-failed-visits'?)")
command("export-missing-file", ["export", "no-such-file.yaml"], 2, "file not found")
command("export-a-folder", ["export", "pictures"], 2, "is a folder", setup={"folders": ["pictures"]})
command("audit-missing-file", ["audit", "no-such-file.csv"], 2, "file not found")
command("audit-a-folder", ["audit", "pictures"], 2, "is a folder", setup={"folders": ["pictures"]})
command("replications-zero", ["simulate", "-n", "0"], 2, "Invalid value")
command("seed-negative", ["simulate", "--seed", "-1"], 2, "Invalid value")
command("workers-zero", ["staff", "--target", "visits=0.9", "--workers", "0"], 2, "Invalid value")
command("timeout-zero", ["check", "--timeout-ms", "0"], 2, "Invalid value")
command("unknown-command", ["chek"], 2, "No such command")
command("unknown-option", ["check", "--colour"], 2, "No such option")
command("diff-missing-argument", ["diff"], 2, "Missing argument")
command("set-twice", ["simulate", "-n", "1", "--set", "case_flow.no_access_per_visit=0.1",
                      "--set", "case_flow.no_access_per_visit=0.2"], 2, "is set twice, to 0.1 and 0.2")
command("range-twice", ["staff", "--target", "visits=0.9", "--range", "20:30", "--range", "30:40"], 2,
        "two ranges for social workers (20:30 and 30:40): give one")
command("sensitivity-of-the-seed", ["sensitivity", "--param", "seed"], 2, "the random seed is how chance is drawn")
command("timeline-as-jpeg", ["pathway", "two-failed-visits", "--png", "t.jpg"], 2, "drawn as .png or .svg")


def write_manifest():
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 200
    with (HERE / "manifest.yaml").open("w", encoding="utf-8") as stream:
        stream.write("# Generated by make_corpus.py: each bad input, the command it is given to, the exit code\n"
                     "# it must get and a fragment of the message it must print. {file} is the input file.\n")
        yaml.dump({"cases": CASES}, stream)


if __name__ == "__main__":
    write_manifest()
    files = sum(1 for c in CASES if "file" in c)
    print(f"{len(CASES)} cases, {files} files")
