"""Safe YAML composition: position-carrying nodes, never Python objects.

We only *compose* (text -> nodes with start marks) and never *construct*, so no tag can run
code; anchors, aliases and explicit tags are refused outright because writers never need them
and they make "where was this written?" ambiguous (one node, several places).
"""

from __future__ import annotations

from typing import Callable

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from digest.model import Problem

# Tag given to nodes already reported as refused, so validation stays silent about them.
REFUSED = "!digest/refused"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
_CORE = "tag:yaml.org,2002:"
_SCALAR_KINDS = {
    NULL: "null",
    BOOL: "true/false",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:timestamp": "a date",
}


class _Composer(yaml.SafeLoader):
    """SafeLoader's composer that reports (instead of honouring) anchors, aliases and tags."""

    def __init__(self, stream: str, report: Callable[[yaml.Mark, str], None]) -> None:
        super().__init__(stream)
        self._report = report

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self.get_event()
            self._report(
                event.start_mark,
                f"YAML aliases are not supported (found '*{event.anchor}'); write the value out",
            )
            return ScalarNode(REFUSED, "", event.start_mark, event.end_mark)
        if event.anchor is not None:
            self._report(event.start_mark, f"YAML anchors are not supported (found '&{event.anchor}')")
            event.anchor = None  # never registered, so a repeated anchor is not a second error
        # `tag` is None unless the text spells one out (implicit resolution happens later).
        tag = getattr(event, "tag", None)
        node = super().compose_node(parent, index)
        if tag is not None:
            shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
            message = f"YAML tags are not supported (found '{shown}'); write a plain value"
            self._report(event.start_mark, message)
            node.tag = REFUSED
        return node


def compose(text: str, path: str) -> tuple[Node | None, list[Problem]]:
    """The single document in `text` as a node tree (None when empty or unreadable), plus problems."""
    problems: list[Problem] = []

    def report(mark: yaml.Mark, message: str) -> None:
        problems.append(Problem(path, message, "error", mark.line + 1, mark.column + 1))

    loader = None
    try:
        loader = _Composer(text, report)  # the reader rejects unprintable characters here
        return loader.get_single_node(), problems
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(exc, path))
    except yaml.reader.ReaderError as exc:
        line, col = line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else 0
        problems.append(
            Problem(path, f"invalid YAML: character #x{char:04x} is not allowed", "error", line, col)
        )
    except RecursionError:
        problems.append(Problem(path, "invalid YAML: nested too deeply", "error", 1, 1))
    except yaml.YAMLError as exc:  # any other parser complaint: still one line, never a traceback
        problems.append(Problem(path, f"invalid YAML: {exc}".splitlines()[0], "error", 1, 1))
    finally:
        if loader is not None:
            loader.dispose()
    return None, problems


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "unreadable"
    message = f"invalid YAML: {problem}"
    if exc.context and exc.problem:
        start = exc.context_mark
        if start is None or (mark is not None and (start.line, start.column) == (mark.line, mark.column)):
            message += f" ({exc.context})"
        else:
            message += f" ({exc.context}, which starts at line {start.line + 1} column {start.column + 1})"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    if mark is None:
        return Problem(path, message, "error", 1, 1)
    return Problem(path, message, "error", mark.line + 1, mark.column + 1)


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def kind(node: Node) -> str:
    """How a node reads to a writer: 'a mapping', 'a list', 'a string', 'a number', ..."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return _SCALAR_KINDS.get(node.tag, "a string")


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL


def refused(node: Node) -> bool:
    return node.tag == REFUSED
