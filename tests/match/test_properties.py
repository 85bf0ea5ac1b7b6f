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
    assert set(obj) == {"matched", "id", "answer", "score", "sources", "suggestions"}
    assert 0.0 <= obj["score"] <= 1.0
    assert len(obj["suggestions"]) <= 3
    if obj["matched"]:
        assert obj["id"] and obj["answer"] and obj["sources"]
    else:
        assert obj["id"] is None and obj["answer"] is None
