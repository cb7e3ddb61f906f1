"""Writers' overrides (overrides.yml): schema with line-numbered errors, application, checks.

- `load_overrides(path)`: a YAML file or a folder of them -> (Overrides, problems); never raises.
- `apply_to_article(article, ov)`: article metadata and outlet display names; None = excluded.
- `apply_to_facts(story, ov, articles)`: edit, hide, pin, dispute and add key-facts rows.
- `follow_ids(ov, story_aliases, fact_aliases)`: ids that moved replaced by their current ids.
- `check_references(ov, digest, strict)`: unknown article ids (errors), story and fact ids that
  match nothing and stale overrides (warnings naming the likely id; errors under --strict).
- `apply_fixes(problems, root)`: `digest check --fix`, the proposed ids written into the files.

The format is documented in README.md ("Overrides") and in the commented template
digest/templates/project/overrides.yml that `digest init` writes.
"""

from .apply import apply_to_article, apply_to_facts, find_words, outlet_key
from .fix import apply_fixes
from .follow import follow_ids
from .loader import load_overrides, parse_text
from .references import check_references
from .schema import added_fact_id

__all__ = [
    "added_fact_id",
    "apply_fixes",
    "apply_to_article",
    "apply_to_facts",
    "check_references",
    "find_words",
    "follow_ids",
    "load_overrides",
    "outlet_key",
    "parse_text",
]
