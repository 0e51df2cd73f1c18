"""Tone: offensive and threatening Danish language, scored per sentence.

Two labels:

``OFFENSIVE``
    A linear model (logistic regression) over binary TF-IDF features, trained by
    ``scripts/train_tone.py`` on the DKhate / OffensEval 2020 Danish training split
    (Sigurbergsson & Derczynski, LREC 2020, CC BY 4.0) and shipped as
    ``data/tone.model.json.gz``. Features (all computed by this module, at training time and
    at run time alike):

    * word block: lower-cased word unigrams and bigrams and emoji;
    * character block: character 2-5-grams of each word padded with spaces (``char_wb``);
    * lexicon block: profanity/insult hits (cleaned LDNOOBW lists plus a curated insult
      list), AFINN-da minimum, negative and positive sums and negative count, a second-person
      word ("du", "din", "jer" ...) near a negative word, "din/dit + insult", "er ... insult",
      exclamation marks and the ratio of capital letters.

    Each of the first two blocks is L2-normalised separately. The decision value is mapped to
    a score with ``1 / (1 + exp(-slope * (z - threshold)))``: the threshold was tuned by
    cross-validation inside the training data, so a score of 0.5 is the tuned decision point
    and the slope is a Platt fit on out-of-fold decisions (docs/TONE.md).

``THREAT``
    Threats of violence, also the ones dressed up as jokes. The corpus has only 11 targeted
    threats (TTH), far too few to trust a classifier alone, so the signal combines a curated
    list of Danish threat constructions (:data:`THREAT_PATTERNS`, "jeg ved hvor du bor",
    "får en på skrinet", "sætter ild til jeres kontor" ...) with weak cues (a violent verb
    aimed at a person: "banke ham") that a small logistic model trained on the TTH labels
    grades (together with the offensive score, weapon emoji and "det er ikke for sjov"-style
    markers). A strong pattern gives at least 0.9; a weak cue gives the model's probability
    when something corroborates it (an offensive sentence, a second cue, a weapon or angry
    emoji, "det er ikke for sjov") and at most :data:`WEAK_CAP` otherwise; without any cue
    there is no THREAT. Idioms are excluded ("slår lige et smut forbi", "slog mig ihjel af
    grin", "dræber lige den deadline").

Spans cover the whole sentence (trimmed of white space): the model judges the sentence, not
single words. Words from the lexicons that matched go in ``attributes["lexicon"]``, never in
the explanation (explanations may be logged). Library code never logs the analysed text.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import operator
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from ..model import Detection
from ..morph import stem
from ..text import Document, Token

__all__ = [
    "ARTEFACT",
    "DENSE_FEATURES",
    "THREAT_FEATURES",
    "THREAT_PATTERNS",
    "THRESHOLD",
    "UNSUPPORTED_MIN",
    "SentenceFeatures",
    "ThreatEvidence",
    "ThreatPattern",
    "ToneDetector",
    "ToneLexicon",
    "ToneModel",
    "char_grams",
    "dense_features",
    "featurize",
    "load_model",
    "norm_token",
    "threat_evidence",
    "threat_features",
]

#: Sentences scoring at least this are reported.
THRESHOLD: Final = 0.5
#: A sentence without a word from the profanity and insult lists needs this much: alone, the
#: model leans on sad words ("savnet", "mangler", "syge") that polite municipal text is full of.
UNSUPPORTED_MIN: Final = 0.85
#: The highest threat score an uncorroborated weak cue can get (below :data:`THRESHOLD`).
WEAK_CAP: Final = 0.4
#: The shipped artefact, relative to this package.
ARTEFACT: Final = "data/tone.model.json.gz"
FORMAT: Final = 1

CHAR_MIN_N: Final = 2
CHAR_MAX_N: Final = 5

#: Names of the lexicon block, in the order of the model's dense coefficients.
DENSE_FEATURES: Final = (
    "profanity",
    "insult",
    "afinn_min",
    "afinn_neg_sum",
    "afinn_pos_sum",
    "afinn_neg_count",
    "you_near_negative",
    "din_insult",
    "er_insult",
    "exclamation",
    "caps_ratio",
)
#: Names of the threat model's features, in order.
THREAT_FEATURES: Final = ("weak_cues", "strong_pattern", "weapon_emoji", "serious", "offensive")

_REPEAT_RE = re.compile(r"(.)\1{2,}")
_DIGIT_RE = re.compile(r"\d")
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b55]")
_WEAPON_EMOJI: Final = frozenset("🔪🔫💣🪓🗡🧨💥⚰")
_ANGER_EMOJI: Final = frozenset("😡🤬👊💢😠")

_SECOND_PERSON: Final = frozenset({"du", "din", "dit", "dine", "dig", "jer", "jeres"})
_POSSESSIVE_2P: Final = frozenset({"din", "dit", "dine", "jeres"})
_COPULA: Final = frozenset({"er", "var", "være", "været"})
#: Inflection endings accepted after a profanity entry ("idiot" → "idioterne").
_SUFFIXES: Final = frozenset(
    {"e", "en", "er", "erne", "et", "ne", "s", "ens", "ers", "ets", "es", "ende", "ede", "t"}
)
#: Curse prefixes that make a compound coarse ("lortekommune", "pissedårlig").
_CURSE_PREFIXES: Final = ("lorte", "pisse", "fisse", "røvhul", "luder", "skide", "møgso")


def norm_token(lower: str) -> str:
    """A lower-cased token with 3+ repeated characters squeezed to two and digits as 0."""
    if len(lower) > 2:
        lower = _REPEAT_RE.sub(r"\1\1", lower)
    return _DIGIT_RE.sub("0", lower)


def char_grams(norm: str) -> frozenset[str]:
    """Character n-grams (2-5) of a word padded with one space on each side."""
    w = f" {norm} "
    size = len(w)
    return frozenset(
        w[i : i + n] for n in range(CHAR_MIN_N, CHAR_MAX_N + 1) for i in range(size - n + 1)
    )


# --- lexicons -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What the lexicons say about one token (cached per token)."""

    norm: str
    afinn: int
    profanity: str | None
    insult: bool
    you: bool
    possessive: bool
    copula: bool


