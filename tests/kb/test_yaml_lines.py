"""YAML read with lines gives the safe loader's data: the same tags for every kind of scalar."""

from __future__ import annotations

import yaml

from bot.kb.yaml_lines import load_yaml_with_lines

DOCUMENT = """\
entries:
  - id: a-1
    question: 技改补贴多少
    alternatives: [技改补贴, '5', "6", 7, 8.5, .inf, -3, 0x1F, 0o17, yes, No, ~, null, '', 2026-12-04]
    nested: {k: v, n: 1, t: true, f: False, d: 2026-12-04 10:00:00}
    plain: 12:30
    empty:
  - - 1
    - two
"""


def test_the_data_is_the_safe_loaders(tmp_path):
    path = tmp_path / "faq.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    loaded = load_yaml_with_lines(path)
    assert loaded.data == yaml.safe_load(DOCUMENT)
    assert loaded.line_of(("entries", 0, "alternatives", 3)) == 4
    assert loaded.line_of(("entries", 0, "nested", "n")) == 5
    assert loaded.line_of(("entries", 1, 1)) == 9
