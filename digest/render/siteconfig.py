"""Reading the few mkdocs.yml settings the renderer needs (site_name, site_url,
site_description, use_directory_urls) without MkDocs' full loader.

mkdocs.yml may hold tags plain YAML cannot load: `!ENV` (resolved here the way MkDocs does:
the first set variable of a list, else the last item as default) and `!!python/name:` (Material's
emoji settings; read as None, since we never need them)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: _Loader, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = [loader.construct_object(child) for child in node.value]
        names, default = items[:-1], items[-1] if len(items) > 1 else None
        if len(items) == 1:
            names = items
    for name in names:
        if isinstance(name, str) and os.environ.get(name) is not None:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # any other tag


def read_mkdocs(path: Path) -> dict:
    """The mapping in mkdocs.yml ({} when the file is missing or not a mapping)."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe subclass)
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}
