"""Load YAML into plain Python data while remembering the line of every value.

Validation errors must say `file:line`; pydantic reports a location path such as
`("entries", 3, "source", "quotes", 0)`, so we keep a map from such paths to source lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

# libyaml's parser is several times faster; the pure-Python one is the fallback where it is missing.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DEFAULT_TAGS = {
    yaml.ScalarNode: _BaseLoader.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: _BaseLoader.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: _BaseLoader.DEFAULT_MAPPING_TAG,
}


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with PyYAML's tag resolution (called from C for every node) in fewer steps: the
    same tags where no path resolvers and no resolvers for any first character are registered, as in
    the safe loader (else PyYAML's own)."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if self.yaml_path_resolvers or None in self.yaml_implicit_resolvers:
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode and implicit[0]:
            for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):  # '' for an empty value
                if regexp.match(value):
                    return tag
        return _DEFAULT_TAGS[kind]


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
    """A file is not valid YAML; carries the file, line, entry id and field so callers never show a traceback."""

    def __init__(
        self, path: Path, line: int, message: str, entry_id: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message
        self.entry_id = entry_id
        self.field = field


# PyYAML's problems, said for a curator: what is wrong and how to fix it.
_PROBLEMS = (
    ("did not find expected ',' or ']'", "a [ list ] is not closed: add the missing ']' (or a ',' between items)"),
    ("did not find expected ',' or '}'", "a { mapping } is not closed: add the missing '}' (or a ',' between items)"),
    ("found unexpected end of stream", "a quotation mark is not closed: add the closing quote"),
    ("found unknown escape character", "an unknown backslash escape inside double quotes: use single quotes"),
    (
        "mapping values are not allowed",
        "unexpected ': ' here: quote a value that contains ': ' (\"…\"), or fix the line's indentation",
    ),
    ("found character '\\t'", "a tab character: indent with spaces"),
    ("found a tab character", "a tab character: indent with spaces"),
    ("expected <block end>", "the indentation does not line up with the lines above"),
    ("did not find expected '-' indicator", "the indentation does not line up with the lines above"),
    ("did not find expected key", "the indentation does not line up with the lines above"),
    ("could not find expected ':'", "a line with no 'key: value' (a missing ':' or a wrapped line)"),
    ("found duplicate anchor", "a duplicate '&anchor'"),
    ("found undefined alias", "a '*' at the start of a value: quote the value"),
    ("expected a comment or a line break", "text after a closing quote: quote the whole value"),
)
# Problems found at the end of a construct that began earlier: the beginning is the line to fix.
_STARTS_EARLIER = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a double-quoted")
_ID_LINE = re.compile(r"^\s*-\s*id:\s*['\"]?([^'\"\s#]+)")
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:")


def curator_message(problem: str) -> str:
    for marker, message in _PROBLEMS:
        if marker in problem:
            return f"YAML syntax: {message}"
    return f"YAML syntax: {problem}"


def _where(text: str, line: int) -> tuple[str | None, str | None]:
    """The entry id (nearest `- id:` at or above the line) and the key on the line, if any."""
    lines = text.splitlines()
    key_match = _KEY_LINE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    entry_id = None
    for number in range(min(line, len(lines)), 0, -1):
        match = _ID_LINE.match(lines[number - 1])
        if match:
            entry_id = match.group(1)
            break
    return entry_id, key_match.group(1) if key_match else None


def syntax_error(path: Path, text: str, exc: yaml.MarkedYAMLError) -> YamlSyntaxError:
    """A PyYAML error as a curator's issue: the line to fix, the entry and key there, a plain message."""
    context = str(exc.context or "")
    mark = exc.context_mark if exc.context_mark is not None and context.startswith(_STARTS_EARLIER) else None
    mark = mark or exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    entry_id, key = _where(text, line)
    return YamlSyntaxError(path, line, curator_message(str(exc.problem or exc).strip()), entry_id, key)


class _ValueError(Exception):
    """A scalar YAML accepts but cannot construct (a date such as 2020-13-01), with its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


_STR = "tag:yaml.org,2002:str"


def _construct(loader: Any, node: yaml.Node) -> Any:
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):  # nearly every node: its text, as the loader makes it
        return node.value
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
            where = (*loc, key)
            if value_node.tag == _STR and isinstance(value_node, yaml.ScalarNode):  # most values: a string
                result[key] = value_node.value
            else:
                result[key] = _to_python(value_node, where, lines, loader)
            lines[where] = key_node.start_mark.line + 1  # a key's path is the key's line, not its value's
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            if item.tag == _STR and isinstance(item, yaml.ScalarNode):
                lines[(*loc, index)] = item.start_mark.line + 1
                items.append(item.value)
            else:
                items.append(_to_python(item, (*loc, index), lines, loader))
        return items
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
        raise syntax_error(path, text, exc) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(path, 1, curator_message(str(exc).strip())) from None
    except _ValueError as exc:
        entry_id, key = _where(text, exc.line)
        raise YamlSyntaxError(path, exc.line, str(exc), entry_id, key) from None
    finally:
        loader.dispose()
    return LoadedYaml(path=path, data=data, lines=lines)