class ToneLexicon:
    """Profanity words and phrases (``insults`` marks those aimed at a person: "idiot",
    "kælling") plus AFINN-da valences, matched per token."""

    def __init__(
        self,
        profanity: Iterable[str],
        afinn: Mapping[str, int],
        insults: Iterable[str] = (),
    ) -> None:
        self.insults = frozenset(insults)
        words: set[str] = set()
        phrases: dict[str, list[tuple[str, ...]]] = {}
        for entry in profanity:
            parts = tuple(entry.split())
            if len(parts) == 1:
                words.add(parts[0])
            elif parts:
                phrases.setdefault(parts[0], []).append(parts[1:])
        self.words = frozenset(words)
        self.phrases = {k: tuple(v) for k, v in phrases.items()}
        self._heads = tuple(sorted(w for w in words if len(w) >= 5 or w == "lort"))
        single: dict[str, int] = {}
        pairs: dict[str, int] = {}
        for word, value in afinn.items():
            if " " in word:
                pairs[word] = value
            else:
                single[word] = value
        self.afinn = single
        self.afinn_pairs = pairs
        self.afinn_pair_first = frozenset(p.split()[0] for p in pairs)
        # Stems of AFINN words, for inflected forms not in the list: the shortest word wins.
        by_stem: dict[str, tuple[int, int]] = {}
        for word, value in sorted(single.items()):
            key = stem(word)
            if key not in by_stem or len(word) < by_stem[key][0]:
                by_stem[key] = (len(word), value)
        self.afinn_stems = {k: v for k, (_, v) in by_stem.items()}
        self._cache: dict[str, TokenInfo] = {}
        self._lock = threading.Lock()

    def profanity_entry(self, norm: str) -> str | None:
        """The profanity entry ``norm`` is a form or compound of, or ``None``."""
        if norm in self.words:
            return norm
        for cut in range(len(norm) - 1, 3, -1):
            base = norm[:cut]
            rest = norm[cut:]
            if base in self.words and (
                rest in _SUFFIXES or (rest[0] == base[-1] and rest[1:] in _SUFFIXES)
            ):
                return base  # "idioterne", "klaphatte"
        if len(norm) >= 7:
            for head in self._heads:
                if len(norm) - len(head) >= 2 and (
                    norm.endswith(head)
                    or any(norm.endswith(head + s) for s in ("en", "er", "et", "erne", "e"))
                ):
                    return head
        for prefix in _CURSE_PREFIXES:
            if norm.startswith(prefix) and len(norm) > len(prefix) + 2:
                return prefix
        return None

    def info(self, lower: str) -> TokenInfo:
        """Lexicon facts for a lower-cased token (cached)."""
        got = self._cache.get(lower)
        if got is not None:
            return got
        norm = norm_token(lower)
        value = self.afinn.get(norm)
        if value is None:
            # inflected forms of longer words only: short words stem too coarsely
            value = self.afinn_stems.get(stem(norm), 0) if len(norm) >= 5 and norm.isalpha() else 0
        entry = self.profanity_entry(norm)
        info = TokenInfo(
            norm,
            value,
            entry,
            entry in self.insults,
            norm in _SECOND_PERSON,
            norm in _POSSESSIVE_2P,
            norm in _COPULA,
        )
        with self._lock:
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[lower] = info
        return info


