"""Reading overrides: one YAML file or a folder of them, merged, every problem at once."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from digest.model import Overrides, Pos, Problem

from .apply import plain_name
from .nodes import compose, line_col
from .schema import FileOverrides, check_document

SUFFIXES = (".yml", ".yaml")


def load_overrides(
    path: Path, *, root: Path | None = None, required: bool = False
) -> tuple[Overrides, tuple[Problem, ...]]:
    """Parse and validate the overrides at `path` (a YAML file, or a folder of *.yml/*.yaml).

    A missing path gives empty Overrides and no problem (the default file is optional) unless
    `required` (the writer named it explicitly). Problems name files relative to `root` (default:
    the working directory when the file is under it). Nothing here raises on bad input.
    """
    path = Path(path)
    if path.is_dir():
        files = yaml_files(path)
    elif path.is_file():
        files = [path]
    else:
        if required:
            return Overrides(), (Problem(_display(path, root), "no such file or directory"),)
        return Overrides(), ()
    parsed = [_read_file(file, _display(file, root)) for file in files]
    overrides, problems = merge(parsed)
    order = {part.path: index for index, part in enumerate(parsed)}
    problems.sort(key=lambda p: (order.get(p.path, len(order)), p.line or 0, p.col or 0))
    return overrides, tuple(problems)


def yaml_files(folder: Path) -> list[Path]:
    """*.yml and *.yaml files under `folder`, sorted by relative path; hidden ones skipped.

    os.walk does not follow symlinked folders, so a link cannot pull in files from elsewhere.
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.endswith(SUFFIXES) and not name.startswith("."):
                found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def parse_text(text: str, path: str) -> FileOverrides:
    """Validate the YAML text of one file (exposed for tests and the fuzzer)."""
    node, problems = compose(text, path)
    result = check_document(node, path)
    result.problems[:0] = problems
    return result


def _read_file(file: Path, shown: str) -> FileOverrides:
    try:
        data = file.read_bytes()
    except OSError as exc:
        result = FileOverrides(shown)
        result.problems.append(Problem(shown, f"cannot read the file: {exc.strerror or exc}"))
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result = FileOverrides(shown)
        # Position of the bad byte in the decodable prefix, so the editor can jump to it.
        prefix = data[: exc.start].decode("utf-8", "replace")
        line, col = line_col(prefix, len(prefix))
        message = f"not valid UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        result.problems.append(Problem(shown, message, "error", line, col))
        return result
    return parse_text(text, shown)


def merge(parsed: list[FileOverrides]) -> tuple[Overrides, list[Problem]]:
    """Merge files in order; a key set in two files is an error naming both places."""
    problems: list[Problem] = []
    outlets: dict[str, tuple[str, Pos]] = {}
    articles: dict = {}
    entities: dict = {}
    stories: dict = {}
    positions: dict = {}
    for part in parsed:
        problems.extend(part.problems)
        dropped: set[tuple[str, str]] = set()
        for section, mine, theirs in (
            ("outlets", outlets, part.outlets),
            ("articles", articles, part.articles),
            ("entities", entities, part.entities),
            ("stories", stories, part.stories),
        ):
            for key, value in theirs.items():
                here = value[1] if section == "outlets" else value.pos
                if key in mine:
                    there = mine[key][1] if section == "outlets" else mine[key].pos
                    problems.append(_at(here, f"duplicate key '{key}' in {section} (first at {there})"))
                    dropped.add((section, key))
                    continue
                mine[key] = value
        positions.update({k: v for k, v in part.positions.items() if (k[0], k[1]) not in dropped})
    overrides = Overrides(
        articles=tuple(articles.values()),
        entities=tuple(entities.values()),
        stories=tuple(stories.values()),
        outlets={key: name for key, (name, _) in outlets.items()},
        files=tuple(part.path for part in parsed),
        positions=positions,
    )
    problems.extend(_entity_conflicts(overrides))
    outlets_kept, chain_problems = _outlet_chains(overrides)
    problems.extend(chain_problems)
    return replace(overrides, outlets=outlets_kept), problems


def _outlet_chains(ov: Overrides) -> tuple[dict[str, str], list[Problem]]:
    """A display name that is itself mapped elsewhere would rename twice: such keys are
    reported and left out, like any other bad value."""
    plain = {plain_name(key): key for key in ov.outlets}
    problems = []
    kept = dict(ov.outlets)
    for key, name in ov.outlets.items():
        other = plain.get(plain_name(name))
        if other is not None and other != key and ov.outlets[other] != name:
            where = ov.positions.get(("outlets", key)) or Pos(ov.files[0], 1, 1)
            message = f"'{name}' is itself renamed to '{ov.outlets[other]}'; map '{key}' to the final name"
            problems.append(_at(where, message))
            del kept[key]
    return kept, problems


def _entity_conflicts(ov: Overrides) -> list[Problem]:
    """Contradictions between entity overrides: one alias for two entities, and the like."""
    problems = []
    names = {entity.name.casefold(): entity for entity in ov.entities}
    alias_of: dict[str, tuple[str, Pos]] = {}  # casefolded alias -> (entity name, where)
    for entity in ov.entities:
        for field_name in ("aliases", "split"):
            for name in getattr(entity, field_name):
                where = ov.positions.get(("entities", entity.name, field_name, name), entity.pos)
                folded = name.casefold()
                other = names.get(folded)
                claimed = alias_of.get(folded)
                if folded == entity.name.casefold():
                    problems.append(_at(where, f"'{name}' is the entity's own name"))
                elif field_name == "split":
                    if name in entity.aliases:
                        message = f"'{name}' is both an alias and a split name of '{entity.name}'"
                        problems.append(_at(where, message))
                elif other is not None:
                    problems.append(_at(where, f"'{name}' is an entity of its own (at {other.pos})"))
                elif claimed is not None:
                    message = f"'{name}' is already an alias of '{claimed[0]}' (at {claimed[1]})"
                    problems.append(_at(where, message))
                else:
                    alias_of[folded] = (entity.name, where)
    return problems


def _at(pos: Pos, message: str) -> Problem:
    return Problem(pos.path, message, "error", pos.line, pos.col)


def _display(file: Path, root: Path | None) -> str:
    base = Path(root) if root is not None else Path.cwd()
    # Lexically first, so a symlinked file keeps its own name; then with links resolved.
    for mine, theirs in ((os.path.abspath(file), os.path.abspath(base)), (file.resolve(), base.resolve())):
        try:
            return Path(mine).relative_to(theirs).as_posix()
        except ValueError:
            continue
    return str(file)
