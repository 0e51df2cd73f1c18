"""Danish street addresses: street name, house number, optional floor/side, postcode and town.

How it works (fast, no giant regex): every house-number candidate (1–999, optionally with a
letter, ``14B``) is found with one small regex. For each, the detector looks back over the up
to five words on the same line before it and checks the joined words, longest first, against
a set of ~52,000 Danish street names (Post Danmark, c. 2015; see
``data/streets.LICENSE.txt``). Names not in the list still count when they are shaped like a
street: a capitalised word ending in a street suffix (``-vej``, ``-gade``, ``-vænget`` ...),
or capitalised words followed by a separate street word (``Søren Kierkegaards Plads``).
It then extends forward over an optional floor/side (``2. th``, ``st. tv``, ``3.sal``) and an
optional postcode and town (``6200 Aabenraa``; any 1000–9990 followed by a capitalised
town).

The street list also contains many ordinary words (``Havnen``, ``Skolen``, ``Solen``,
``Taget``). A single-word name without a street suffix therefore needs a stronger signal: a
postcode and town, a floor/side, or a context word before it (``bor på``, ``adresse``).
Lower-cased streets in informal text (``bor på skolegade 14``) are reported with a lower
score.

Nothing here logs or keeps the analysed text; explanations never quote it.
"""

from __future__ import annotations

import gzip
import re
import threading
from dataclasses import dataclass
from importlib import resources

from ..model import Detection
from ..text import Document
from .base import ContextWords

__all__ = ["AddressDetector", "StreetIndex", "load_street_index", "street_key"]

_DATA_PACKAGE = "omtanke.detectors"
_DATA_FILE = "streets.txt.gz"
#: The upstream list cuts names at 20 characters ("H.C. Andersens Boul").
_TRUNCATED_LEN = 20

# --- house numbers ------------------------------------------------------------------------

#: A house number 1–999 as a word of its own, optionally with a letter ("14B", "22 A").
#: Not part of a larger number, a decimal, a time, a date, a range or a percentage.
_NUMBER_RE = re.compile(
    r"(?<![\w.,/:+\-–])"
    r"[1-9]\d{0,2}"
    r"(?:[A-Za-z]|[ \t][A-HJ-Z])?"
    r"(?!\w|[.,:/][0-9]|[-–][0-9]|[ \t]?[%°])"
)
_DIGIT_RE = re.compile(r"[1-9]")
#: Words right after the number that make it a quantity, not a house number.
_UNIT_RE = re.compile(
    r"[ \t]*(?:km|m|meter|cm|min|minutter|sek|sekunder|timer|kr|dkk|gange|år|dage|døgn"
    r"|uger|måneder|mdr|procent|pct|stk|kg|g|l|liter|personer|mennesker|børn|elever|point"
    r"|pladser|sider|spg|klasse)(?!\w)"
    # a date: "Kirkevej 8. juni"
    r"|\.?[ \t]*(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?(?!\w)",
    re.IGNORECASE,
)

# --- words before the number ----------------------------------------------------------------

_PRE_WINDOW = 90
_MAX_NAME_TOKENS = 5
_NONSPACE_RE = re.compile(r"\S+")
_NAME_TOKEN_RE = re.compile(r"\w[\w.'’-]*")
_LEADING_PUNCT = "(\"'“”„«»[‘"
_NUMBER_WORDS = frozenset({"nr", "nr.", "nummer", "no", "no."})

# --- forward extension ----------------------------------------------------------------------

_SIDE = r"(?:t\.[hv]\.|th|tv|mf)(?!\w)"
_FLOOR_RE = re.compile(
    r"(?:,[ \t]*|[ \t]+)"
    r"(?:"
    rf"(?:stuen|st\.?|kld\.?|kælder(?:en)?|kl(?!\.?[ \t]*\d)\.?)(?:(?:,[ \t]*|[ \t]*){_SIDE})?"
    rf"|\d{{1,2}}\.?[ \t]?sal(?!\w)(?:(?:,[ \t]*|[ \t]*){_SIDE})?"
    rf"|\d{{1,2}}(?:\.[ \t]?|[ \t])?{_SIDE}"
    rf"|{_SIDE}"
    r")",
    re.IGNORECASE,
)
_TOWN_PREFIX = (
    r"(?:Nørre|Nr\.|Sønder|Sdr\.|Store|St\.|Lille|Ll\.|Ny|Gl\.|Gammel|Vester|Øster|Kgs\."
    r"|Hvide|Sankt|Skt\.|Nordre|Søndre|Vestre|Østre)"
)
_POSTCODE_RE = re.compile(
    r"(?:,?[ \t]*\n[ \t]*|,[ \t]*|[ \t]+)"
    r"(?:DK-?[ \t]?)?(?P<pc>[1-9]\d{3})[ \t]+"
    rf"(?:{_TOWN_PREFIX}[ \t]+)?"
    r"[A-ZÆØÅ][a-zæøåäöüé]+(?:-[A-ZÆØÅa-zæøå][a-zæøåäöüé]+)*"
    r"(?:[ \t]+(?:SV|NV|SØ|NØ|K|V|C|N|S|Ø)(?!\w))?"
)
_MAX_POSTCODE = 9990

