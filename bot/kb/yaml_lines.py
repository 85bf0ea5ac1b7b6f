"""Load YAML into plain Python data while remembering the line of every value.

Validation errors must say `file:line`; pydantic reports a location path such as
`("entries", 3, "source", "quotes", 0)`, so we keep a map from such paths to source lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

# libyaml's parser is several times faster; the pure-Python one is the fallback where it is missing.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LoadedYaml:
    """Plain data from one file plus the 1-based line of each path in it."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, loc: Path_) -> int:
        """Line of the deepest known prefix of `loc` (a missing field reports its parent's line)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


class YamlSyntaxError(ValueError):
    """A file is not valid YAML; carries the file and line so callers never show a traceback."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: YAML syntax error: {message}")
        self.path = path
        self.line = line
        self.message = message


class _ValueError(Exception):
    """A scalar YAML accepts but cannot construct (a date such as 2020-13-01), with its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _construct(loader: Any, node: yaml.Node) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except Exception as exc:
        message = f"cannot read {node.value!r} (not a valid date or value): {exc}"
        raise _ValueError(node.start_mark.line + 1, message) from None


def _to_python(node: yaml.Node, loc: Path_, lines: dict[Path_, int], loader: Any) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node)
            if isinstance(key, list):
                key = tuple(key)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = _to_python(value_node, (*loc, key), lines, loader)
            lines[(*loc, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*loc, index), lines, loader) for index, item in enumerate(node.value)]
    return _construct(loader, node)


def load_yaml_with_lines(path: Path) -> LoadedYaml:
    """Parse one YAML file; raises YamlSyntaxError (with line) or OSError."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return LoadedYaml(path=path, data=None)
        lines: dict[Path_, int] = {}
        data = _to_python(root, (), lines, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(path, line, str(exc.problem or exc).strip()) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(path, 1, str(exc).strip()) from None
    except _ValueError as exc:
        raise YamlSyntaxError(path, exc.line, str(exc)) from None
    finally:
        loader.dispose()
    return LoadedYaml(path=path, data=data, lines=lines)
