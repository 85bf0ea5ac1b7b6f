"""Property: whatever unicode arrives, the core answers with a valid result and never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer import Outcome
from tests.support.kb import shipped_answerer

chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=40)
anything = st.text(max_size=300)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(anything, chinese, st.builds(lambda a, b: a + b, chinese, anything)))
def test_any_input_yields_a_valid_answer(text):
    answer = shipped_answerer().ask(text)
    assert answer.outcome in set(Outcome)
    obj = answer.to_json()
    assert {"matched", "outcome", "id", "answer", "score", "sources", "suggestions"} <= set(obj)
    assert 0.0 <= obj["score"] <= 1.0
    assert len(obj["suggestions"]) <= 3
    for part in [obj, *obj.get("parts", [])]:
        if part["matched"]:
            assert part["id"] and part["answer"] and part["sources"]
        elif part["outcome"] == "not_stated":
            assert part["id"] is None and part["related"]["id"] and part["answer"] and part["sources"]
        else:
            assert part["id"] is None and part["answer"] is None


control = st.characters(min_codepoint=0, max_codepoint=0x1F).filter(lambda c: c not in "\t\n\r")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese, control, chinese)
def test_control_character_salad_is_never_answered(before, noise, after):
    assert not shipped_answerer().ask(before + noise + "技改补贴" + noise + after).matched


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=5), chinese)
def test_lone_surrogates_do_not_crash(surrogates, text):
    assert shipped_answerer().ask(text + surrogates + "天津技改补贴多少").outcome in set(Outcome)