def dense_features(
    text: str, infos: Sequence[TokenInfo], words: Sequence[str], lexicon: ToneLexicon
) -> tuple[list[float], list[str]]:
    """The lexicon block for one sentence and the profanity entries that matched.

    ``words`` are the tokens as written (for the pronoun "I" and the share of capitals;
    every letter of the text is inside a token)."""
    n = len(infos)
    hits: list[str] = []
    insults = 0
    prof_pos: list[int] = []
    bad_pos: list[int] = []
    vmin = neg_sum = pos_sum = neg_count = 0
    pair_first = lexicon.afinn_pair_first
    phrases = lexicon.phrases
    for i, info in enumerate(infos):
        bad = False
        if info.profanity is not None:
            hits.append(info.profanity)
            insults += info.insult
            prof_pos.append(i)
            bad = True
        value = info.afinn
        if i + 1 < n and info.norm in pair_first:
            value = lexicon.afinn_pairs.get(f"{info.norm} {infos[i + 1].norm}", value)
        if value < 0:
            neg_sum -= value
            neg_count += 1
            vmin = min(vmin, value)
            bad = bad or value <= -2
        elif value > 0:
            pos_sum += value
        rests = phrases.get(info.norm)
        if rests:
            for rest in rests:
                if tuple(t.norm for t in infos[i + 1 : i + 1 + len(rest)]) == rest:
                    phrase = " ".join((info.norm, *rest))
                    hits.append(phrase)
                    insults += phrase in lexicon.insults
                    if not prof_pos or prof_pos[-1] != i:
                        prof_pos.append(i)
                    bad = True
                    break
        if bad:
            bad_pos.append(i)
    you_near = din_insult = er_insult = 0.0
    if bad_pos:
        for i, info in enumerate(infos):
            if info.you or (i > 0 and words[i] == "I"):
                if any(i - 3 <= b <= i + 3 for b in bad_pos):
                    you_near = 1.0
                if info.possessive and any(i < b <= i + 2 for b in bad_pos):
                    din_insult = 1.0
            elif info.copula and any(i < b <= i + 4 for b in prof_pos):
                er_insult = 1.0
    letters = upper = 0
    for w in words:
        letters += len(w) if w.isalpha() else sum(c.isalpha() for c in w)
        if not w.islower():
            upper += sum(c.isupper() for c in w)
    dense = [
        min(len(hits), 3) / 3,
        min(insults, 2) / 2,
        -vmin / 5,
        min(neg_sum, 10) / 10,
        min(pos_sum, 10) / 10,
        min(neg_count, 5) / 5,
        you_near,
        din_insult,
        er_insult,
        min(text.count("!"), 3) / 3,
        upper / letters if letters >= 6 else 0.0,
    ]
    return dense, hits


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """The string features of one text (used by training and by the reference scorer)."""

    words: frozenset[str]
    chars: frozenset[str]
    dense: tuple[float, ...]
    hits: tuple[str, ...]


def _word_features(norms: Sequence[str], text: str) -> set[str]:
    feats = {"=" + t for t in norms}
    feats.update(f"={a} {b}" for a, b in itertools.pairwise(norms))
    feats.update("=" + e for e in _EMOJI_RE.findall(text))
    return feats


def featurize(
    text: str, lexicon: ToneLexicon, tokens: Sequence[Token] | None = None
) -> SentenceFeatures:
    """All features of ``text`` treated as one sentence, as strings."""
    toks = Document(text).tokens if tokens is None else tokens
    infos = [lexicon.info(t.lower) for t in toks]
    norms = [i.norm for i in infos]
    chars: set[str] = set()
    for norm in set(norms):
        chars.update(char_grams(norm))
    dense, hits = dense_features(text, infos, [t.text for t in toks], lexicon)
    return SentenceFeatures(
        frozenset(_word_features(norms, text)), frozenset(chars), tuple(dense), tuple(hits)
    )


# --- threats --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThreatPattern:
    """A curated threat construction: run only when one of its trigger tokens occurs."""

    id: str
    description: str
    triggers: frozenset[str]
    regex: re.Pattern[str]


def _tp(pid: str, description: str, triggers: str, pattern: str) -> ThreatPattern:
    return ThreatPattern(pid, description, frozenset(triggers.split()), re.compile(pattern))


_SWEAR = r"(?:fandme|fanme|fandeme|fandenme|satme|sgu|kraftedeme|kræftedeme|fucking)"
_OBJ = r"(?:dig|jer|ham|hende|dem)"
_IDIOM_AFTER = r"(?!\s+(?:af|med)\s+(?:grin|kedsomhed|kærlighed|kram|latter))"