# --- street shapes --------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Endings of one-word street names ("Kastanievej", "Vestergade", "Kløvermarken").
_STREET_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        _wordset(
            "vej vejen gade gaden vænge vænget alle allee stræde strædet torv torvet plads "
            "pladsen park parken stien toft tofte toften bakke bakken haven marken engen "
            "høj høje højen lund lunden vang vangen gyde gyden løkke løkken boulevard "
            "boulevarden kaj kajen bro broen krog krogen kær kæret mose mosen dalen hegn "
            "hegnet svinget brink brinken passage promenade promenaden diget skrænten "
            "banke agre ageren vængen"
        ),
        key=len,
        reverse=True,
    )
)
#: Separate street words after other capitalised words ("Skt. Hans Gade").
_STREET_WORDS = _wordset(
    "vej gade alle allee plads boulevard boul stræde torv vænge vænget park have passage "
    "kaj bakke sti promenade parken haven bro vang høj løkke"
)
#: Words with a street ending that are not streets.
_NOT_STREETS = _wordset(
    "brigade omvej genvej motorvej motorvejen hovedvej hovedvejen sidevej udvej midtvej "
    "halvvej arbejdsplads arbejdspladsen parkeringsplads parkeringspladsen legeplads "
    "legepladsen boldplads ståplads siddeplads campingplads praktikplads praktikpladsen "
    "læreplads p-plads børnehaven dyrehaven drengen sengen pengen"
)
#: Capitalised words that start a sentence rather than a street name.
_CAP_STOPWORDS = _wordset(
    "i på ved hos til fra og eller men min mit mine din dit dine vores jeres deres den det "
    "de en et jeg vi han hun du der her nu så hej kære mvh hilsen bor er om med af for "
    "efter mod over under når hvis at som the"
)
#: Prefixes that belong to a street name before a one-word street ("Vestre Engvej").
_NAME_PREFIXES = _wordset(
    "gammel gamle gl. ny nye nørre nr. nr søndre sønder sdr. sdr nordre ndr. ndr vestre "
    "vester østre øster store st. lille ll. øvre nedre skt. skt sankt lange korte brede "
    "indre ydre midt mellem"
)
_KEY_ALIASES = {
    "sankt": "skt",
    "nørre": "nr",
    "søndre": "sdr",
    "sønder": "sdr",
    "nordre": "ndr",
    "gammel": "gl",
    "gamle": "gl",
}

_CONTEXT = ContextWords(
    _wordset("bor boede bosat bopæl adresse adressen adr. adr nabo naboen naboer genbo beliggende")
    | {"flyttet til", "flytter til", "flyttede til", "flytte til", "hjemme hos", "hjemme på"}
)
_CONTEXT_WINDOW = 40

# Scores before adjustments; each signal then removes part of the remaining doubt.
_BASE_KNOWN = 0.9
_BASE_KNOWN_WEAK = 0.85
_BASE_SHAPED = 0.8
_BASE_INFORMAL_KNOWN = 0.6
_BASE_INFORMAL_SHAPED = 0.5
_DOUBT_POSTCODE = 0.1
_DOUBT_FLOOR = 0.5
_DOUBT_CONTEXT = 0.6
_DOUBT_NR = 1.25  # "Mark nr. 3": "nr." makes a street slightly less likely


_KEY_SPLIT_RE = re.compile(r"[\s.]+")


def street_key(name: str) -> str:
    """The lookup key of a street name: lower-cased, dots and spacing ignored, ``é`` = ``e``,
    common abbreviations unified (``Sankt``/``Skt.``, ``Nørre``/``Nr.``), and runs of single
    letters joined (``H.C.`` = ``H C`` = ``HC``)."""
    low = name.lower().replace("é", "e").replace("’", "'")
    out: list[str] = []
    prev_single = False
    for part in _KEY_SPLIT_RE.split(low):
        if not part:
            continue
        part = _KEY_ALIASES.get(part, part)
        single = len(part) == 1 and part.isalpha()
        if single and prev_single:
            out[-1] += part
        else:
            out.append(part)
        prev_single = single
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class StreetIndex:
    """Street-name keys (see :func:`street_key`) and keys of names cut at 20 characters."""

    keys: frozenset[str]
    truncated: frozenset[str]
    #: The last word of every key ("gade", "engvej", "kierkegaards"): a cheap first filter.
    last_words: frozenset[str]


