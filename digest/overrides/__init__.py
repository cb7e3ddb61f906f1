"""Writers' overrides (overrides.yml): schema with line-numbered errors, application, checks.

- `load_overrides(path)`: a YAML file or a folder of them -> (Overrides, problems); never raises.
- `apply_to_article(article, ov)`: article metadata and outlet display names; None = excluded.
- `apply_to_facts(story, ov, articles)`: edit, hide, pin, dispute and add key-facts rows.
- `check_references(ov, digest, strict)`: unknown ids (errors) and stale overrides (warnings).

The format is documented in README.md ("Overrides") and in the commented template
digest/templates/project/overrides.yml that `digest init` writes.
"""

from .apply import apply_to_article, apply_to_facts, find_words, outlet_key
from .loader import load_overrides, parse_text
from .references import check_references
from .schema import added_fact_id

__all__ = [
    "added_fact_id",
    "apply_to_article",
    "apply_to_facts",
    "check_references",
    "find_words",
    "load_overrides",
    "outlet_key",
    "parse_text",
]