#: High-precision Danish threat constructions (lower-cased text). A match is strong evidence.
THREAT_PATTERNS: Final[tuple[ThreatPattern, ...]] = (
    _tp(
        "bopael",
        "siger at vide hvor personen bor",
        "bor skole",
        r"\b(?:jeg|vi)\s+(?:\w+\s+){0,2}?ved\s+(?:godt\s+|nok\s+|præcis\s+|skam\s+)?"
        r"(?:hvem\s+(?:du|i|han|hun)\s+er\s+og\s+)?hvor\s+(?:(?:du|i|han|hun|de)\s+bor\b|"
        r"(?:dine|hans|hendes|jeres|deres)\s+(?:børn|unger|søn|datter|kone|mand)\s+"
        r"(?:bor|går\s+i\s+skole)\b)",
    ),
    _tp(
        "slag",
        "trussel om slag",
        "skrinet kassen frakken hovedet tuden snotten kæften hatten låget sinkadusen "
        "lussing flad knytnæve",
        r"\bfår\s+(?:han|hun|du|i|de|den|vedkommende)\s+(?:\w+\s+)?(?:en|én)\s+"
        r"(?:på\s+(?:skrinet|kassen|frakken|hovedet|tuden|snotten|kæften|hatten|låget|"
        r"sinkadusen)|lussing|flad|knytnæve)\b",
    ),
    _tp(
        "taesk",
        "trussel om tæsk",
        "tæsk prygl klø røvfuld lussinger tæv",
        r"(?<!vi\s)(?<!jeg\s)\b(?:får|få|skal\s+have|skulle\s+have|giver|give|vanker\s+der)\s+"
        r"(?:(?!vi\b|jeg\b|os\b|mig\b)\w+\s+){0,2}?(?:tæsk|prygl|klø|røvfuld|lussinger|tæv)\b",
    ),
    _tp(
        "braekke",
        "trussel om at brække noget på en person",
        "brække brækker",
        r"\bbrække[r]?\s+(?:jeg\s+|vi\s+)?(?:lige\s+|" + _SWEAR + r"\s+)?"
        r"(?:dine|hans|hendes|jeres|deres)\s+(?:fingre|arme|ben|næse|nakke|kæbe|ribben|knæ|hals)"
        r"|\bbrække\s+(?:armene|benene|nakken|næsen|fingrene|halsen)\s+på\s+" + _OBJ,
    ),
    _tp(
        "ild",
        "trussel om ildspåsættelse",
        "ild brænde brænder",
        r"\b(?:sætter|sætte|sat)\s+(?:jeg\s+|vi\s+)?(?:\w+\s+)?ild\s+(?:til|på)\s+"
        r"(?:jeres|dit|din|hans|hendes|deres|rådhuset|kontoret|kommunen|institutionen|skolen|"
        r"huset|bilen|jer|dig|ham|hende|dem|lortet)"
        r"|\bbrænde[r]?\s+(?:jeg\s+|vi\s+)?(?:jeres|dit|din|hans|hendes|deres|rådhuset|"
        r"kontoret)\s+(?:\w+\s+)?(?:ned|af)\b",
    ),
    _tp(
        "vindue",
        "trussel om at smide en person ud af vinduet",
        "vinduet ruden",
        r"\bsmide[r]?\b(?:\s+\w+){0,4}?\s+(?:jeg\s+)?(?:dig|jer|ham|hende|dem|personligt)"
        r"(?:\s+\w+){0,2}?\s+ud\s+(?:af|gennem)\s+(?:vinduet|ruden)",
    ),
    _tp(
        "ruder",
        "antyder hærværk mod personens ejendom",
        "ruder vinduer dæk",
        r"\b(?:hans|hendes|jeres|dine|deres|din)\s+(?:ruder|vinduer|dæk)\s+"
        r"(?:er|forbliver|bliver|kan\s+være|vil\s+være)\s+(?:\w+\s+)?hele\b",
    ),
    _tp(
        "faa_at_se",
        "'så skal du få at se'",
        "se",
        r"\bskal\s+(?:du|i|han|hun|de)\s+" + _SWEAR + r"\s+(?:se|få\s+at\s+se)\b",
    ),
    _tp(
        "fortryde",
        "'det kommer du til at fortryde'",
        "fortryde angre bøde",
        r"\bdet\s+(?:skal|kommer)\s+(?:du|i|han|hun|de)\s+(?:(?!ikke\b|aldrig\b)\w+\s+)?"
        r"(?:til\s+at\s+)?(?:fortryde|angre|bøde\s+for)\b",
    ),
    _tp(
        "vold",
        "trussel om vold mod en person",
        "ihjel ned plukfisk blods sønder stykker",
        r"\b(?:slår|slå|dræber|dræbe|myrder|myrde|skyder|skyde|kvæler|kvæle|stikker|stikke|"
        r"knivstikker|knivstikke|tæsker|tæske|banker|banke|sparker|sparke|smadrer|smadre|"
        r"hænger|hænge|tramper|trampe)\s+(?:jeg\s+|vi\s+)?(?:lige\s+|"
        + _SWEAR
        + r"\s+|nok\s+)?"
        + _OBJ
        + r"\s+(?:ihjel|halvt\s+ihjel|til\s+plukfisk|til\s+blods|sønder\s+og\s+sammen|"
        r"i\s+stykker|helt\s+ned|ned\s+med\s+(?:en|et))\b" + _IDIOM_AFTER,
    ),
    _tp(
        "draebe",
        "trussel om at dræbe",
        "dræber dræbe myrder myrde skyder skyde kvæler kvæle knivstikker knivstikke likviderer "
        "likvidere udsletter udslette",
        r"\b(?:jeg|vi)\s+(?:\w+\s+){0,3}?(?:dræber|dræbe|myrder|myrde|skyder|skyde|kvæler|"
        r"kvæle|knivstikker|knivstikke|likviderer|likvidere|udsletter|udslette)\s+"
        + _OBJ
        + r"\b"
        + _IDIOM_AFTER
        + r"(?!\s+(?:lige\s+|hurtigt\s+)?(?:en|et|nogle|afsted|over|videre|ind|op|ud)\b)",
    ),
    _tp(
        "efter_dig",
        "'jeg kommer efter dig'",
        "dig",
        r"\bjeg\s+(?:skal\s+nok\s+|vil\s+|kommer\s+til\s+at\s+)?(?:finder|finde|kommer\s+efter)"
        r"\s+dig\b(?!\s+(?:nok|en|et|noget|lige|gerne|på|i|senere|om|når|hvis|til|kl|klokken|"
        r"ved|efter|og\s+henter|med\s+bilen|\d))",
    ),
    _tp(
        "doed",
        "'du er død'",
        "død",
        r"\b(?:du|i|han|hun)\s+er\s+(?:" + _SWEAR + r"\s+)+død\b|\ber\s+en\s+død\s+mand\b",
    ),
    _tp(
        "opfordring",
        "opfordring til vold",
        "skyd hæng brænd afliv dræb gas knivstik tæsk smadr lynch",
        r"(?:^|[#!.?:]\s*|\bså\s+)(?:skyd|hæng|brænd|afliv|dræb|gas|knivstik|tæsk|smadr|lynch)"
        r"\s+(?:dem|ham|hende|heksen|svinet|svinene|dig|jer|de\s+\w+|den\s+\w+)\b"
        r"(?!\s+(?:lige\s+)?(?:en|et|nogle|op|ud|til|af|på|med|videre|over)\b)",
    ),
    _tp(
        "kugle",
        "trussel med skud",
        "kugle skud",
        r"\b(?:en\s+kugle|et\s+skud)\s+(?:for\s+panden|i\s+(?:hovedet|nakken|knæet|knæene|"
        r"hjertet|røven))",
    ),
    _tp(
        "bombe",
        "trussel med bombe",
        "bombe bomber sprængstof sprænge sprænger",
        r"\b(?:bombe|bomber|sprængstof)\s+(?:under|på|i|mod)\s+(?:rådhuset|kontoret|jeres|"
        r"kommunen|skolen|institutionen|hans|hendes|borgerservice|jobcentret)"
        r"|\bsprænge[r]?\s+(?:jeg\s+|vi\s+)?(?:rådhuset|kontoret|skolen|jobcentret|jer|dem|ham|"
        r"hende|dig)\s+i\s+luften",
    ),
)

