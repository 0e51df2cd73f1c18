"""Links and domain names.

Three forms: with a scheme (``https://…``, 0.99), starting with ``www.`` (0.99), and bare
domains with a known top-level domain, optionally with a path (``vejle.dk/seniormotion``
0.9, ``jobnet.dk`` 0.8). The domain part of an e-mail address is not a link.

Attributes tell the rules what kind of link it is: ``domain`` (host without ``www.``),
``shortener`` (bit.ly and friends hide the target), ``official`` (a known Danish public
domain) and ``lookalike`` (a non-official domain that borrows a municipality or public brand
name, such as ``hjoerring-kommune-gevinst.net``: a typical lure).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Detection
from ..text import Document
from .email import email_spans

__all__ = ["UrlDetector", "is_lookalike_domain", "is_official_domain", "registrable_domain"]

TLDS: tuple[str, ...] = (
    "dk", "com", "net", "org", "eu", "info", "io", "ly", "me", "co", "nu", "se", "no", "de",
    "uk", "biz", "xyz", "app", "site", "online", "link", "gl", "fo",
    # top-level domains common in lure links ("gevinst-dk.shop")
    "shop", "store", "top", "club", "live", "click", "cc", "ru", "cn", "win", "vip", "icu",
    "tk", "sbs", "cfd", "buzz", "life", "fun", "website", "space", "today",
    "gd",  # only for the shortener is.gd
)  # fmt: skip
# Short TLDs that also occur when a sentence ends without a space ("godt.de", "ja.no").
_AMBIGUOUS_TLDS = frozenset({"de", "se", "no", "me", "co", "nu", "io", "gd"})

SHORTENERS = frozenset(
    {"bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
     "cutt.ly"}
)  # fmt: skip
OFFICIAL_DOMAINS = frozenset(
    {
        "aabenraa.dk", "sonderborg.dk", "sonderborgkommune.dk", "vejle.dk", "hjoerring.dk",
        "borger.dk", "sundhed.dk", "skat.dk", "jobnet.dk", "aula.dk", "lectio.dk", "mitid.dk",
        "nemid.nu", "politi.dk", "retsinformation.dk", "datatilsynet.dk", "ombudsmanden.dk",
    }
)  # fmt: skip
# Brand tokens that are distinctive enough to flag anywhere in a host name ...
_DISTINCTIVE_TOKENS = ("mitid", "nemid", "aabenraa", "sonderborg", "sønderborg", "hjoerring",
                       "hjørring")  # fmt: skip
# ... and ordinary words ("vejledning", "skattefri", "kommunekredit") that count only as a
# whole hyphen/dot-separated part, or anywhere in a host outside .dk.
_COMMON_TOKENS = ("kommune", "skat", "borger", "vejle")

_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_PATH_CHARS = r"[\w\-.~:/?#@!$&*+,;=%()']"
_TLD_ALT = "|".join(sorted(TLDS, key=len, reverse=True))

# Matched on the lower-cased text (same length, same offsets).
_URL_RE = re.compile(
    r"(?P<scheme>https?://[\w\-.:@%]+(?:[/?#]" + _PATH_CHARS + r"*)?)"
    r"|(?<![\w@.\-/:])(?P<www>www\.(?:" + _LABEL + r"\.)+[a-z]{2,24}(?::[0-9]{2,5})?"
    r"(?:[/?#]" + _PATH_CHARS + r"*)?)"
    r"|(?<![\w@.\-/:])(?P<bare>(?P<host>(?:" + _LABEL + r"\.)+(?P<tld>" + _TLD_ALT + r"))"
    r"(?![\w\-@])(?P<path>/" + _PATH_CHARS + r"*)?)"
)
_TRAILING = ".,;:!?'\""
_OPENERS = {")": "(", "]": "["}
_DOT_LETTER_RE = re.compile(r"\.[^\W\d_]")
_SPACE_RE = re.compile(r"\s")
_SPACES = (" ", "\n", "\t", "\u00a0")
_HOST_SPLIT_RE = re.compile(r"[-._0-9]+")


def registrable_domain(host: str) -> str:
    """The domain a registrant owns: ``selvbetjening.vejle.dk`` → ``vejle.dk``."""
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in {"co", "com", "org", "gov", "ac"}:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def is_official_domain(host: str) -> bool:
    """A known Danish public domain (any ``…kommune.dk`` or one of the listed domains)."""
    reg = registrable_domain(host.lower())
    return reg.endswith("kommune.dk") or reg in OFFICIAL_DOMAINS


def is_lookalike_domain(host: str) -> bool:
    """A non-official host that borrows a municipality or public brand name."""
    host = host.lower()
    if is_official_domain(host):
        return False
    if any(tok in host for tok in _DISTINCTIVE_TOKENS):
        return True
    parts = set(_HOST_SPLIT_RE.split(host))
    if any(tok in parts for tok in _COMMON_TOKENS):
        return True
    if not host.endswith(".dk"):
        name = host.rsplit(".", 1)[0]
        return any(tok in name for tok in _COMMON_TOKENS)
    return False


def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets at the end of a link."""
    while url:
        last = url[-1]
        opener = _OPENERS.get(last)
        if last in _TRAILING or (opener is not None and url.count(opener) < url.count(last)):
            url = url[:-1]
        else:
            break
    return url