_index: StreetIndex | None = None
_index_lock = threading.Lock()


def load_street_index() -> StreetIndex:
    """Load the shipped street list once per process."""
    global _index
    if _index is not None:
        return _index
    with _index_lock:
        if _index is None:
            path = resources.files(_DATA_PACKAGE) / "data" / _DATA_FILE
            with path.open("rb") as fh:
                names = gzip.decompress(fh.read()).decode("utf-8").splitlines()
            keys = frozenset(street_key(n) for n in names if n)
            truncated = frozenset(street_key(n) for n in names if len(n) == _TRUNCATED_LEN)
            last_words = frozenset(k.rpartition(" ")[2] for k in keys)
            _index = StreetIndex(keys, truncated, last_words)
    return _index


def _has_suffix(word: str) -> bool:
    """``word`` (lower-cased) is a compound ending in a street suffix, not the suffix alone."""
    if word in _NOT_STREETS:
        return False
    w = word.replace("é", "e")
    if not w.endswith(_STREET_SUFFIXES):
        return False
    return any(w.endswith(s) and len(w) >= len(s) + 2 for s in _STREET_SUFFIXES)


def _is_cap(token: str) -> bool:
    return token[:1].isupper()


def _is_abbreviation(token: str) -> bool:
    """``Skt.``, ``H.C.``, ``Gl.``, ``Sdr.``: a dot that does not end a sentence."""
    core = token.rstrip(".")
    return "." in core or (len(core) <= 4 and core.isalpha()) or core.isdigit()


@dataclass(frozen=True, slots=True)
class _Name:
    start: int
    kind: str  # "known" | "shaped"
    street_like: bool  # ends in a street suffix or has a separate street word
    multiword: bool
    informal: bool  # written in lower case