#: Violent verbs: aimed at a person ("banke ham") they are a weak cue.
_VIOLENT: Final = frozenset(
    """slå slår banke banker tæske tæsker sparke sparker stikke stikker skyde skyder kvæle
    kvæler hænge hænger smadre smadrer knuse knuser udslette udsletter brænde brænder dræbe
    dræber myrde myrder tramp trampe tramper afliv aflive gas gasse skyd hæng brænd dræb
    knivstik knivstikke knivstikker voldtage voldtager mishandle mishandler lemlæste kvæste
    brække brækker nakke nakker likvidere likviderer bind binde binder""".split()
)
_PERSON_OBJ: Final = frozenset({"dig", "jer", "ham", "hende", "dem"})
_SELF_OBJ: Final = frozenset({"mig", "os", "sig", "tiden", "et", "en", "det"})
#: Before a violent verb, one of these makes it the author's intention ("jeg banker ham",
#: "vi skal nok ...") rather than a report ("hans far slår ham").
_INTENT: Final = frozenset(
    {"jeg", "vi", "skal", "vil", "ville", "kommer", "gider", "lad", "og", "så", "må", "kan"}
)
#: After "verb + person", these make it an idiom ("slå ham op", "slog mig ihjel af grin").
_IDIOM_CONT: Final = ("op", "af grin", "i skak", "af kedsomhed", "med kærlighed", "til tiden")
_WEAK_PHRASES: Final = (
    _tp(
        "besoeg",
        "'aflægge ham et lille besøg'",
        "besøg",
        r"\baflægge\s+(?:ham|hende|dig|jer|dem)\s+et\s+lille\s+besøg",
    ),
    _tp(
        "pas_paa",
        "'pas godt på dig selv'",
        "pas",
        r"\bpas\s+(?:godt\s+|bare\s+|lige\s+)?på\s+(?:dig\s+selv|jer\s+selv|din\s+familie|"
        r"dine\s+børn|ryggen)",
    ),
    _tp(
        "betale",
        "'det skal du betale for'",
        "betale",
        r"\bdet\s+skal\s+(?:du|i|han|hun)\s+betale\s+for\b",
    ),
    _tp(
        "faa_at_se_svag",
        "'så skal du få at se'",
        "se",
        r"\bså\s+skal\s+(?:du|i|han|hun|de)\s+(?:\w+\s+)?få\s+at\s+se\b",
    ),
    _tp("doed_svag", "'du er død'", "død", r"\b(?:du|i)\s+er\s+død\b"),
)
#: Pattern id → Danish description (for explanations; never the matched text).
_DESCRIPTIONS: Final = {
    **{p.id: p.description for p in (*THREAT_PATTERNS, *_WEAK_PHRASES)},
    "voldsord": "voldsord rettet mod en person",
}
_SERIOUS_RE = re.compile(
    r"\b(?:det\s+er\s+ikke\s+for\s+sjov|jeg\s+mener\s+det|det\s+lover\s+jeg|"
    r"bare\s+så\s+(?:i|du)\s+ved\s+det|bare\s+sig'?n|(?:du|i)\s+er\s+advaret|sidste\s+advarsel|"
    r"du\s+skal\s+ikke\s+tro\s+at\s+jeg\s+laver\s+sjov)"
)


