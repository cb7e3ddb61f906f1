"""Outlet names: the site's own name from its metadata, else a small table of known domains, else
the site's registrable domain (so "usa.example.com" and "www.example.com" are one outlet).

A raw host is not a name a reader knows ("www.dailymail.co.uk"), and one outlet is often served
from several subdomains (usa., europe., www.). The table is deliberately small: names that are
unambiguous for the whole registrable domain. Writers name any other outlet in overrides.yml
(`outlets: example.com: Example News`), which also covers every subdomain; `digest check` lists
outlets that are still only a domain.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Second-level labels under which a registrable domain has three labels (news.example.co.uk).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gv", "nic"})

KNOWN: dict[str, str] = {
    "apnews.com": "AP", "reuters.com": "Reuters", "afp.com": "AFP", "bbc.co.uk": "BBC", "bbc.com": "BBC",
    "cnn.com": "CNN", "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal", "usatoday.com": "USA Today", "latimes.com": "Los Angeles Times",
    "npr.org": "NPR", "foxnews.com": "Fox News", "nbcnews.com": "NBC News", "cbsnews.com": "CBS News",
    "cnbc.com": "CNBC", "bloomberg.com": "Bloomberg", "politico.com": "Politico", "thehill.com": "The Hill",
    "theguardian.com": "The Guardian", "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph",
    "dailymail.co.uk": "Daily Mail", "express.co.uk": "Daily Express", "mirror.co.uk": "Daily Mirror",
    "thesun.co.uk": "The Sun", "thetimes.co.uk": "The Times", "ft.com": "Financial Times",
    "economist.com": "The Economist", "theverge.com": "The Verge", "wired.com": "Wired",
    "techcrunch.com": "TechCrunch", "coindesk.com": "CoinDesk", "aljazeera.com": "Al Jazeera", "dw.com": "DW",
    "france24.com": "France 24", "euronews.com": "Euronews", "rt.com": "RT", "tass.com": "TASS",
    "chinadaily.com.cn": "China Daily", "globaltimes.cn": "Global Times", "xinhuanet.com": "Xinhua",
    "scmp.com": "South China Morning Post", "japantimes.co.jp": "The Japan Times", "abc.net.au": "ABC News (Australia)",
    "cbc.ca": "CBC News", "time.com": "Time", "newsweek.com": "Newsweek", "huffpost.com": "HuffPost",
    "huffingtonpost.com": "HuffPost", "businessinsider.com": "Business Insider", "axios.com": "Axios",
    "abcnews.go.com": "ABC News", "espn.go.com": "ESPN", "nydailynews.com": "New York Daily News",
    "newyorker.com": "The New Yorker", "standard.co.uk": "Evening Standard", "ndtv.com": "NDTV",
    "hindustantimes.com": "Hindustan Times", "timesofindia.indiatimes.com": "The Times of India",
    "engadget.com": "Engadget", "cnet.com": "CNET", "rollingstone.com": "Rolling Stone",
    "aa.com.tr": "Anadolu Agency", "yonhapnews.co.kr": "Yonhap", "kyodonews.net": "Kyodo News",
}
# Domains that host several unrelated outlets: their subdomains are not merged.
PORTALS = frozenset({"go.com", "indiatimes.com", "yahoo.com", "msn.com", "blogspot.com", "wordpress.com",
                     "medium.com", "substack.com", "tumblr.com", "github.io"})
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


def host_of(value: str | None) -> str | None:
    """The host of a URL or a bare domain, lowercased, without "www."; None when it is neither."""
    if not value or not value.strip():
        return None
    text = value.strip().lower()
    if "://" in text:
        try:
            text = urlsplit(text).hostname or ""
        except ValueError:
            return None
    text = text.rstrip(".").removeprefix("www.")
    return text if _DOMAIN.match(text) else None


def registrable(host: str) -> str:
    """news.example.co.uk -> example.co.uk; usa.example.com -> example.com (no public-suffix list:
    a two-letter country code under a generic second level is enough for news sites)."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def looks_like_domain(name: str | None) -> bool:
    return bool(name) and host_of(name) is not None and " " not in name.strip()


def outlet_name(site_name: str | None, domain: str | None = None, url: str | None = None) -> str | None:
    """The outlet's display name: the site's own name unless that is only a domain, else the known
    name of the domain (or of the URL's host), else the registrable domain; None when nothing is known."""
    if site_name and site_name.strip() and not looks_like_domain(site_name):
        return " ".join(site_name.split())
    host = host_of(domain) or host_of(site_name) or host_of(url)
    if not host:
        return " ".join(site_name.split()) if site_name and site_name.strip() else None
    base = registrable(host)
    return KNOWN.get(host) or KNOWN.get(base) or (host if base in PORTALS else base)