def _host_of(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else url
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _candidates(low: str) -> Iterator[re.Match[str]]:
    """URL matches, searched only in the whitespace-delimited stretches that contain a dot
    followed by a letter (every link does). Much faster than scanning the whole text."""
    searched_to = 0
    for dot in _DOT_LETTER_RE.finditer(low):
        pos = dot.start()
        if pos < searched_to:
            continue
        start = max(searched_to, *(low.rfind(ws, 0, pos) + 1 for ws in _SPACES))
        ws = _SPACE_RE.search(low, pos)
        end = ws.start() if ws else len(low)
        yield from _URL_RE.finditer(low, start, end)
        searched_to = end


class UrlDetector:
    """Links: scheme or www (0.99), bare domain with path (0.9), bare domain (0.8)."""

    name = "url"
    labels = frozenset({"URL"})

    def detect(self, doc: Document) -> list[Detection]:
        low = doc.lower
        if "." not in low:
            return []
        text = doc.text
        emails: list[tuple[int, int, str, bool]] | None = None
        found: list[Detection] = []
        for m in _candidates(low):
            start = m.start()
            end = start + len(_trim(m.group()))
            if m.group("bare") is not None:
                tld = text[m.start("tld") : m.end("tld")]
                if not (tld.islower() or tld.isupper()):
                    continue  # "slut.De kom": a missing space, not a domain
                host = m.group("host")
                if host.rsplit(".", 2)[-2].isdigit() or (tld == "gd" and host != "is.gd"):
                    continue
                has_path = m.group("path") is not None and end > m.end("host") + 1
                if not has_path:
                    end = m.end("host")
                if has_path:
                    score, why = 0.9, "domæne med sti"
                elif m.group("tld") in _AMBIGUOUS_TLDS and host not in SHORTENERS:
                    score, why = 0.6, "muligt domænenavn"
                else:
                    score, why = 0.8, "domænenavn"
            else:
                score = 0.99
                why = "link med http(s)://" if m.group("scheme") is not None else "link med www."
            if end <= start:
                continue
            if emails is None:
                emails = email_spans(doc)
            if any(s < end and start < e for s, e, _, _ in emails):
                continue
            domain = _host_of(low[start:end])
            if "." not in domain:
                continue
            shortener = domain in SHORTENERS
            official = is_official_domain(domain)
            lookalike = is_lookalike_domain(domain)
            notes = [why]
            if shortener:
                notes.append("forkortet link skjuler adressen")
            if official:
                notes.append("kendt offentligt domæne")
            if lookalike:
                notes.append("domænet ligner et offentligt navn uden at være det")
            found.append(
                Detection(
                    label="URL",
                    start=start,
                    end=end,
                    score=score,
                    detector=self.name,
                    explanation="; ".join(notes),
                    attributes={
                        "domain": domain,
                        "shortener": shortener,
                        "official": official,
                        "lookalike": lookalike,
                    },
                )
            )
        return found