@dataclass(frozen=True, slots=True)
class ThreatEvidence:
    strong: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    cue_words: tuple[str, ...] = ()
    weapon: bool = False
    serious: bool = False
    angry: bool = False

    @property
    def found(self) -> bool:
        return bool(self.strong or self.weak)

    def corroborated(self, offensive: float) -> bool:
        """Whether a weak cue has support: offensive tone, a second cue, a weapon or angry
        emoji, or a marker such as "og det er ikke for sjov"."""
        return (
            offensive >= THRESHOLD
            or len(self.weak) > 1
            or self.weapon
            or self.angry
            or self.serious
        )


_NO_THREAT: Final = ThreatEvidence()


def threat_evidence(low: str, norms: Sequence[str], following: str = "") -> ThreatEvidence:
    """Threat cues in one lower-cased sentence (``following`` is the next sentence, where a
    marker such as "Og det er ikke for sjov." often stands)."""
    present = set(norms)
    emoji = set(_EMOJI_RE.findall(low)) if _EMOJI_RE.search(low) else set()
    weapon = not _WEAPON_EMOJI.isdisjoint(emoji)
    strong = [
        p.id for p in THREAT_PATTERNS if not p.triggers.isdisjoint(present) and p.regex.search(low)
    ]
    weak = [
        p.id for p in _WEAK_PHRASES if not p.triggers.isdisjoint(present) and p.regex.search(low)
    ]
    cue_words: list[str] = []
    if not _VIOLENT.isdisjoint(present):
        n = len(norms)
        for i, tok in enumerate(norms):
            if tok not in _VIOLENT:
                continue
            if i > 0 and _INTENT.isdisjoint(norms[max(0, i - 3) : i]):
                continue  # neither imperative nor the author's intention
            for j in range(i + 1, min(n, i + 4)):
                nxt = norms[j]
                if nxt in _SELF_OBJ:
                    break
                if nxt in _PERSON_OBJ:
                    after = " ".join(norms[j + 1 : j + 3])
                    if not (after + " ").startswith(tuple(c + " " for c in _IDIOM_CONT)):
                        weak.append("voldsord")
                        cue_words.append(tok)
                    break
    if not strong and not weak:
        return _NO_THREAT if not weapon else ThreatEvidence(weapon=True)
    serious = bool(_SERIOUS_RE.search(low) or (following and _SERIOUS_RE.search(following)))
    angry = not _ANGER_EMOJI.isdisjoint(emoji)
    return ThreatEvidence(tuple(strong), tuple(weak), tuple(cue_words), weapon, serious, angry)


