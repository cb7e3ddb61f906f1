"""robots.txt rules for one origin, following RFC 9309 with urllib.robotparser doing the matching.

What a fetch result means (RFC 9309 section 2.3.1):
- 2xx: the rules in the file apply;
- 4xx (including 401/403): no rules, everything is allowed;
- 5xx or a network failure: the crawler must assume complete disallow; we report the page as
  not fetched rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB; ignore the rest


@dataclass(frozen=True)
class Robots:
    """The rules of one origin, or why there are none we can trust."""

    parser: RobotFileParser | None  # None when `unreachable` says why
    unreachable: str | None = None

    def allows(self, user_agent: str, url: str) -> bool:
        # robotparser matches the product token ("digest" of "digest/0.1 (+...)") itself.
        return self.parser is not None and self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def robots_from_status(status: int, body: bytes) -> Robots:
    """Rules from the final (after redirects) response to /robots.txt."""
    parser = RobotFileParser()
    if 200 <= status < 300:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return Robots(parser)
    if 400 <= status < 500:
        parser.allow_all = True
        parser.modified()
        return Robots(parser)
    return Robots(None, f"robots.txt unavailable (HTTP {status}); not fetched")


def robots_unreachable(message: str) -> Robots:
    return Robots(None, f"robots.txt unreachable ({message}); not fetched")
