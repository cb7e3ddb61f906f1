"""robots.txt rules for one origin, following RFC 9309. Protego (Scrapy's parser) does the
matching: unlike urllib.robotparser it understands the `*` and `$` wildcards most news sites
use ("Disallow: /*?print=") and picks the longest matching rule, as the RFC says; with
urllib.robotparser those rules were silently ignored and disallowed pages fetched.

What a fetch of /robots.txt means (RFC 9309 section 2.3.1):
- 2xx: the rules in the file apply;
- 4xx (including 401/403): no rules, everything is allowed;
- 5xx or a network failure: the crawler must assume complete disallow; we report the page as
  not fetched rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB; ignore the rest


@dataclass(frozen=True)
class Robots:
    """The rules of one origin, or why there are none we can trust."""

    rules: Protego | None  # None when `unreachable` says why
    unreachable: str | None = None

    def allows(self, user_agent: str, url: str) -> bool:
        # Groups are matched on the product token ("digest" of "digest/0.1 (+...)").
        return self.rules is not None and self.rules.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def robots_from_status(status: int, body: bytes) -> Robots:
    """Rules from the final (after redirects) response to /robots.txt."""
    if 200 <= status < 300:
        return Robots(Protego.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")))
    if 400 <= status < 500:
        return Robots(Protego.parse(""))  # no rules: everything allowed
    return Robots(None, f"robots.txt unavailable (HTTP {status}); not fetched")


def robots_unreachable(message: str) -> Robots:
    return Robots(None, f"robots.txt unreachable ({message}); not fetched")