def threat_features(ev: ThreatEvidence, offensive: float) -> list[float]:
    """The threat model's inputs (:data:`THREAT_FEATURES`); ``offensive`` is a probability."""
    return [
        min(len(ev.weak), 2) / 2,
        1.0 if ev.strong else 0.0,
        1.0 if ev.weapon else 0.0,
        1.0 if ev.serious else 0.0,
        offensive,
    ]


# --- the model ------------------------------------------------------------------------------


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _smooth_idf(df: int, n: int) -> float:
    # scikit-learn's TfidfTransformer(smooth_idf=True)
    return math.log((1 + n) / (1 + df)) + 1.0


class _Block:
    """A binary TF-IDF block: per feature ``u = idf * coef`` and ``v = idf ** 2``."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        names: list[str] = data["features"]
        n = int(data["n_docs"])
        idf = [_smooth_idf(int(df), n) for df in data["df"]]
        coef = [float(c) for c in data["coef"]]
        self.index: dict[str, int] = {f: i for i, f in enumerate(names)}
        self.u = [i * c for i, c in zip(idf, coef, strict=True)]
        self.v = [i * i for i in idf]

    def score(self, ids: set[int]) -> float:
        if not ids:
            return 0.0
        norm = math.sqrt(sum(map(self.v.__getitem__, ids)))
        return sum(map(self.u.__getitem__, ids)) / norm


@dataclass(frozen=True, slots=True)
class _Tok:
    info: TokenInfo
    word: int
    chars: frozenset[int]


@dataclass(frozen=True, slots=True)
class Scored:
    """The offensive score of one sentence."""

    probability: float
    decision: float
    hits: tuple[str, ...]
    norms: tuple[str, ...]


class ToneModel:
    """The shipped model: lexicons, the two TF-IDF blocks, the lexicon block and calibration."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ValueError("unsupported tone model format")
        lex = data["lexicon"]
        self.lexicon = ToneLexicon(lex["profanity"], lex["afinn"], lex["insults"])
        self.words = _Block(data["word"])
        self.chars = _Block(data["char"])
        self.dense_coef: list[float] = [float(c) for c in data["dense"]["coef"]]
        if tuple(data["dense"]["features"]) != DENSE_FEATURES:
            raise ValueError("tone model lexicon features do not match the code")
        self.intercept = float(data["intercept"])
        self.threshold = float(data["threshold"])
        self.slope = float(data["slope"])
        threat = data["threat"]
        if tuple(threat["features"]) != THREAT_FEATURES:
            raise ValueError("tone model threat features do not match the code")
        self.threat_coef: list[float] = [float(c) for c in threat["coef"]]
        self.threat_intercept = float(threat["intercept"])
        self.meta: dict[str, Any] = dict(data.get("meta", {}))
        self._cache: dict[str, _Tok] = {}
        self._lock = threading.Lock()

    # features ---------------------------------------------------------------------------

    def _tok(self, lower: str) -> _Tok:
        got = self._cache.get(lower)
        if got is not None:
            return got
        info = self.lexicon.info(lower)
        index = self.chars.index
        chars = frozenset(index[g] for g in char_grams(info.norm) if g in index)
        tok = _Tok(info, self.words.index.get("=" + info.norm, -1), chars)
        with self._lock:
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[lower] = tok
        return tok

    def decision(self, text: str, tokens: Sequence[Token]) -> tuple[float, list[str], list[str]]:
        """The linear decision value of one sentence, its profanity hits and its tokens."""
        cache = self._cache
        toks = [cache.get(t.lower) or self._tok(t.lower) for t in tokens]
        infos = [t.info for t in toks]
        norms = [i.norm for i in infos]
        word_ids: set[int] = {t.word for t in toks}
        windex = self.words.index
        word_ids.update(windex.get(f"={a} {b}", -1) for a, b in itertools.pairwise(norms))
        if _EMOJI_RE.search(text):
            word_ids.update(windex.get("=" + e, -1) for e in _EMOJI_RE.findall(text))
        word_ids.discard(-1)
        char_ids: set[int] = set().union(*(t.chars for t in toks))
        dense, hits = dense_features(text, infos, [t.text for t in tokens], self.lexicon)
        z = self.intercept + self.words.score(word_ids) + self.chars.score(char_ids)
        z += sum(map(operator.mul, self.dense_coef, dense))
        return z, hits, norms

    def probability(self, z: float) -> float:
        return _sigmoid(self.slope * (z - self.threshold))

    def score(self, text: str, tokens: Sequence[Token] | None = None) -> Scored:
        """Score ``text`` as one sentence (its tokens from :class:`Document` if not given)."""
        toks = Document(text).tokens if tokens is None else tokens
        z, hits, norms = self.decision(text, toks)
        return Scored(self.probability(z), z, tuple(hits), tuple(norms))

    def threat_probability(self, ev: ThreatEvidence, offensive: float) -> float:
        """The threat score: at least 0.9 for a strong pattern; for weak cues the threat
        model's probability, capped below the threshold unless the cue is corroborated
        (:meth:`ThreatEvidence.corroborated`); 0 without any cue."""
        if not ev.found:
            return 0.0
        x = threat_features(ev, offensive)
        z = self.threat_intercept + sum(c * v for c, v in zip(self.threat_coef, x, strict=True))
        q = _sigmoid(z)
        if ev.strong:
            bonus = 0.05 if (ev.serious or ev.weapon or offensive >= THRESHOLD) else 0.0
            return max(q, 0.9 + bonus)
        if ev.corroborated(offensive):
            return q
        return min(q, WEAK_CAP)


