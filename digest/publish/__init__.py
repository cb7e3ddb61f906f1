"""Publish stage: the rendered pages into docs/ and the site into site/, never half-written.

Entry point (called by pipeline.py): `write_outputs(settings, files, site, ...)`. docs.py writes
the generated pages atomically and keeps the manifest that tells them from hand-written ones;
engines.py builds the site with MkDocs or Zensical and swaps it in; transaction.py ties both so
a failure or Ctrl-C before the swap leaves docs/ and site/ as they were.
"""

from digest.publish.docs import MANIFEST, SiteError, read_manifest
from digest.publish.engines import ENGINES, build_site
from digest.publish.transaction import write_outputs

__all__ = ["ENGINES", "MANIFEST", "SiteError", "build_site", "read_manifest", "write_outputs"]
