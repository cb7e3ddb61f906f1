"""A polite HTTP client on httpx: robots.txt, one request at a time per host with a delay,
retries with back-off, redirects within a limit, a size cap and a time cap per response.

Requests run one after another (the caller interleaves hosts, see `interleave_by_host`), so
"one request at a time per host" holds by construction; the per-host clock below adds the
delay, raised to the site's robots.txt Crawl-delay when it asks for more.
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Iterable, Mapping, TypeVar
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from .options import Disallowed, FetchError, FetchOptions
from .robots import Robots, robots_from_status, robots_unreachable
from .urls import host_key, origin

T = TypeVar("T")
Refuse = Callable[[str], "str | None"]  # media type -> why it is refused, or None

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2

PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"


@dataclass(frozen=True)
class Fetched:
    """A final (non-redirect) response with its body read."""

    url: str  # the URL requested first
    final_url: str  # after redirects
    status: int
    headers: Mapping[str, str]  # lowercase names
    body: bytes
    attempts: int = 1

    @property
    def content_type(self) -> str:
        """The media type, lowercase, without parameters ("" when the server sent none)."""
        return _media_type(self.headers)

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"').lower()
        return None


def _media_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


class _TooSlow(Exception):
    """The whole response took longer than allowed (a server trickling bytes)."""


def describe_error(exc: BaseException, url: str, timeout: float) -> str:
    """One line for a transport failure, naming DNS and TLS problems as such."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:  # httpx chains httpcore's and the OS error
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return f"DNS lookup failed for {urlsplit(url).hostname}: {cause.strerror or cause}"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not accepted: {cause.verify_message or cause.reason}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS handshake failed: {cause.reason or cause}"
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, (httpx.TimeoutException, _TooSlow)):
        return f"timed out (timeout {timeout:g}s)"
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {_one_line(exc)}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL: {_one_line(exc)}"
    return f"{type(exc).__name__}: {_one_line(exc)}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def interleave_by_host(items: Iterable[T], url_of: Callable[[T], str] = str) -> list[T]:
    """Round-robin over hosts, keeping each host's order: while one host waits out its delay,
    the next request goes to another."""
    queues: dict[str, list[T]] = {}
    for item in items:
        try:
            key = host_key(url_of(item))
        except ValueError:
            key = ""
        queues.setdefault(key, []).append(item)
    out: list[T] = []
    rounds = max((len(q) for q in queues.values()), default=0)
    for i in range(rounds):
        out.extend(q[i] for q in queues.values() if i < len(q))
    return out