_model: ToneModel | None = None
_model_lock = threading.Lock()


def load_model() -> ToneModel:
    """The shipped model, loaded once."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                raw = resources.files(__package__).joinpath(ARTEFACT).read_bytes()
                _model = ToneModel(json.loads(gzip.decompress(raw).decode("utf-8")))
    return _model


def _fmt(p: float) -> str:
    return f"{p:.2f}".replace(".", ",")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_Found = tuple[str, float, str, dict[str, Any]]


class ToneDetector:
    """Offensive and threatening language, one detection per sentence and label."""

    name = "tone"
    labels = frozenset({"OFFENSIVE", "THREAT"})

    def __init__(self) -> None:
        self._model: ToneModel | None = None

    @property
    def model(self) -> ToneModel:
        if self._model is None:
            self._model = load_model()
        return self._model

    def detect(self, doc: Document) -> list[Detection]:
        model = self.model
        text = doc.text
        low = doc.lower
        tokens = doc.tokens
        sentences = doc.sentences
        out: list[Detection] = []
        # a rewrite is checked again and keeps most sentences: the model scores each sentence
        # once per check (the memo lives as long as the check, never across posts)
        memo: dict[str, tuple[float, list[str], list[str]]] = doc.memo.setdefault("tone", {})
        k = 0
        ntok = len(tokens)
        for si, (s_start, s_end) in enumerate(sentences):
            while k < ntok and tokens[k].start < s_start:
                k += 1
            first = k
            while k < ntok and tokens[k].start < s_end:
                k += 1
            sent_tokens = tokens[first:k]
            if not sent_tokens:
                continue
            start, end = _trim(text, s_start, s_end)
            sentence = text[start:end]
            if si + 1 < len(sentences):
                n_start, n_end = sentences[si + 1]
                following = low[n_start:n_end]
            else:
                following = ""
            decided = memo.get(sentence)
            if decided is None:
                decided = memo[sentence] = model.decision(sentence, sent_tokens)
            found = self._sentence(model, decided, low[start:end], following)
            out.extend(
                Detection(label, start, end, score, self.name, expl, dict(attrs))
                for label, score, expl, attrs in found
            )
        return out

    @staticmethod
    def _sentence(
        model: ToneModel,
        decided: tuple[float, list[str], list[str]],
        low: str,
        following: str,
    ) -> list[_Found]:
        """The OFFENSIVE and THREAT findings of one sentence: (label, score, why, attrs),
        from the model's decision on it and the threat cues in it and the next sentence."""
        found: list[_Found] = []
        z, hits, norms = decided
        p = model.probability(z)
        if p >= (THRESHOLD if hits else UNSUPPORTED_MIN):
            expl = f"sproglig model: {_fmt(p)}"
            if hits:
                expl += f"; {len(hits)} skældsord/bandeord fra ordlisten"
            found.append(("OFFENSIVE", p, expl, {"model_score": p, "lexicon": list(hits)}))
        ev = threat_evidence(low, norms, following)
        if not ev.found:
            return found
        pt = model.threat_probability(ev, p)
        if pt < THRESHOLD:
            return found
        kinds = dict.fromkeys(_DESCRIPTIONS[i] for i in (ev.strong or ev.weak))
        expl = f"trussel: {'; '.join(kinds)}; sproglig model: {_fmt(p)}"
        if ev.serious:
            expl += "; understreget som alvor"
        attrs = {
            "model_score": p,
            "threat_patterns": list(ev.strong + ev.weak),
            "lexicon": list(ev.cue_words),
        }
        found.append(("THREAT", pt, expl, attrs))
        return found
