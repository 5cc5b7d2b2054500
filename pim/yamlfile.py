"""Reading YAML data files with libyaml, keeping the line of every value for error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Every plain scalar stays a string except booleans and null: a contributor's `published: 2018`
# or `id: 1e3` must not silently turn into a number or a date.
_RESOLVERS = {
    key: [(tag, regexp) for tag, regexp in values if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")]
    for key, values in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}


class DataLoader(yaml.CSafeLoader):
    """libyaml's fast parser, with scalars kept as text."""

    yaml_implicit_resolvers = _RESOLVERS


@dataclass
class Document:
    """Parsed data and the 1-based line where each value (by path) starts."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    first_line: int = 1  # line of the document in its file (front matter starts at 2)
    # Keys given twice in one mapping: (path of the key, first line, repeated line). YAML
    # parsers silently keep the last value; a contributor must hear about it.
    duplicates: list[tuple[tuple, int, int]] = field(default_factory=list)

    def line_of(self, path: tuple) -> int:
        """The line of the value at `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), self.first_line)

    def key_line(self, path: tuple) -> int:
        """The line of a mapping key (for unknown keys): stored under ('<key>', name)."""
        return self.lines.get(tuple(path[:-1]) + (("<key>", path[-1]),), self.line_of(path[:-1]))


class YAMLSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


# The data files nest 5 levels at most (editions > files > a file's fields); libyaml stops at
# 1000, past Python's own recursion limit for the walks over the data.
MAX_DEPTH = 40


class _AliasFound(Exception):
    pass


# What a node of a data file may be: text, true/false, nothing, a list, or fields. An explicit
# tag asks for anything else (!!int, !!binary, !!python/object, !custom): contributors never need
# one, and a mistyped value under one (`!!int twelve`) would fail deep in the parser.
_YAML = "tag:yaml.org,2002:"
_KINDS = {_YAML + "str": yaml.ScalarNode, _YAML + "null": yaml.ScalarNode, _YAML + "bool": yaml.ScalarNode,
          _YAML + "seq": yaml.SequenceNode, _YAML + "map": yaml.MappingNode}
_BOOLEANS = set(yaml.constructor.SafeConstructor.bool_values)
_BOOL, _STR = _YAML + "bool", _YAML + "str"


def _check_tag(node: yaml.Node, line: int) -> None:
    if _KINDS.get(node.tag) is type(node) and (node.tag != _BOOL or node.value.lower() in _BOOLEANS):
        return
    tag = node.tag.replace(_YAML, "!!")
    raise YAMLSyntaxError(f"the tag {tag} is not allowed: data files take plain text, lists and fields; "
                          "remove the tag", line, node.start_mark.column + 1)


def _collect_lines(node: yaml.Node, path: tuple, offset: int, lines: dict, duplicates: list, seen: set) -> None:
    # A node met twice is an alias (*name): libyaml shares the anchored node. Expanded, a dozen
    # lines of aliases of aliases make billions of values (a "billion laughs" file), so every
    # walk over the data stops here, before anything expands it.
    if id(node) in seen:
        raise _AliasFound
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1 + offset
    if _KINDS.get(node.tag) is not type(node) or node.tag == _BOOL:  # the common case without a call
        _check_tag(node, lines[path])
    if len(path) > MAX_DEPTH:
        raise YAMLSyntaxError(f"the values are nested more than {MAX_DEPTH} levels deep; data files need far fewer",
                              lines[path], node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # `? [a, b]`: refused when constructed
                _collect_lines(key_node, path, offset, {}, [], seen)  # but never expanded first
                continue
            if id(key_node) in seen:  # `*name: value`
                raise _AliasFound
            seen.add(id(key_node))
            if key_node.tag != _STR:
                _check_tag(key_node, key_node.start_mark.line + 1 + offset)
            key = key_node.value
            key_path = path + (("<key>", key),)
            line = key_node.start_mark.line + 1 + offset
            if key_path in lines:
                duplicates.append((path + (key,), lines[key_path], line))
                continue
            lines[key_path] = line
            _collect_lines(value_node, path + (key,), offset, lines, duplicates, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), offset, lines, duplicates, seen)


def normalise_text(text: str) -> str:
    """Accept what editors produce: a UTF-8 byte-order mark and Windows or old Mac line endings."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, line_offset: int = 0) -> Document:
    """Parse one YAML document. Raises YAMLSyntaxError with line and column, for broken YAML and
    for aliases (*name), which data files never need and which could make a file explode."""
    loader = DataLoader(text)
    lines: dict = {}
    duplicates: list = []
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, {(): 1 + line_offset}, 1 + line_offset)
        _collect_lines(node, (), line_offset, lines, duplicates, set())
        data = loader.construct_document(node)
    except _AliasFound:
        raise _alias_error(text, line_offset) from None
    except yaml.MarkedYAMLError as error:
        # Point at where the broken construct starts (an unclosed quote or bracket), which is
        # where the contributor has to look, and say where the parser gave up.
        start, found = error.context_mark, error.problem_mark
        if not (error.context or "").startswith(("while scanning a quoted", "while parsing a flow")):
            start = None  # "a block mapping that starts here" is the whole file: not helpful
        mark = start or found
        problem = error.problem or "invalid YAML"
        if start and found and error.context:
            problem = f"{problem} ({error.context} that starts here; the parser stopped on line {found.line + 1 + line_offset})"
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        column = (mark.column + 1) if mark else 1
        raise YAMLSyntaxError(f"YAML syntax error: {problem}", line, column) from None
    except yaml.reader.ReaderError as error:  # a control character (NUL, …): where it is, on one line
        line = text.count("\n", 0, error.position) + 1 + line_offset
        column = error.position - text.rfind("\n", 0, error.position)
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise YAMLSyntaxError(f"YAML syntax error: the character {character} is not allowed in a data file "
                              "(control characters cannot be read); delete it", line, column) from None
    except yaml.YAMLError as error:
        raise YAMLSyntaxError(f"YAML syntax error: {' '.join(str(error).split())}", 1 + line_offset, 1) from None
    finally:
        loader.dispose()
    return Document(data, lines, 1 + line_offset, duplicates)


def _alias_error(text: str, line_offset: int) -> YAMLSyntaxError:
    """Where the first alias is: read again as events, which never expand anything."""
    for event in yaml.parse(text, Loader=DataLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            return YAMLSyntaxError(
                f"the alias *{event.anchor} is not allowed: data files take no anchors (&name) or aliases "
                "(*name); write the value out in full", mark.line + 1 + line_offset, mark.column + 1)
    return YAMLSyntaxError("aliases (*name) are not allowed", 1 + line_offset, 1)  # not reached


def read_yaml_file(path: Path) -> Document:
    return parse_yaml(normalise_text(path.read_text(encoding="utf-8")))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


class FrontMatterMissing(Exception):
    pass


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split a Markdown file into (front matter YAML, body, body's first line)."""
    text = normalise_text(text)
    match = _FRONT_MATTER.match(text)
    if not match:
        raise FrontMatterMissing(
            "the file must start with a line '---', then the fields, then another line '---'"
        )
    yaml_text = match.group(1) or ""
    body = text[match.end():]
    return yaml_text, body, yaml_text.count("\n") + 3