class PoliteClient:
    """Use as a context manager; one instance per run (it remembers robots.txt and host clocks)."""

    def __init__(
        self,
        options: FetchOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options
        self._sleep = sleep
        self._clock = clock
        self._client = httpx.Client(
            headers={"User-Agent": options.user_agent},
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=False,  # we follow them ourselves: robots.txt and delay per hop
        )
        self._next_turn: dict[str, float] = {}  # host -> earliest clock() for its next request
        self._crawl_delay: dict[str, float] = {}  # host -> robots.txt Crawl-delay (capped)
        self._robots: dict[str, Robots] = {}  # origin -> its rules

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    # -- public ---------------------------------------------------------------------------

    def get(self, url: str, *, accept: str = PAGE_ACCEPT, headers: Mapping[str, str] | None = None,
            refuse: Refuse | None = None, max_bytes: int | None = None) -> Fetched:
        """GET with robots.txt checked on every hop; raises FetchError with a one-line reason.
        A 304 (only possible with conditional `headers`) is returned, other 4xx/5xx raise.
        `refuse(content_type)` may reject a 2xx response by its media type before its body
        is downloaded (a PDF is not read only to be thrown away). `max_bytes` replaces the
        page size cap (sitemaps may be larger than pages)."""
        request_headers = {"Accept": accept, **(headers or {})}
        fetched = self._follow(url, request_headers, self.options.max_redirects, check_robots=True,
                               refuse=refuse, max_bytes=max_bytes)
        if fetched.status >= 400:
            words = [f"HTTP {fetched.status}", httpx.codes.get_reason_phrase(fetched.status)]
            if fetched.attempts > 1:
                words.append(f"(after {fetched.attempts} attempts)")
            if fetched.status in RETRY_STATUSES and fetched.headers.get("retry-after"):
                words.append(f"(Retry-After: {' '.join(fetched.headers['retry-after'].split())})")
            raise FetchError(" ".join(w for w in words if w))
        return fetched

    # -- redirects, robots ----------------------------------------------------------------

    def _follow(self, url: str, headers: Mapping[str, str], max_redirects: int, *, check_robots: bool,
                refuse: Refuse | None = None, max_bytes: int | None = None) -> Fetched:
        current = urldefrag(url).url  # fragments are never sent; keep them out of final_url
        chain = [current]
        for _hop in range(max_redirects + 1):
            if check_robots:
                self._check_robots(current)
            status, resp_headers, body, attempts = self._with_retries(current, headers, refuse, max_bytes)
            location = resp_headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                current = urldefrag(urljoin(current, location.strip())).url
                if urlsplit(current).scheme.lower() not in ("http", "https"):
                    raise FetchError(f"redirected to a non-HTTP address: {current}")
                if current in chain:  # no need to spend the whole limit going round
                    loop = chain[chain.index(current):] + [current]
                    raise FetchError(f"redirect loop: {' -> '.join(loop)}")
                chain.append(current)
                continue
            return Fetched(url, current, status, resp_headers, body, attempts)
        raise FetchError(f"more than {max_redirects} redirects (last to {current})")

    def _check_robots(self, url: str) -> None:
        key = origin(url)
        robots = self._robots.get(key)
        if robots is None:
            robots = self._robots[key] = self._load_robots(key)
            delay = robots.crawl_delay(self.options.user_agent)
            if delay:
                self._crawl_delay[host_key(url)] = min(delay, self.options.max_backoff)
                self._schedule(host_key(url), 0.0)  # the robots.txt request counts as one
        if robots.unreachable:
            raise FetchError(robots.unreachable)
        if not robots.allows(self.options.user_agent, url):
            raise Disallowed("disallowed by robots.txt")

    def _load_robots(self, origin_url: str) -> Robots:
        try:
            fetched = self._follow(origin_url + "/robots.txt", {"Accept": "text/plain,*/*;q=0.5"},
                                   ROBOTS_MAX_REDIRECTS, check_robots=False)
        except FetchError as exc:
            return robots_unreachable(str(exc))
        return robots_from_status(fetched.status, fetched.body)

    # -- retries, per-host turns ----------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        wait = self._next_turn.get(host, 0.0) - self._clock()
        if wait > 0:
            self._sleep(wait)

    def _schedule(self, host: str, after: float) -> None:
        delay = max(self.options.delay, self._crawl_delay.get(host, 0.0))
        self._next_turn[host] = max(self._next_turn.get(host, 0.0), self._clock() + max(delay, after))

    def _with_retries(self, url: str, headers: Mapping[str, str], refuse: Refuse | None = None,
                      max_bytes: int | None = None) -> tuple[int, dict[str, str], bytes, int]:
        host = host_key(url)
        attempts = self.options.retries + 1
        for attempt in range(1, attempts + 1):
            backoff = min(self.options.backoff * 2 ** (attempt - 1), self.options.max_backoff)
            self._wait_turn(host)
            try:
                status, resp_headers, body = self._once(url, headers, refuse, max_bytes)
            except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError, _TooSlow) as exc:
                # Worth another try: the server may be busy. Connection refused, DNS and TLS
                # failures (httpx.ConnectError) are not: they will not change in a second.
                message = describe_error(exc, url, self.options.timeout)
                self._schedule(host, backoff)
                if attempt == attempts:
                    suffix = f" (after {attempts} attempts)" if attempts > 1 else ""
                    raise FetchError(message + suffix) from None
                continue
            except httpx.HTTPError as exc:
                self._schedule(host, 0.0)
                raise FetchError(describe_error(exc, url, self.options.timeout)) from None
            except FetchError:  # over the size cap or refused: final, but the host still gets its rest
                self._schedule(host, 0.0)
                raise
            if status in RETRY_STATUSES:
                asked = retry_after_seconds(resp_headers.get("retry-after")) or 0.0
                self._schedule(host, min(max(backoff, asked), self.options.max_backoff))
                # Retrying sooner than the server asked would be rude: give up instead.
                if attempt < attempts and asked <= self.options.max_backoff:
                    continue
                return status, resp_headers, body, attempt
            self._schedule(host, 0.0)
            return status, resp_headers, body, attempt
        raise AssertionError("unreachable")  # the loop returns or raises

    def _once(self, url: str, headers: Mapping[str, str], refuse: Refuse | None = None,
              max_bytes: int | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request; the body is read only for 2xx, up to max_bytes, within 3x the timeout."""
        started = self._clock()
        limit = max_bytes or self.options.max_bytes
        with self._client.stream("GET", url, headers=dict(headers)) as response:
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            if not 200 <= response.status_code < 300:
                return response.status_code, resp_headers, b""
            reason = refuse(_media_type(resp_headers)) if refuse else None
            if reason:
                raise FetchError(reason)
            declared = resp_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"larger than the size cap ({int(declared)} > {limit} bytes)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"larger than the size cap (over {limit} bytes)")
                if self._clock() - started > 3 * self.options.timeout:
                    raise _TooSlow()
                chunks.append(chunk)
            return response.status_code, resp_headers, b"".join(chunks)