class AddressDetector:
    """Danish street addresses (``ADDRESS``)."""

    name = "address"
    labels = frozenset({"ADDRESS"})

    def __init__(self) -> None:
        index = load_street_index()
        self._keys = index.keys
        self._truncated = index.truncated
        self._last_words = index.last_words

    # -- public API ---------------------------------------------------------------------

    def detect(self, doc: Document) -> list[Detection]:
        text = doc.text
        if _DIGIT_RE.search(text) is None:
            return []
        found: list[Detection] = []
        last_end = 0
        for m in _NUMBER_RE.finditer(text):
            if m.start() < last_end or _UNIT_RE.match(text, m.end()):
                continue
            det = self._at_number(doc, m.start(), m.end())
            if det is not None and det.start >= last_end:
                found.append(det)
                last_end = det.end
        return found

    # -- internals ------------------------------------------------------------------------

    def _at_number(self, doc: Document, num_start: int, num_end: int) -> Detection | None:
        text = doc.text
        if not self._plausible_word_before(text, num_start):
            return None
        tokens = _preceding_tokens(text, num_start)
        if not tokens:
            return None
        via_nr = False
        if tokens[-1][2].lower() in _NUMBER_WORDS:
            via_nr = True
            tokens = tokens[:-1]
            if not tokens:
                return None
        name = self._match_name(tokens)
        if name is None:
            return None

        end = num_end
        floor = _FLOOR_RE.match(text, end)
        if floor is not None:
            end = floor.end()
        postcode = _POSTCODE_RE.match(text, end)
        if postcode is not None and int(postcode.group("pc")) <= _MAX_POSTCODE:
            end = postcode.end()
        else:
            postcode = None
        context = _CONTEXT.find(doc.lower[max(0, name.start - _CONTEXT_WINDOW) : name.start])
        strong = postcode is not None or floor is not None or context is not None

        # Which names are enough on their own, and which need a stronger signal.
        if via_nr and not name.street_like:
            return None
        if name.informal:
            if not name.street_like and not (name.kind == "known" and strong):
                return None
            base = _BASE_INFORMAL_KNOWN if name.kind == "known" else _BASE_INFORMAL_SHAPED
        elif name.kind == "known":
            if name.street_like or name.multiword:
                base = _BASE_KNOWN
            elif strong:
                base = _BASE_KNOWN_WEAK
            else:
                return None
        else:
            base = _BASE_SHAPED

        doubt = 1.0 - base
        notes = [
            "gadenavn fra gadelisten" if name.kind == "known" else "ligner et gadenavn",
            "husnummer",
        ]
        if via_nr:
            doubt *= _DOUBT_NR
            notes.append("'nr.' før husnummeret")
        if floor is not None:
            doubt *= _DOUBT_FLOOR
            notes.append("etage/side")
        if postcode is not None:
            doubt *= _DOUBT_POSTCODE
            notes.append("postnummer og by")
        if context is not None:
            doubt *= _DOUBT_CONTEXT
            notes.append(f"kontekstord '{context}'")
        if name.informal:
            notes.append("skrevet med små bogstaver")
        score = round(min(0.99, max(0.0, 1.0 - doubt)), 3)
        return Detection(
            label="ADDRESS",
            start=name.start,
            end=end,
            score=score,
            detector=self.name,
            explanation=", ".join(notes),
            attributes={
                "street": name.kind,
                "postcode": postcode is not None,
                "floor": floor is not None,
            },
        )

    def _plausible_word_before(self, text: str, pos: int) -> bool:
        """Cheap filter: the word right before the number could end a street name."""
        end = pos
        while end > 0 and text[end - 1] in " \t":
            end -= 1
        if end == pos:
            return False
        start = end
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        word = text[start:end].lstrip(_LEADING_PUNCT).lower()
        if not word or word in _NUMBER_WORDS:
            return bool(word)
        last = street_key(word).rpartition(" ")[2]
        return (
            last in self._last_words
            or last in _STREET_WORDS
            or word.rstrip(".").endswith(_STREET_SUFFIXES)
        )

    def _match_name(self, tokens: list[tuple[int, int, str]]) -> _Name | None:
        """The street name ending right before the number, if any (tokens in text order)."""
        words = [t[2] for t in tokens]
        n = len(words)
        # 1. Known street names, longest first.
        for k in range(min(n, _MAX_NAME_TOKENS), 0, -1):
            cand = words[n - k :]
            first_cap = _is_cap(cand[0]) or cand[0][:1].isdigit()
            if k > 1 and not first_cap and any(_is_cap(w) for w in cand[1:]):
                continue  # "på Vestre Engvej": the lower-case word is not part of the name
            joined = " ".join(cand)
            key = street_key(joined)
            if key in self._keys or (
                len(joined) > _TRUNCATED_LEN
                and street_key(joined[:_TRUNCATED_LEN]) in self._truncated
            ):
                informal = not any(_is_cap(w) for w in cand)
                last = cand[-1].lower()
                street_like = _has_suffix(last) or (k > 1 and last.rstrip(".") in _STREET_WORDS)
                # "Ved Stranden", "På Bakken": real names, but also ordinary phrases.
                multiword = k > 1 and cand[0].lower() not in _CAP_STOPWORDS
                return _Name(tokens[n - k][0], "known", street_like, multiword, informal)

        # 2. Unknown names shaped like streets.
        last = words[-1]
        low = last.lower().rstrip(".")
        if low.replace("é", "e") in _STREET_WORDS:
            # "Søren Kierkegaards Plads", "H.C. Andersens Boulevard": capitalised words first.
            j = n - 1
            while j > 0 and n - j <= 4 and _is_cap(words[j - 1]):
                if words[j - 1].lower() in _CAP_STOPWORDS:
                    break
                j -= 1
            if j == n - 1:
                return None
            return _Name(tokens[j][0], "shaped", True, True, False)
        if _has_suffix(low) and not low[:1].isdigit():
            j = n - 1
            while j > 0 and n - 1 - j < 2 and words[j - 1].lower() in _NAME_PREFIXES:
                if not _is_cap(words[j - 1]) and _is_cap(last):
                    break
                j -= 1
            return _Name(tokens[j][0], "shaped", True, j < n - 1, not _is_cap(last))
        return None


def _preceding_tokens(text: str, pos: int) -> list[tuple[int, int, str]]:
    """Up to six word tokens on the same line right before ``pos`` (text order), separated
    only by spaces; stops at punctuation that ends a phrase."""
    lo = max(0, pos - _PRE_WINDOW)
    spans = [(m.start(), m.end()) for m in _NONSPACE_RE.finditer(text, lo, pos)]
    if spans and spans[0][0] == lo and lo > 0 and not text[lo - 1].isspace():
        spans.pop(0)  # cut by the window
    out: list[tuple[int, int, str]] = []
    expect_end = pos
    for start, end in reversed(spans):
        gap = text[end:expect_end]
        if not gap or "\n" in gap or len(out) > _MAX_NAME_TOKENS:
            break
        tok = text[start:end]
        stop_after = False
        stripped = tok.lstrip(_LEADING_PUNCT)
        if len(stripped) != len(tok):
            start += len(tok) - len(stripped)
            tok = stripped
            stop_after = True
        if not tok or _NAME_TOKEN_RE.fullmatch(tok) is None:
            break
        if tok.endswith(".") and not _is_abbreviation(tok):
            break  # "... i går. Skolegade": a sentence ended here
        out.append((start, end, tok))
        expect_end = start
        if stop_after:
            break
    out.reverse()
    return out
