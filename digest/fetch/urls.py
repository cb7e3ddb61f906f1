"""URL hygiene for fetching: the link we keep, the key we dedupe on, and the article id.

Written on urllib.parse rather than courlan (already installed through trafilatura) on purpose:
courlan's tracker pattern also strips parameters such as `source`, `ref`, `uid` or `session`,
which some outlets use to address the article itself, and it keeps fragments. Here the list of
tracking parameters is short, explicit and tested one by one.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from digest.text.slugs import slugify

# Parameters that only say where a click came from; never part of an article's address.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "dclid",  # Google Display
        "gbraid",  # Google Ads (iOS)
        "wbraid",  # Google Ads (iOS)
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # Twitter/X
        "igshid",  # Instagram
        "mc_cid",  # Mailchimp campaign
        "mc_eid",  # Mailchimp subscriber
        "_ga",  # Google Analytics cross-domain
        "_gl",  # Google Analytics cross-domain
    }
)
# Whole families by prefix: utm_source, utm_medium, ... (Google Analytics campaign tags).
TRACKING_PREFIXES = ("utm_",)

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are when quoting a path or query piece: existing %-escapes and the
# reserved delimiters. Spaces and non-ASCII letters become %-escapes, as a browser sends them.
_SAFE = "%/:@!$&'()*+,;=~-._"
_PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".php", ".aspx", ".asp", ".jsp")


class BadURL(ValueError):
    """Not an absolute http(s) URL."""


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _netloc(parts) -> str:
    host = (parts.hostname or "").rstrip(".")  # hostname is already lowercase
    if not host:
        raise BadURL("URL has no host")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"bad port: {exc}") from None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        host = f"{userinfo}@{host}"
    return host


def check_url(url: str) -> str:
    """The URL stripped of surrounding blanks; BadURL unless it is absolute http(s)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise BadURL("not an http(s) URL" if parts.scheme else "not an absolute URL")
    _netloc(parts)
    return url


def _kept_params(query: str) -> list[str]:
    """The `name=value` pieces of a query that are not tracking parameters, kept as written
    (not decoded and re-encoded: `+` and `%2B` stay distinct) except that spaces and non-ASCII
    characters are escaped."""
    kept = []
    for piece in query.split("&"):
        if piece and not is_tracking_param(unquote_plus(piece.split("=", 1)[0])):
            kept.append(quote(piece, safe=_SAFE))
    return kept


def clean_url(url: str) -> str:
    """The address worth keeping and linking to: no fragment, no tracking parameters,
    lowercase scheme and host, no default port. Path and parameter order are kept, so the
    link still works exactly as the outlet published it."""
    parts = urlsplit(check_url(url))
    query = "&".join(_kept_params(parts.query))
    path = quote(parts.path, safe=_SAFE) or "/"
    return urlunsplit((parts.scheme.lower(), _netloc(parts), path, query, ""))


def canonical_url(url: str) -> str:
    """The identity key of a page: `clean_url` plus a trailing slash dropped (except the root)
    and the query sorted, so that trivially different spellings of one page compare equal.
    A key, not a link: servers may treat /a/ and /a differently."""
    parts = urlsplit(clean_url(url))
    netloc = _ascii_host(parts.netloc)
    path = parts.path
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = "&".join(sorted(_kept_params(parts.query)))
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _ascii_host(netloc: str) -> str:
    """An internationalised host in its ASCII (punycode) form, so that both spellings of one
    host give one key; left as it is when the codec refuses it."""
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.partition(":") if not hostport.startswith("[") else (hostport, "", "")
    if host.isascii():
        return netloc
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return netloc
    return f"{userinfo}{at}{host}{colon}{port}"


def origin(url: str) -> str:
    """scheme://host[:port], the unit robots.txt applies to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{_netloc(parts).rpartition('@')[2]}"


def host_key(url: str) -> str:
    """The host as the politeness scheduler counts it (one queue per host name and port)."""
    return origin(url).split("://", 1)[1]


def article_id(canonical: str) -> str:
    """A stable, readable file stem for a page: host, last path segment, short hash.

    `example-com-putin-arrives-in-china-1a2b3c4d`. The hash of the canonical URL keeps ids
    unique; the words only help a person browsing articles/.
    """
    parts = urlsplit(canonical)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    last = unquote(segments[-1]) if segments else ""
    for suffix in _PAGE_SUFFIXES:
        if last.lower().endswith(suffix):
            last = last[: -len(suffix)]
            break
    words = slugify(f"{host} {last}")[:60].strip("-") or "page"
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    return f"{words}-{digest}"
