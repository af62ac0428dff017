"""StoryGraph: checkpoints and ``or`` expanded into paths, paths into tracker events."""

from __future__ import annotations

from dialogue.events import ActionExecuted, SlotSet, UserUttered
from dialogue.training import load_stories_text, steps_to_trace

STORIES = """
stories:
- story: 问候
  steps:
  - intent: greet
  - action: utter_greet
  - checkpoint: greeted
- story: 赎回
  steps:
  - checkpoint: greeted
  - or:
    - intent: redeem
    - intent: sell
  - action: utter_ask_amount
- story: 查净值
  steps:
  - checkpoint: greeted
  - intent: nav
  - action: utter_nav
  - checkpoint: greeted
"""


def _names(trace_events: tuple[object, ...]) -> list[str]:
    out = []
    for event in trace_events:
        if isinstance(event, ActionExecuted):
            out.append(event.action_name)
        elif isinstance(event, UserUttered):
            out.append(f"/{event.intent_name}")
    return out


def test_graph_joins_checkpoints_and_expands_or() -> None:
    graph = load_stories_text(STORIES, "stories.yml")
    paths = {tuple(_names(steps_to_trace(p.name, p.steps).events)) for p in graph.story_paths()}
    greet = ("action_listen", "/greet", "utter_greet")
    redeem = ("action_listen", "/redeem", "utter_ask_amount", "action_listen")
    sell = ("action_listen", "/sell", "utter_ask_amount", "action_listen")
    nav = ("action_listen", "/nav", "utter_nav")
    assert greet + redeem in paths and greet + sell in paths
    assert greet + nav + redeem in paths  # the cycle nav -> greeted is followed once
    assert len(paths) == 4


def test_graph_path_names_join_story_names() -> None:
    names = {p.name for p in load_stories_text(STORIES, "stories.yml").story_paths()}
    assert "问候 > 赎回" in names and "问候 > 查净值 > 赎回" in names


def test_trace_inserts_listen_and_keeps_sources() -> None:
    text = """
stories:
- story: 带金额赎回
  steps:
  - intent: redeem
    entities:
    - amount: 五万
  - slot_was_set:
    - amount: 五万
  - action: action_redeem
"""
    path = load_stories_text(text, "s.yml").story_paths()[0]
    trace = steps_to_trace(path.name, path.steps)
    assert [type(e).__name__ for e in trace.events] == [
        "ActionExecuted",
        "UserUttered",
        "SlotSet",
        "ActionExecuted",
        "ActionExecuted",
    ]
    user = trace.events[1]
    assert isinstance(user, UserUttered) and user.entities == [{"entity": "amount", "value": "五万"}]
    assert trace.events[2] == SlotSet("amount", "五万", timestamp=0.0)
    assert [s.line for s in trace.sources] == [5, 5, 8, 10, 10]  # the text starts with a newline


def test_rule_without_listen_when_not_waiting() -> None:
    text = (
        "rules:\n- rule: r\n  wait_for_user_input: false\n  steps:\n"
        "  - intent: greet\n  - action: utter_greet\n"
    )
    rule, steps = load_stories_text(text, "r.yml").rule_variants()[0]
    trace = steps_to_trace(rule.name, steps, end_with_listen=rule.wait_for_user_input)
    assert _names(trace.events) == ["action_listen", "/greet", "utter_greet"]
