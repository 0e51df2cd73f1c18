"""Person names from name lists plus context.

Evidence comes from Danmarks Statistik's name statistics (first names and surnames with the
number of bearers, shipped as ``data/firstnames.tsv.gz`` and ``data/surnames.tsv.gz``, plus
``data/extra_firstnames.txt``), a maintained list of public figures
(``data/public_figures.txt``) and the words around a capitalised token.

The detector works in steps:

* :meth:`NameDetector.candidates` finds spans that look like names and records the evidence
  for them (:class:`NameCandidate`);
* :meth:`NameDetector.score` turns a candidate's evidence into a score in ``[0, 1]``;
  :func:`combine_scores` mixes that rule score with the statistical tagger's probability
  that the span is a person (:mod:`.ner`, trained on DaN+ news; see ``docs/NER.md``);
* the tagger also extends a candidate it reads as a longer name ("Bill Clinton") and
  proposes names the lists do not know ("Oluwaseun Adebayo") when it is confident, the
  words are capitalised and well-formed, no blocker applies (places, brands, common words,
  links and handles), and the evidence is more than a capital letter at the start of a
  sentence. The tagger runs once per document, and only when there is a candidate or a
  capitalised word inside a sentence.

:meth:`NameDetector.detect` keeps candidates scoring at least :data:`THRESHOLD`.

What counts as evidence:

* a capitalised token that is a known first name; in the middle of a sentence that is
  already good evidence (Danish does not capitalise common nouns), scored by how many people
  bear the name;
* at the start of a sentence (or after an emoji, a colon, a dash or a line break) a
  capitalised word may be any word, so a name there needs more: a following surname, a
  greeting before it ("Hej Jesper"), a signature ("Mvh Tina"), an age ("Zeynep (4 år)"),
  an institution ("fra stuen", "på stue 12"), a relation ("min søn Ali"), a possessive
  before a kinship word ("Viggos mor"), or a frequent name that is not also a common word;
* first names that are also common words ("Bent", "Mark", "Sol", "Lærke", "Hans") need
  such context (see :data:`AMBIGUOUS_ALWAYS` and :data:`AMBIGUOUS_INITIAL`);
* surnames alone only after a title or "familien" ("fru Jensen", "familien Petersen"), or
  when the same text used them with a first name before;
* a single capital letter with a period only with context ("M. på 4 år");
* lower-case names only in two safe cases ("min søn ali", "ida jensen");
* a name is marked ``public`` (a public figure in a public role) when it is on the lists of
  public figures, follows a title of public office ("borgmester", "udvalgsformand", "MF",
  "formand for Sundheds- og Ældreudvalget", "medlem af byrådet", "direktør for
  Børne- og Kulturforvaltningen") or has one as an appositive ("Malou Brix, formand for
  …,"), or a party letter follows it ("Jens Hald (V)"); chairs of associations, clubs and
  workplace committees ("formand for grundejerforeningen", "MED-udvalget") are no office;
* names of places and businesses are excluded: a name followed by a place word ("Søren
  Kierkegaards Plads", "Tornby Skole"), a possessive followed by a capitalised noun
  ("Jensens Bøfhus") or a name after "Skt."/"Sankt".

Library code never logs or prints the analysed text.
"""

from __future__ import annotations

import bisect
import gzip
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Final, Literal

from ..model import Detection
from ..text import Document, Token
from .base import resolve_overlaps

if TYPE_CHECKING:
    from .ner import PersonTagger, Tagging

__all__ = [
    "AMBIGUOUS_ALWAYS",
    "AMBIGUOUS_INITIAL",
    "MODEL_PROPOSE",
    "MODEL_PROPOSE_INITIAL",
    "MODEL_RESCUE",
    "NEVER_FIRST",
    "THRESHOLD",
    "NameCandidate",
    "NameDetector",
    "NameLexicon",
    "PublicName",
    "combine_scores",
    "load_lexicon",
]

Kind = Literal["first", "full", "surname", "initial"]

#: Candidates scoring below this are not reported.
THRESHOLD: Final = 0.5

_DATA = "data"
_DEFAULT_EXTRA_COUNT = 200


def _words(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps the long word lists below compact)."""
    return frozenset(text.split())


# --- word lists -------------------------------------------------------------------------

#: Words that are never read as a first name on their own, although a few people bear them:
#: function words, everyday words, English words and place names whose name reading is rare.
NEVER_FIRST: Final = _words(
    """
    ah al an at bi da de di din dine do du ej el en et fe fra for ha han hej hu hun
    i in ja jeg kan ko kun la le li lo lu ly man med men mi min mine ni nu ny og om
    ri ro sin si so som su ta te ti til to ty ved vi vy

    alias alle baby bane bang bit chance dam dat done emne engel fan fin find fine gal
    gang gift glad god godt hal hang huse ide job junior kirke kort lady lang lap lille
    live love lys made mange master media mentor miss nat nord otte par rand rise rod
    rem safari seng sikke sikker sang slim son star stakkels sti syd tak tale tiger
    ting true varm ville øst vest mors thy ry human march kære

    the of and you my no on is it be we me he she his her with or not one up us

    kingston valencia sahara texas paris dallas phoenix alexandria herlev israel kenya
    manila iran vegas austin lima sydney adelaide havana orlando doha haifa santiago
    georgia india roma lama america amerika

    kong dronning prins prinsesse kronprins kronprinsesse sir lord
    """
)

#: Function words that also end a name chain ("Hej Mette Kan du ...").
_FUNCTION_WORDS: Final = _words(
    """
    af al alle at da de den dem der det din dine du efter eller en er et for fra fordi
    han har hun hvad hvem hvis hvor hvordan i ikke ja jeg jer kan man med men mig min
    mine mit nej nu og om os på sig sin som så til ud ved vi vil var
    """
)

#: First names that are also words often capitalised mid-sentence (English words, months,
#: holidays, brands, place-name elements, religion): a name only with context.
AMBIGUOUS_ALWAYS: Final = _words(
    """
    will may grace joy hope amber ivy summer dawn sky rain lucky happy angel
    king prince duke major chase hunter price young rich brown green white black gray
    grey bill sue pat don guy honey sunny cherry ginger crystal diamond ruby pearl
    violet daisy lily poppy misty candy sugar holly faith rock buck penny mercedes
    april juni juli maj jul påske sommer vinter sol

    netto meny irma rema bilka føtex lidl aldi kvickly spar coop salling magasin matas
    normal jysk ikea zalando postnord legoland tivoli lalandia netflix aula lectio
    nexus tiktok snap insta facebook google apple tesla volvo audi toyota lego arla
    carlsberg tuborg nordea viaplay disney

    jesus gud allah kristus buddha moses julemanden nissen

    sø skov have lund holm bro havn dal enge vang bakke høj mølle eg ørn ulv elle kat
    falk ravn rosen lyng lind

    danish virginia medina abu tahir thai islam rio edit costa
    """
)

#: First names that are also common Danish words, ambiguous at the start of a sentence
#: ("Hans mor ...", "Tom for kaffe", "Liv er ..."); mid-sentence capitalised they are names.
AMBIGUOUS_INITIAL: Final = _words(
    """
    hans per helle line signe trine lise frank bo karl lærke dan tom rune bjørn mille
    stig tage august ane rosa liv ebbe malte ester sten sine vita tilde silke gry peer
    bitten sander anker aske storm maren viola merle marina iris nynne rose tue søs
    alf kristen erika kamille alba åse kit andre birk vibe kris roman jarl ask puk siv
    tone pil nor gro mynte lilje bøje tara bror trille sejr mejse saga lotus vilde
    tora nette bue regner sus dag falke aura skjold rumle bille asser tune fred gul
    ege lilla jo lykke flora balder kaj mads jan sidse karma zen bent mark kim thi
    """
)

#: Greetings and salutations before a name ("Hej Jesper", "Kære Birgit").
_GREETINGS: Final = _words(
    """
    hej hejsa hey hi hallo halløj kære kæreste dear godmorgen goddag godaften
    tillykke velkommen farvel tak
    """
)
#: Sign-offs before a name ("Mvh Jesper Holm", "Hilsen Marianne").
_SIGNOFFS: Final = _words("mvh hilsen hilsner kh vh knus kram bh mh venlig")
#: Words for a person right before a name ("min søn Ali", "sagsbehandler Pia").
_RELATIONS: Final = _words(
    """
    søn sønnen datter datteren dreng drengen pige pigen barn barnet børnene bror broren
    søster søsteren lillebror lillesøster storebror storesøster mor moren far faren
    mormor morfar farmor farfar bedstemor bedstefar oldemor oldefar onkel tante fætter
    kusine nevø niece mand manden kone konen hustru kæreste veninde ven vennen kollega
    kollegaen kollegaer kollegerne nabo naboen naboens chef chefen leder lederen
    sagsbehandler sagsbehandleren pædagog pædagogen lærer læreren lærerinde elev eleven
    eleverne klassekammerat klassekammeraten barnebarn barnebarnet borger borgeren
    beboer beboeren patient patienten klient klienten kvinden fyren lille
    stakkels søde kære ham hende hedder hed kaldet kalder navn ifølge spørg spurgte
    """
)
#: Relation words after which a lower-case frequent first name is a name ("min søn ali").
_CLOSE_RELATIONS: Final = _words(
    """
    søn sønnen datter datteren bror søster lillebror lillesøster storebror storesøster
    kollega kollegaen nabo naboen veninde kæreste mand kone hustru barnebarn
    sagsbehandler sagsbehandleren pædagog pædagogen lærer læreren hedder
    """
)
#: Kinship and ownership words after a possessive name ("Viggos mor", "Jonas' iPad").
_KIN_AFTER: Final = _words(
    """
    mor far forældre bror søster datter søn mand kone kæreste barn børn familie
    mormor morfar farmor farfar bedstemor bedstefar lillebror lillesøster storebror
    storesøster klasse klassekammerat ven veninde venner hus lejlighed sag mobil
    telefon taske jakke cykel madpakke fødselsdag
    """
)
#: Titles before a bare surname ("fru Jensen", "familien Petersen").
_SURNAME_TITLES: Final = _words(
    """
    fru hr herr frk frøken familien familie fam dr doktor læge lægen pastor præst
    sognepræst provst biskop direktør direktøren professor overlæge mr mrs ms
    """
)
#: Titles of public office before a name ("borgmester Søren Smalbro"); words ending in
#: "minister" count too.
_PUBLIC_TITLES: Final = _words(
    """
    borgmester borgmesteren viceborgmester overborgmester rådmand rådmanden
    byrådsmedlem folketingsmedlem regionsrådsformand partiformand partileder
    kong kongen dronning dronningen prins prinsesse kronprins kronprinsesse
    """
)
#: More one-word titles of public office in local and national politics, and of senior
#: officials who speak in their role ("udvalgsformand Peter Holm", "kommunaldirektør ...").
#: Kept apart from :data:`_PUBLIC_TITLES` because that set is a feature of the trained
#: tagger (:mod:`.ner`): changing it changes the model's input and needs a retraining.
#: "MF" (medlem af Folketinget) counts only in capitals (:data:`_OFFICE_TITLES_CASED`).
_OFFICE_TITLES: Final = _words(
    """
    udvalgsformand udvalgsformanden byrådsmedlemmet kommunalbestyrelsesmedlem
    kommunalbestyrelsesmedlemmet regionsrådsmedlem regionsrådsmedlemmet
    folketingsmedlemmet regionsrådsformanden partiformanden partilederen
    gruppeformand gruppeformanden spidskandidat spidskandidaten borgmesterkandidat
    borgmesterkandidaten byrådskandidat byrådskandidaten folketingskandidat
    folketingskandidaten regionsrådskandidat regionsrådskandidaten
    kommunalbestyrelseskandidat kommunalbestyrelseskandidaten byrådspolitiker
    byrådspolitikeren folketingspolitiker folketingspolitikeren lokalpolitiker
    lokalpolitikeren europaparlamentariker europaparlamentarikeren
    folketingsformand folketingsformanden kommunaldirektør kommunaldirektøren
    stadsdirektør stadsdirektøren regionsdirektør regionsdirektøren politimester
    politimesteren politidirektør politidirektøren rigspolitichef rigspolitichefen
    """
)
_OFFICE_TITLES_CASED: Final = frozenset({"MF"})
#: The royal words of :data:`_PUBLIC_TITLES`: not offices in the patterns below.
_ROYAL_FORMS: Final = _words(
    "kong kongen dronning dronningen prins prinsesse kronprins kronprinsesse"
)
_MINISTER: Final = ("minister", "ministeren")


def _office_word(lower: str, text: str) -> bool:
    """A one-word title of public office ("borgmester", "udvalgsformand", "MF", "…minister")."""
    return (
        lower in _PUBLIC_TITLES
        or lower in _OFFICE_TITLES
        or lower.endswith(_MINISTER)
        or text in _OFFICE_TITLES_CASED
    )


# Multi-word titles of public office, before a name ("formand for Sundheds- og
# Ældreudvalget Malou Brix", "medlem af byrådet Anna Krogh", "direktør for Børne- og
# Kulturforvaltningen ...") or as an appositive after one ("Malou Brix, formand for ...,").
# A chair counts only of a political body: a committee ("…udvalget", not a club's
# "festudvalget" or a workplace's "MED-udvalget"), the council, the Folketing or a party.
_PRIVATE_COMMITTEE = (
    r"(?!(?:fest|jule|sommerfest|aktivitet|arrangement|forældre|elev|kantine|personale"
    r"|samarbejd|med|hovedmed|lokalmed|arbejdsmiljø|bruger|pårørende|beboer|bestyrelse"
    r"|sport|turnering|spise|rejse|bal|event|messe|udstilling|indsamling|fag)s?(?:-|udvalg))"
)
_COMMITTEE_STEM = (
    r"(?:(?:folketingets|byrådets|regionsrådets|kommunalbestyrelsens|borgerrepræsentationens)"
    rf"\s+)?(?:(?:{_PRIVATE_COMMITTEE}\w+-,?\s+)+(?:og|&)\s+)?"
    # "…udvalget", or an adjective and "udvalg": "teknisk udvalg", "Økonomisk Udvalg"
    rf"(?:{_PRIVATE_COMMITTEE}\w+udvalg|\w+isk\s+udvalg)"
)
_COUNCILS = (
    r"(?:byrådet|kommunalbestyrelsen|regionsrådet|folketinget|borgerrepræsentationen"
    r"|europa-?parlamentet)"
)
_PARTIES = (
    r"(?:socialdemokratiet|socialdemokraterne|venstre|det\s+konservative\s+folkeparti"
    r"|de\s+konservative|konservative|socialistisk\s+folkeparti|enhedslisten"
    r"|det\s+radikale\s+venstre|radikale\s+venstre|de\s+radikale|dansk\s+folkeparti"
    r"|liberal\s+alliance|moderaterne|danmarksdemokraterne|alternativet|nye\s+borgerlige"
    r"|borgernes\s+parti|kristendemokraterne|slesvigsk\s+parti)"
)
#: "Sundheds- og Ældreudvalget", "byrådet i Hjørring", "Venstre": after "formand for".
_BODY = (
    rf"(?:{_COMMITTEE_STEM}(?:et)?|(?:{_COUNCILS}|byråd|regionsråd)(?:\s+i\s+\w+(?:\s+kommune)?)?"
    rf"|(?:{_PARTIES}|sf)(?:\s+i\s+\w+)?)"
)
#: The genitive, before "formand": "Ældreudvalgets formand", "Venstres formand".
_BODY_GENITIVE = rf"(?:{_COMMITTEE_STEM}(?:et)?s|{_COUNCILS}s|{_PARTIES}s|sf[’']?s)"
_CHAIR = r"(?:næst|vice)?formand(?:en)?"
_OFFICE_ALT = (
    "(?:"
    + "|".join(
        re.escape(w)
        for w in sorted(
            (_PUBLIC_TITLES | _OFFICE_TITLES) - _ROYAL_FORMS, key=lambda w: (-len(w), w)
        )
    )
    + r"|\w*minister(?:en)?|(?-i:MF))"
)
_OFFICE_PHRASE = (
    rf"(?:{_CHAIR}\s+(?:for|i)\s+"
    + _BODY
    + r"|medlem(?:met)?\s+(?:af|i|for)\s+"
    + _BODY
    + r"|direktør(?:en)?\s+for\s+(?:(?:\w+-,?\s+)+(?:og|&)\s+)?\w+forvaltning(?:en)?"
    + rf"|{_BODY_GENITIVE}\s+{_CHAIR}"
    + r"|"
    + _OFFICE_ALT
    + r"(?:\s+(?:for|i)\s+"
    + _BODY
    + r")?)(?!\w)"
)
#: Matched from the start of a title word up to the name (``endpos`` is the name's start).
_OFFICE_BEFORE = re.compile(_OFFICE_PHRASE + r"\s*,?\s*$", re.IGNORECASE)
#: "formand" right before a name, after a political body in the genitive ("Sundheds- og
#: Ældreudvalgets formand Malou Brix", "Venstres formand ..."): searched before the title.
_CHAIR_BEFORE = re.compile(_CHAIR + r"\s*,?\s*$", re.IGNORECASE)
_GENITIVE_BEFORE = re.compile(r"(?<![\w-])" + _BODY_GENITIVE + r"\s+$", re.IGNORECASE)
#: After a name: ", formand for …", "(S), byrådsmedlem"; not ", borgmester Søren Smalbro"
#: (a title of the next name in a list). Not tried after a relation word ("min nabo Peter
#: Holm, byrådsmedlem, er syg": a private relation is talked about).
_OFFICE_AFTER = re.compile(
    r"\s*(?:\([^()\n]{1,12}\)\s*)?,\s+(?:og\s+)?(?:(?:nu|ny|nyvalgt|nyvalgte)\s+)?"
    + _OFFICE_PHRASE
    + r"(?!\s+(?-i:[A-ZÆØÅ]))",
    re.IGNORECASE,
)
#: Stems one of which occurs in the first word of every office phrase (or "MF" in
#: capitals). The patterns above are tried only from a word holding one of them: most
#: posts name no office, and the detector runs on every post.
_OFFICE_STEMS: Final = (
    "formand",
    "medlem",
    "direktør",
    "kandidat",
    "borgmester",
    "rådmand",
    "minister",
    "partileder",
    "politiker",
    "politimester",
    "politichef",
    "parlamentarik",
)
_OFFICE_GATE = re.compile("|".join(_OFFICE_STEMS))  # on the lower-cased text
_MF = re.compile(r"\bMF\b")
#: How far before a name a title may start, and after a name an appositive title word.
_OFFICE_WINDOW = 110
_OFFICE_APPOSITIVE = 70

#: Royal titles that may head a line of ``public_figures.txt``.
_ROYAL_TITLES: Final = _words("kong dronning kronprins kronprinsesse prins prinsesse")
#: Words after a name that make it a place or an institution ("Tornby Skole").
_PLACE_WORDS: Final = _words(
    """
    skole skolen plads pladsen gade gaden vej vejen allé alle boulevard stræde torv
    torvet vænge park parken have haven bibliotek biblioteket kirke kirken hospital
    hospitalet sygehus sygehuset sø søen skoven strand stranden bøfhus hal hallen
    center centret centeret museum museet teater teatret hotel kro kroen café bageri
    salon klinik klinikken plejecenter plejehjem plejehjemmet børnehave børnehus
    vuggestue stadion arena gymnasium gymnasiet efterskole højskole friskole
    kollegium kollegiet kaserne station stationen lufthavn havn havnen bro broen
    fond fonden forening foreningen kommune kommunes region instituttet gruppen
    universitet universitetet university international group company
    design fabrik fabrikker bryggeri bryggerierne forlag forlaget consult holding
    rederi rederiet klub klubben boldklub orkester akademi akademiet seminarium
    institut sogn kirkegård stiftelse stiftelsen sølvsmedie a/s aps i/s and
    """
)
_PLACE_SUFFIXES: Final = (
    "skole",
    "skolen",
    "vej",
    "vejen",
    "gade",
    "plads",
    "pladsen",
    "centret",
    "centeret",
    "hallen",
    "huset",
    "kirke",
    "kirken",
    "parken",
    "gården",
)
#: Words before a name that make it part of a place or business name ("Skt. Hans").
_PLACE_BEFORE: Final = _words(
    """
    skt sankt sct st villa café cafe restaurant hotel kro bageri salon fonden
    projekt operation ms
    """
)
#: Abbreviations whose period does not end a sentence.
_ABBREVIATIONS: Final = _words(
    """
    hr fr frk dr ca kl nr bl mht evt jf skt st sct ifm pga vedr att tlf mob fx
    osv mm dvs bla mv inkl ekskl gl
    """
)
#: Verbs right after a name ("Viggo har haft feber"): weak evidence for frequent names.
_VERBS_AFTER: Final = _words(
    """
    har havde er var fik får sagde siger kom kommer blev bliver skal skulle kan kunne
    vil ville gik går græd græder slog slår spiste sov fylder fyldte ringede ringer
    skrev skriver mangler starter startede begyndte turde fandt finder løb leger
    legede elsker hader kastede faldt bider bed lyder hedder bor boede arbejder
    arbejdede tog tager ved gav giver må måtte sidder sad står stod
    """
)
_PARTICLES: Final = _words("von van de der den da di du la le af al el ter ten")
_MONTHS: Final = _words("april maj juni juli august")
_DATE_BEFORE = re.compile(r"\d{1,2}\.\s*$")

_AGE_AFTER = re.compile(
    r"\s*(?:\(\s*\d{1,3}(?:[,.]\d)?\s*(?:år|årig|mdr\.?|måneder|uger)?\s*\)"
    r"|,?\s+(?:på|,)\s+\d{1,3}(?:[,.]\d)?\s*(?:år|mdr\.?|måneder)(?!\w)"
    r"|,\s*\d{1,3}\s*år(?!\w))"
)
_INSTITUTION_AFTER = re.compile(
    r"\s+(?:fra|på)\s+(?:(?:vores|min|mit|den|det)\s+)?"
    r"(?:stue(?:n|\s+\d+)?(?!\w)|klasse(?:n)?(?!\w)|gruppe(?:n)?(?!\w)|\w+gruppen(?!\w)"
    r"|\w*stuen(?!\w)|\d{1,2}\.\s?[a-zæøå](?!\w)|børnehaven|vuggestuen|dagplejen|sfo(?!\w)"
    r"|skolen|borgerservice|jobcent|hjemmeplejen|afdelingen|\w+afdelingen|kontoret"
    r"|\w+kontoret|teknisk|plejehjemmet|institutionen)"
    r"|\s+i\s+(?:\d{1,2}\.\s?[a-zæøå](?!\w)|\w+gruppen(?!\w)|stue\s+\d+)"
)
_FROM_AFTER = re.compile(r"\s+fra\s+\w")
_PUBLIC_AFTER = re.compile(
    r"\s*(?:\((?:s|v|k|sf|rv|r|el|ø|df|la|i|m|dd|æ|å|b|c|o|f)\)"
    r"|\s+fra\s+(?:oppositionen|byrådet|folketinget|regeringen|socialdemokratiet|venstre"
    r"|de konservative|konservative|enhedslisten|radikale venstre|de radikale|dansk folkeparti"
    r"|liberal alliance|moderaterne|danmarksdemokraterne|alternativet|nye borgerlige"
    r"|borgernes parti)(?!\w)"
    r"|\s+(?:stemmer|stemte|har stemt)\s+(?:for|imod|nej|ja)(?!\w))"
)
# Performers and speakers at a public event are named in that role ("koncert med Tobias
# Rahbek & Band", "foredrag ved forfatteren Ida Jessen"): public, like a title of office.
_PERFORMER_BEFORE = re.compile(
    r"(?:koncert\s+med|foredrag\s+(?:med|ved)|oplæsning\s+(?:med|ved)|optræden\s+(?:af|med)"
    r"|forfatter(?:en)?|sanger(?:en|inden)?|musiker(?:en)?|komiker(?:en)?"
    r"|stand-?up-?komiker(?:en)?|kunstner(?:en)?|skuespiller(?:en|inden)?|dj"
    r"|tryllekunstner(?:en)?|foredragsholder(?:en)?|entertainer(?:en)?)\s+$",
    re.IGNORECASE,
)
_PERFORMER_AFTER = re.compile(
    r"\s*(?:&|og)\s+(?:band(?:et)?|orkester|orkestret|trio(?:en)?|kvartet(?:ten)?|kor(?:et)?)(?!\w)",
    re.IGNORECASE,
)
_COORDINATION = re.compile(
    r"(?:\s*\(\s*\d{1,3}\s*(?:år)?\s*\))?\s*(?:,|og|&|\+|eller)\s*", re.IGNORECASE
)
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*'?")
_STRONG: Final = frozenset(
    {
        "hilsen",
        "underskrift",
        "relation",
        "alder",
        "institution",
        "ejefald",
        "efternavn",
        "flere fornavne",
        "opremsning",
        "titel",
        "nævnt",
    }
)

_EXPLAIN: Final[Mapping[str, str]] = {
    "hilsen": "hilsen foran navnet",
    "underskrift": "underskrift (mvh/hilsen)",
    "relation": "relationsord foran navnet",
    "alder": "alder efter navnet",
    "institution": "stue/klasse/gruppe efter navnet",
    "ejefald": "ejefald foran et slægtsord",
    "efternavn": "efterfulgt af efternavn",
    "flere fornavne": "flere fornavne i træk",
    "opremsning": "nævnt sammen med andre navne",
    "titel": "titel foran navnet",
    "hverv": "offentligt hverv efter navnet",
    "optrædende": "optræder eller taler ved et arrangement",
    "nævnt": "efternavnet er nævnt med fornavn tidligere",
    "små bogstaver": "skrevet med små bogstaver",
    "fra": "'fra' efter navnet",
    "verbum": "udsagnsord efter navnet",
    "model": "genkendt af den statistiske navnemodel",
}


# --- data ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicName:
    """A line of ``public_figures.txt``: an optional royal title and the name's words."""

    title: str | None
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NameLexicon:
    """The name data: lower-cased name → number of bearers, and the public figures indexed
    by the first word of the name."""

    first: Mapping[str, int]
    surnames: Mapping[str, int]
    public: Mapping[str, tuple[PublicName, ...]]
    #: office holders (``public``) plus people known to the whole country; used to mark
    #: names public. ``public`` alone is a feature of the trained tagger.
    known: Mapping[str, tuple[PublicName, ...]] = field(default_factory=dict)


def _read_counts(name: str) -> dict[str, int]:
    raw = resources.files(__package__).joinpath(_DATA, name).read_bytes()
    counts: dict[str, int] = {}
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    for line in lines[1:]:
        key, _, value = line.partition("\t")
        counts[key] = int(value)
    return counts


def _read_lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(_DATA, name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _parse_public(lines: Sequence[str]) -> dict[str, tuple[PublicName, ...]]:
    index: dict[str, list[PublicName]] = {}
    for line in lines:
        words = tuple(unicodedata.normalize("NFC", w) for w in _TOKEN.findall(line))
        title = None
        if len(words) > 1 and words[0].lower() in _ROYAL_TITLES:
            title, words = words[0].lower(), words[1:]
        if words:
            index.setdefault(words[0], []).append(PublicName(title, words))
    return {k: tuple(sorted(v, key=lambda p: -len(p.words))) for k, v in index.items()}


@lru_cache(maxsize=1)
def load_lexicon() -> NameLexicon:
    """Load the shipped name data (once per process)."""
    first = _read_counts("firstnames.tsv.gz")
    for line in _read_lines("extra_firstnames.txt"):
        key, _, value = line.partition("\t")
        key = unicodedata.normalize("NFC", key.strip().lower())
        count = int(value) if value.strip() else _DEFAULT_EXTRA_COUNT
        first[key] = max(first.get(key, 0), count)
    surnames = _read_counts("surnames.tsv.gz")
    official = _read_lines("public_figures.txt")
    public = _parse_public(official)
    known = _parse_public([*official, *_read_lines("known_people.txt")])
    return NameLexicon(first, surnames, public, known)


# --- candidates ---------------------------------------------------------------------------


@dataclass(slots=True)
class NameCandidate:
    """A span that may be a person's name, with the evidence the rules found.

    ``evidence`` holds short keys (see :data:`_EXPLAIN`); ``ambiguity`` is ``"always"`` for
    words in :data:`AMBIGUOUS_ALWAYS`, ``"initial"`` for :data:`AMBIGUOUS_INITIAL` and ``""``
    otherwise. ``count`` is the number of bearers of the (first) first name.
    """

    start: int
    end: int
    kind: Kind
    count: int = 0
    initial: bool = False
    ambiguity: str = ""
    surname_known: bool = True
    public: bool = False
    lowercase: bool = False
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Info:
    """What a capitalised token is, by the name lists."""

    first: int
    surname: int
    end: int  # end offset of the name without a possessive -s/-' or a compound's tail
    possessive: bool  # possessive or compound ("Viggos", "Cobain-sagen"): ends a chain
    key: str


def _fold(text: str) -> str:
    """Strip accents, except from the Danish letters (æ, ø and å are kept)."""
    out = []
    for ch in text:
        if ch in "åÅ":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def _plain_name(key: str) -> bool:
    """Not a word that is also a name (any of the ambiguity lists)."""
    return not (
        key in NEVER_FIRST
        or key in AMBIGUOUS_ALWAYS
        or key in AMBIGUOUS_INITIAL
        or key in _FUNCTION_WORDS
        or key in _GREETINGS
    )


def _well_formed(text: str) -> bool:
    """``Mikkel``, ``Anne-Sofie``, ``Al-Hassan``, ``O'Connor``; not ``TikTok`` or ``ALI``."""
    for part in re.split(r"[-'’]", text):
        if not part:
            continue
        if not part.isalpha():
            return False
        if len(part) > 1 and not part[1:].islower():
            return False
    return text[:1].isupper()


class NameDetector:
    """Person names (label ``PERSON``) from name lists, context and a statistical tagger.

    With ``use_model`` (the default) the tagger of :mod:`.ner` reads the document once when
    it has a candidate or a capitalised word inside a sentence; see :meth:`detect`.
    """

    name = "names"
    labels = frozenset({"PERSON"})

    def __init__(
        self,
        lexicon: NameLexicon | None = None,
        *,
        use_model: bool = True,
        tagger: PersonTagger | None = None,
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.use_model = use_model
        #: The tagger to use (default: the shared one with the shipped model).
        self.tagger = tagger

    # -- public API -----------------------------------------------------------------------

    def detect(self, doc: Document) -> list[Detection]:
        """Candidates scoring at least :data:`THRESHOLD`.

        With the model, each candidate's rule score is mixed with the model's probability
        that its tokens are a person (:func:`combine_scores`); a confident model span that
        contains a candidate extends it ("Bill Clinton"); and a confident model span where
        the rules found nothing becomes a candidate of its own (names missing from the
        lists), unless a blocker applies (places, brands, common words, links, handles) or
        the only evidence is a capital letter at the start of a sentence.
        """
        scan = _Scan(self.lexicon, doc)
        cands = scan.run()
        tagging = self._tagging(scan, cands) if self.use_model else None
        found: list[Detection] = []
        if tagging is None:
            for cand in cands:
                score = self.score(cand)
                if score >= THRESHOLD:
                    found.append(self.to_detection(cand, score, doc.text))
            return resolve_overlaps(found)
        for cand, score in _with_model(scan, cands, tagging):
            if score >= THRESHOLD:
                found.append(self.to_detection(cand, score, doc.text))
        return resolve_overlaps(found)

    def candidates(self, doc: Document) -> list[NameCandidate]:
        """Every name-like span with its evidence (also the ones that will score low)."""
        return _Scan(self.lexicon, doc).run()

    @staticmethod
    def score(cand: NameCandidate, model_score: float | None = None) -> float:
        """The rule score of ``cand``, mixed with ``model_score`` when given."""
        rule = _rule_score(cand)
        if model_score is None:
            return rule
        strong = any(e in _STRONG for e in cand.evidence)
        return combine_scores(
            rule, model_score, public=cand.public, strong=strong, rescue=not cand.initial
        )

    def to_detection(self, cand: NameCandidate, score: float, text: str | None = None) -> Detection:
        attrs: dict[str, object] = {"kind": cand.kind}
        if cand.public:
            attrs["public"] = True
        if text is not None and is_self_reference(text, cand.start, cand.end):
            attrs["self"] = True
        return Detection(
            label="PERSON",
            start=cand.start,
            end=cand.end,
            score=round(score, 3),
            detector=self.name,
            explanation=_explain(cand),
            attributes=attrs,
        )

    def _tagging(self, scan: _Scan, cands: Sequence[NameCandidate]) -> Tagging | None:
        """The model's reading of the document, if there is anything for it to decide."""
        if not cands and not any(
            scan.capitalised(i) and not scan.is_initial(i) for i in range(len(scan.toks))
        ):
            return None
        tagger = self.tagger if self.tagger is not None else _get_tagger()
        return tagger.tag(scan.doc) if tagger is not None else None


#: A model span of a person that the rules did not find is proposed from this confidence
#: (inside a sentence), or from :data:`MODEL_PROPOSE_INITIAL` for one word at the start of a
#: sentence. A candidate below :data:`THRESHOLD` is rescued from :data:`MODEL_RESCUE`.
MODEL_PROPOSE: Final = 0.8
MODEL_PROPOSE_INITIAL: Final = 0.95
MODEL_RESCUE: Final = 0.9
#: How far the model moves a rule score towards its own: up (agreement adds little to a
#: rule that already fired), down (a confident "not a person"), down with strong evidence.
_UP, _DOWN, _DOWN_STRONG = 0.25, 0.5, 0.15


def combine_scores(
    rule: float,
    model: float,
    *,
    public: bool = False,
    strong: bool = False,
    rescue: bool = True,
) -> float:
    """Mix the rule score with the model's probability of a person (both in ``[0, 1]``).

    A public-figure list match is trusted as it is. Otherwise the model moves the rule score
    towards its own: upwards by a quarter of the difference (agreement), or by half the
    difference from :data:`MODEL_RESCUE` for a candidate the rules alone would drop (not
    with ``rescue=False``: a word at the start of a sentence, where a capital letter says
    nothing and a model trained on news is too ready to see a name); downwards by half the
    difference, but only by 15% when the rules found strong context (a greeting, an age, a
    relation ...) that the model, trained on news, does not know.
    """
    if public:
        return max(rule, model)
    if model >= rule:
        weight = 0.5 if rescue and rule < THRESHOLD and model >= MODEL_RESCUE else _UP
        return min(0.99, rule + weight * (model - rule))
    return rule - (_DOWN_STRONG if strong else _DOWN) * (rule - model)


_tagger: PersonTagger | None = None
_tagger_failed = False
_tagger_lock = threading.Lock()


def _get_tagger() -> PersonTagger | None:
    """The shared tagger (loaded on first use); ``None`` if the model cannot be loaded."""
    global _tagger, _tagger_failed
    if _tagger is not None or _tagger_failed:
        return _tagger
    with _tagger_lock:
        if _tagger is None and not _tagger_failed:
            from .ner import PersonTagger

            try:
                _tagger = PersonTagger()
            except (OSError, ValueError, KeyError):
                _tagger_failed = True
    return _tagger


def _token_range(toks: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    """The first and last token overlapping ``start..end``."""
    lo, hi = 0, len(toks)
    while lo < hi:  # first token ending after start
        mid = (lo + hi) // 2
        if toks[mid].end <= start:
            lo = mid + 1
        else:
            hi = mid
    if lo >= len(toks) or toks[lo].start >= end:
        return None
    last = lo
    while last + 1 < len(toks) and toks[last + 1].start < end:
        last += 1
    return lo, last


def _model_prob(tagging: Tagging, first: int, last: int) -> float | None:
    """The model's mean probability of a person over tokens ``first..last``; ``None`` if it
    did not score them all (lower-case words: no opinion)."""
    total = 0.0
    for i in range(first, last + 1):
        if tagging.probabilities(i) is None:
            return None
        total += tagging.prob(i, "PER")
    return total / (last - first + 1)


def _with_model(
    scan: _Scan, cands: list[NameCandidate], tagging: Tagging
) -> list[tuple[NameCandidate, float]]:
    """Score the candidates with the model, extend them, and add the model's own finds."""
    toks = scan.toks
    out: list[tuple[NameCandidate, float]] = []
    spans = [s for s in tagging.persons() if s.score >= MODEL_PROPOSE]
    used: set[int] = set()
    for cand in cands:
        rng = _token_range(toks, cand.start, cand.end)
        if rng is None:
            out.append((cand, NameDetector.score(cand)))
            continue
        if cand.kind == "initial":
            out.append((cand, NameDetector.score(cand)))  # "M.": the model has no say
            continue
        first, last = rng
        for k, span in enumerate(spans):
            if span.first <= last and first <= span.last:
                used.add(k)
                if (
                    span.first <= first
                    and span.last >= last
                    and (span.first, span.last) != (first, last)
                    and cand.kind in ("first", "full")
                    and not cand.public
                    and not cand.lowercase
                ):
                    ext = _model_candidate(scan, span.first, span.last, span.score)
                    if ext is not None and ext.start <= cand.start and ext.end >= cand.end:
                        first, last = span.first, span.last
                        cand.start, cand.end = ext.start, ext.end
                        if last > first:
                            cand.kind = "full"
                            cand.surname_known = ext.surname_known
                        cand.evidence.append("model")
        model = _model_prob(tagging, first, last)
        out.append((cand, NameDetector.score(cand, model)))
    for k, span in enumerate(spans):
        if k in used or any(c.start < span.end and span.start < c.end for c, _ in out):
            continue
        one_initial = span.first == span.last and scan.is_initial(span.first)
        if one_initial and span.score < MODEL_PROPOSE_INITIAL:
            continue
        new = _model_candidate(scan, span.first, span.last, span.score)
        if new is not None:
            out.append((new, min(0.9, span.score)))
    return out


def _model_candidate(scan: _Scan, first: int, last: int, score: float) -> NameCandidate | None:
    """A candidate for the model's span ``first..last``, or ``None`` if a blocker applies:
    a word that is not shaped like a name, a link or handle, a function word or greeting,
    a word that is never a name on its own, a brand or everyday word at the end (unless the
    model is very sure), a place or business word after it, "Skt."/"Villa" before it, or a
    hyphen after it that leaves the word for later ("Sundheds- og Ældreudvalget")."""
    toks = scan.toks
    tail = toks[last].end
    if scan.text[tail : tail + 1] == "-" and scan.text[tail + 1 : tail + 2].isspace():
        return None
    for i in range(first, last + 1):
        tok = toks[i]
        if tok.lower in _PARTICLES and first < i < last:
            continue
        info = scan.info(i)
        if info is None or (info.possessive and i < last):
            return None
        key = info.key
        if key in _FUNCTION_WORDS or key in _GREETINGS or key in NEVER_FIRST:
            return None
        if key in _PLACE_WORDS or scan._is_place_word(i):
            return None
        if key in AMBIGUOUS_ALWAYS and score < 0.97 and i == last:
            return None  # "Bill Clinton" yes, "Danish King" no
    nxt = last + 1
    if (
        nxt < len(toks)
        and scan.adjacent(last, nxt)
        and scan.capitalised(nxt)
        and scan._is_place_word(nxt)
    ):
        return None
    p = scan.prev_word(first)
    if p is not None and p.lower in _PLACE_BEFORE:
        return None
    info_last = scan.info(last)
    assert info_last is not None
    first_info = scan.info(first)
    assert first_info is not None
    if last > first:
        kind: Kind = "full"
    elif first_info.surname and not first_info.first:
        kind = "surname"
    else:
        kind = "first"
    return NameCandidate(
        toks[first].start,
        info_last.end,
        kind,
        count=first_info.first,
        initial=scan.is_initial(first),
        surname_known=bool(info_last.surname),
        evidence=["model"],
    )


def _count_score(count: int) -> float:
    if count > 1000:
        return 0.85
    if count >= 200:
        return 0.75
    if count >= 50:
        return 0.65
    return 0.45


def _rule_score(c: NameCandidate) -> float:
    """The score the rules give a candidate (see the module docstring for the scale)."""
    if c.public:
        return 0.95
    if c.lowercase:
        return 0.7 if c.kind == "full" else 0.6
    strong = sum(1 for e in c.evidence if e in _STRONG)
    if c.kind == "full":
        return 0.95 if c.surname_known else 0.9
    if c.kind == "surname":
        return 0.85 if strong else 0.3
    if c.kind == "initial":
        return 0.6 if strong else 0.3
    # first name(s) alone
    weak = [e for e in c.evidence if e not in _STRONG]
    if c.ambiguity == "always" or (c.ambiguity == "initial" and c.initial):
        base = 0.3
        if "verbum" in weak and c.ambiguity == "initial" and c.count >= 5000:
            base = 0.7
    elif c.initial:
        base = 0.75 if c.count >= 500 else 0.4
        if weak and c.count >= 200:
            base = max(base, 0.75 if "fra" in weak else 0.7)
            if c.count >= 1000:
                base += 0.05
    else:
        base = _count_score(c.count)
    if strong:
        return min(0.95, max(base, 0.8) + 0.05 * (strong - 1))
    return base


def _explain(c: NameCandidate) -> str:
    if c.public:
        head = "offentlig person i sin offentlige rolle"
    elif c.kind == "full":
        head = "fornavn og efternavn" if c.surname_known else "fornavn og stort ord efter"
    elif c.kind == "surname":
        head = "efternavn med titel"
    elif c.kind == "initial":
        head = "forbogstav med kontekst"
    else:
        head = f"kendt fornavn ({c.count} bærere ifølge Danmarks Statistik)"
    notes = [_EXPLAIN[e] for e in dict.fromkeys(c.evidence) if e in _EXPLAIN]
    return head + ("; " + ", ".join(notes) if notes else "")


# --- the scan -----------------------------------------------------------------------------


class _Scan:
    """One pass over a document's tokens."""

    def __init__(self, lexicon: NameLexicon, doc: Document) -> None:
        self.lex = lexicon
        self.doc = doc
        self.text = doc.text
        self.toks: list[Token] = doc.tokens
        self._info: dict[int, _Info | None] = {}
        #: surnames of full names found so far → whether that person is public
        self.seen_surnames: dict[str, bool] = {}
        self._office: list[int] | None = None

    # -- token helpers --------------------------------------------------------------------

    def info(self, i: int) -> _Info | None:
        if i in self._info:
            return self._info[i]
        result = self._classify(i)
        self._info[i] = result
        return result

    def _classify(self, i: int) -> _Info | None:
        tok = self.toks[i]
        text = tok.text
        ends_chain = False
        # possessives: "Jonas'", "Madsen's", "Madsen’s"
        if text[-1] in "'’":
            text = text[:-1]
            ends_chain = True
        elif len(text) > 3 and text[-2] in "'’" and text[-1] in "sS":
            text = text[:-2]
            ends_chain = True
        # compounds: "Cobain-sagen", "Mikkel-agtig": the name is the capitalised part
        if "-" in text:
            parts = text.split("-")
            lower_at = next((k for k, part in enumerate(parts) if part[:1].islower()), None)
            if lower_at == 0:
                return None
            if lower_at is not None:
                text = "-".join(parts[:lower_at])
                ends_chain = True
        if not text or not _well_formed(text):
            return None
        if self._in_url(tok):
            return None
        end = tok.start + len(text)
        key = tok.lower[: len(text)]
        if not key.isascii() and not unicodedata.is_normalized("NFC", key):
            key = unicodedata.normalize("NFC", key)
        first, sur = self._lookup(key)
        if (
            not ends_chain
            and len(key) > 3
            and key[-1] == "s"
            and _plain_name(key)
            and _plain_name(key[:-1])
        ):
            # "Viggos", "Martins": the genitive of a (much) more frequent name
            f2, s2 = self._lookup(key[:-1])
            if max(f2, s2) >= 100 and f2 + s2 >= 10 * (first + sur):
                return _Info(f2, s2, end - 1, True, key[:-1])
        return _Info(first, sur, end, ends_chain, key)

    def _lookup(self, key: str) -> tuple[int, int]:
        first = self.lex.first.get(key, 0)
        sur = self.lex.surnames.get(key, 0)
        if first or sur:
            return first, sur
        if "-" in key:
            parts = key.split("-")
            firsts = [self.lex.first.get(p, 0) for p in parts]
            surs = [self.lex.surnames.get(p, 0) for p in parts]
            if all(firsts):
                first = min(firsts)
            if surs[-1] and all(f or s for f, s in zip(firsts, surs, strict=True)):
                sur = min(max(f, s) for f, s in zip(firsts, surs, strict=True))
            return first, sur
        if not key.isascii():
            folded = _fold(key)
            if folded != key:
                return self.lex.first.get(folded, 0), self.lex.surnames.get(folded, 0)
        return 0, 0

    def _in_url(self, tok: Token) -> bool:
        """Part of an e-mail address, a link, a hashtag or a handle."""
        text = self.text
        s, e = tok.start, tok.end
        if s > 0 and text[s - 1] in "@#/_\\":
            return True
        if s > 1 and text[s - 1] == "." and text[s - 2].isalnum():
            return True
        if e < len(text) and text[e] in "@_/":
            return True
        return e + 1 < len(text) and text[e] == "." and text[e + 1].isalnum()

    def adjacent(self, a: int, b: int) -> bool:
        """Tokens ``a`` and ``b`` are separated by exactly one space (or a line-free gap)."""
        gap = self.text[self.toks[a].end : self.toks[b].start]
        return gap == " " or (0 < len(gap) <= 2 and gap.isspace() and "\n" not in gap)

    def prev_word(self, i: int) -> Token | None:
        """The token before ``i`` if only whitespace (or an abbreviation's period, or a
        comma after a sign-off) separates them."""
        if i == 0:
            return None
        p = self.toks[i - 1]
        gap = self.text[p.end : self.toks[i].start]
        if not gap or gap.isspace():
            return p
        if len(gap) > 4:
            return None
        stripped = gap.strip()
        if stripped == "." and (
            p.lower in _ABBREVIATIONS or p.lower in _SURNAME_TITLES or p.lower in _PLACE_BEFORE
        ):
            return p
        if stripped == "," and (p.lower in _GREETINGS or p.lower in _SIGNOFFS):
            return p
        return None

    def is_initial(self, i: int) -> bool:
        """``i`` starts a sentence, or follows an emoji, a colon, a dash or a line break."""
        return is_sentence_initial(self.text, self.toks, i)

    def capitalised(self, i: int) -> bool:
        return self.toks[i].text[:1].isupper()

    def office_words(self) -> list[int]:
        """Start offsets of the words holding an office stem (:data:`_OFFICE_STEMS`), in
        order; found once per document, usually none."""
        if self._office is None:
            starts: list[int] = []
            low = self.doc.lower
            if any(stem in low for stem in _OFFICE_STEMS):  # substring tests: fast
                for m in _OFFICE_GATE.finditer(low):
                    k = m.start()
                    while k > 0 and low[k - 1].isalnum():
                        k -= 1
                    if not starts or starts[-1] != k:
                        starts.append(k)
            if "MF" in self.text:
                starts = sorted({*starts, *(m.start() for m in _MF.finditer(self.text))})
            self._office = starts
        return self._office

    def office_before(self, start: int) -> bool:
        """A title of public office, possibly of several words, ends right before
        ``start`` ("formand for Sundheds- og Ældreudvalget Malou Brix", "Venstres formand
        ...")."""
        words = self.office_words()
        if not words:
            return False
        k = bisect.bisect_left(words, start) - 1
        low = start - _OFFICE_WINDOW
        while k >= 0 and words[k] >= low:
            at = words[k]
            if _OFFICE_BEFORE.match(self.text, at, start) is not None:
                return True
            if (
                _CHAIR_BEFORE.match(self.text, at, start) is not None
                and _GENITIVE_BEFORE.search(self.text, max(0, at - _OFFICE_WINDOW), at) is not None
            ):
                return True
            k -= 1
        return False

    def office_after(self, end: int) -> bool:
        """A title of public office follows the name as an appositive ("Malou Brix, formand
        for Sundheds- og Ældreudvalget", "Peter Holm (S), byrådsmedlem")."""
        words = self.office_words()
        if not words:
            return False
        k = bisect.bisect_left(words, end)
        if k == len(words) or words[k] > end + _OFFICE_APPOSITIVE:
            return False
        return _OFFICE_AFTER.match(self.text, end, end + _OFFICE_WINDOW) is not None

    # -- the pass ------------------------------------------------------------------------

    def run(self) -> list[NameCandidate]:
        toks = self.toks
        out: list[NameCandidate] = []
        i = 0
        n = len(toks)
        while i < n:
            if not self.capitalised(i):
                nxt = self._lowercase(i, out)
                i = nxt if nxt is not None else i + 1
                continue
            nxt = self._public(i, out)
            if nxt is None:
                nxt = self._initials(i, out)
            if nxt is None:
                nxt = self._chain(i, out)
            i = nxt if nxt is not None else i + 1
        if self.seen_surnames:
            self._repeated_surnames(out)
        self._coordination(out)
        return out

    def _repeated_surnames(self, out: list[NameCandidate]) -> None:
        """A surname alone that was used with a first name in the same text ("Jesper Holm
        ... Holm")."""
        by_start = {c.start: c for c in out}
        for i, tok in enumerate(self.toks):
            if not self.capitalised(i):
                continue
            info = self.info(i)
            if info is None or info.key not in self.seen_surnames:
                continue
            weak = by_start.get(tok.start)
            if weak is not None and weak.end == info.end and _rule_score(weak) < THRESHOLD:
                # "Holm" alone was too ambiguous, but it is the surname used before
                weak.kind = "surname"
                weak.evidence.append("nævnt")
                weak.public = self.seen_surnames[info.key]
                continue
            if any(c.start < info.end and tok.start < c.end for c in out):
                continue
            out.append(
                NameCandidate(
                    tok.start,
                    info.end,
                    "surname",
                    count=info.surname,
                    public=self.seen_surnames[info.key],
                    evidence=["nævnt"],
                )
            )

    def _lowercase(self, i: int, out: list[NameCandidate]) -> int | None:
        """Names written in lower case: only a frequent first name after a close relation
        word ("min søn ali") or followed by a frequent surname ("ida jensen")."""
        tok = self.toks[i]
        key = tok.lower
        count = self.lex.first.get(key, 0)
        if count < 500 or not key.isalpha() or not _plain_name(key):
            return None
        j = i + 1
        if j < len(self.toks) and self.adjacent(i, j) and not self.capitalised(j):
            sur_key = self.toks[j].lower
            sur = self.lex.surnames.get(sur_key, 0)
            if (
                sur
                and _plain_name(sur_key)
                and sur_key not in _PLACE_WORDS
                and (sur_key.endswith(("sen", "søn", "gaard", "gård")) or sur >= 5000)
                and not self.lex.first.get(sur_key, 0)
            ):
                out.append(
                    NameCandidate(
                        tok.start,
                        self.toks[j].end,
                        "full",
                        count=count,
                        lowercase=True,
                        evidence=["små bogstaver"],
                    )
                )
                return j + 1
        p = self.prev_word(i)
        if p is not None and p.lower in _CLOSE_RELATIONS:
            out.append(
                NameCandidate(
                    tok.start,
                    tok.end,
                    "first",
                    count=count,
                    lowercase=True,
                    evidence=["relation", "små bogstaver"],
                )
            )
        return None

    def _public(self, i: int, out: list[NameCandidate]) -> int | None:
        entries = self.lex.known.get(self.toks[i].text.rstrip("'’"))
        if not entries:
            return None
        for entry in entries:
            m = len(entry.words)
            if i + m > len(self.toks):
                continue
            ok = True
            for k, word in enumerate(entry.words):
                tok = self.toks[i + k]
                if k and not self.adjacent(i + k - 1, i + k):
                    ok = False
                    break
                if tok.text == word:
                    continue
                if k == m - 1 and (tok.text.rstrip("'’") == word or tok.text == word + "s"):
                    continue
                ok = False
                break
            if not ok:
                continue
            if entry.title is not None:
                p = self.prev_word(i)
                if p is None or p.lower != entry.title:
                    continue
            nxt = i + m
            if (
                nxt < len(self.toks)
                and self.adjacent(nxt - 1, nxt)
                and self.capitalised(nxt)
                and self._is_place_word(nxt)
            ):
                return nxt  # a place named after the person ("Dan Turèlls Plads")
            end = self.toks[i + m - 1].start + len(entry.words[-1])
            out.append(
                NameCandidate(
                    self.toks[i].start,
                    end,
                    "full" if m > 1 else "first",
                    public=True,
                    evidence=["titel"] if entry.title else [],
                )
            )
            return i + m
        return None

    def _initials(self, i: int, out: list[NameCandidate]) -> int | None:
        """``H.C. Andersen``, ``J. Jensen``, and ``M.`` with context."""
        text = self.text
        tok = self.toks[i]
        if len(tok.text) != 1 or not tok.text.isupper() or tok.end >= len(text):
            return None
        if text[tok.end] != ".":
            return None
        if tok.start >= 2 and text[tok.start - 1] == "." and text[tok.start - 2].isdigit():
            return None  # a class: "4.A."
        j = i
        # further initials: "H.C." / "H. C."
        while (
            j + 1 < len(self.toks)
            and len(self.toks[j + 1].text) == 1
            and self.toks[j + 1].text.isupper()
            and self.text[self.toks[j].end : self.toks[j + 1].start].strip() == "."
            and self.toks[j + 1].end < len(text)
            and text[self.toks[j + 1].end] == "."
        ):
            j += 1
        k = j + 1
        if k < len(self.toks) and self.text[self.toks[j].end : self.toks[k].start] in {". ", "."}:
            info = self.info(k)
            if info is not None and (info.surname or info.first) and info.key not in NEVER_FIRST:
                out.append(NameCandidate(tok.start, info.end, "full", surname_known=True))
                return k + 1
        if j != i:
            return None
        cand = NameCandidate(tok.start, tok.end + 1, "initial")
        self._context(i, i, cand, possessive=False)
        if any(e in _STRONG for e in cand.evidence):
            out.append(cand)
        return None

    def _chain(self, i: int, out: list[NameCandidate]) -> int | None:
        info = self.info(i)
        if info is None:
            return None
        lower = info.key
        if self._surname_with_title(i, info, out):
            return i + 1
        if not info.first or lower in NEVER_FIRST or lower in _GREETINGS:
            return None
        p = self.prev_word(i)
        if p is not None and p.lower in _PLACE_BEFORE:
            return i + 1  # "Skt. Hans", "Sankt Hans", "Villa Emma"
        if lower in _MONTHS and _DATE_BEFORE.search(
            self.text, max(0, self.toks[i].start - 8), self.toks[i].start
        ):
            return i + 1  # "21. August"
        parts = [i]
        last = info
        surname_known = True
        always = lower in AMBIGUOUS_ALWAYS
        ambiguous = always or lower in AMBIGUOUS_INITIAL
        j = i + 1
        n = len(self.toks)
        while j < n and not last.possessive:
            gap = self.text[self.toks[j - 1].end : self.toks[j].start]
            tok = self.toks[j]
            if (
                gap == " "
                and tok.lower in _PARTICLES
                and j + 1 < n
                and self.adjacent(j, j + 1)
                and self.capitalised(j + 1)
            ):
                nxt = self.info(j + 1)
                if nxt is not None and nxt.surname:
                    parts += [j, j + 1]
                    last = nxt
                    j += 2
                    continue
                break
            if not self.adjacent(j - 1, j) or not self.capitalised(j):
                break
            inf = self.info(j)
            if inf is None or inf.key in _FUNCTION_WORDS or inf.key in _GREETINGS:
                break
            if inf.key in _PLACE_WORDS or self._is_place_word(j):
                break
            if (inf.key in AMBIGUOUS_ALWAYS and not inf.surname) or (
                always and (not inf.surname or inf.key in AMBIGUOUS_ALWAYS)
            ):
                break  # "Danish King", "Thai Airways"
            if inf.first or inf.surname:
                parts.append(j)
                last = inf
                j += 1
                continue
            # an unknown capitalised word right after a first name: a rare surname
            if (
                len(inf.key) >= 3
                and inf.key not in NEVER_FIRST
                and inf.key not in AMBIGUOUS_ALWAYS
                and not self.is_initial(j)
                and not always
                and not (ambiguous and self.is_initial(i))
            ):
                parts.append(j)
                last = inf
                surname_known = False
                j += 1
            break
        # trailing place/business word: not a person
        # ("Tornby Skole", "Søren Kierkegaards Plads", "Niels Brocks Handelshøjskole")
        if j < n and self.adjacent(j - 1, j) and self.capitalised(j):
            nxt = self.info(j)
            nxt_is_name = nxt is not None and bool(nxt.first or nxt.surname)
            if self._is_place_word(j) or (last.possessive and not nxt_is_name):
                return j
        start = self.toks[i].start
        end = last.end
        if len(parts) > 1:
            kind: Kind = "full"
            last_info = self.info(parts[-1])
            assert last_info is not None
            if surname_known and not last_info.surname:
                kind = "first"  # "Hans Peter", "Anne Sofie"
        else:
            kind = "first"
        cand = NameCandidate(
            start,
            end,
            kind,
            count=info.first,
            initial=self.is_initial(i),
            ambiguity=(
                "always"
                if lower in AMBIGUOUS_ALWAYS
                else "initial"
                if lower in AMBIGUOUS_INITIAL
                else ""
            ),
            surname_known=surname_known,
        )
        if len(parts) > 1:
            cand.evidence.append("efternavn" if kind == "full" else "flere fornavne")
        self._context(i, parts[-1], cand, possessive=last.possessive)
        if kind == "full":
            self.seen_surnames[last.key] = cand.public
        out.append(cand)
        return j

    def _is_place_word(self, j: int) -> bool:
        tok = self.toks[j]
        low = tok.lower
        if low in _PLACE_WORDS:
            return True
        if low in {"a", "i"} and self.text[tok.end : tok.end + 2] in {"/s", "/S"}:
            return True
        return len(low) > 6 and low.endswith(_PLACE_SUFFIXES)

    def _surname_with_title(self, i: int, info: _Info, out: list[NameCandidate]) -> bool:
        """``fru Jensen``, ``familien Petersen``, ``borgmester Lauritzen``."""
        p = self.prev_word(i)
        if p is None:
            return False
        title = p.lower
        public = _office_word(title, p.text)
        if title not in _SURNAME_TITLES and not public:
            return False
        if info.first and (public or info.first > info.surname):
            return False  # handled as a chain, marked public in _context
        nxt = i + 1
        if (
            nxt < len(self.toks)
            and self.adjacent(i, nxt)
            and self.capitalised(nxt)
            and self._is_place_word(nxt)
        ):
            return False
        if not info.surname and not (info.key.endswith("sen") and len(info.key) > 4):
            return False
        out.append(
            NameCandidate(
                self.toks[i].start,
                info.end,
                "surname",
                count=info.surname,
                public=public,
                evidence=["titel"],
            )
        )
        return True

    def _context(self, i: int, last: int, cand: NameCandidate, *, possessive: bool) -> None:
        """Add context evidence around tokens ``i..last`` to ``cand``."""
        low = self.doc.lower
        p = self.prev_word(i)
        if p is not None:
            w = p.lower
            if w in _GREETINGS:
                cand.evidence.append("hilsen")
            elif w in _SIGNOFFS:
                cand.evidence.append("underskrift")
            elif w in _RELATIONS:
                cand.evidence.append("relation")
            elif _office_word(w, p.text):
                cand.evidence.append("titel")
                cand.public = True
            elif w in _SURNAME_TITLES:
                cand.evidence.append("relation")
            elif w == "til" and low[cand.end : cand.end + 1] in {":", ","}:
                cand.evidence.append("hilsen")
        if not cand.public and self.office_before(cand.start):
            cand.evidence.append("titel")
            cand.public = True
        tail = self.toks[last].end if possessive else cand.end
        after = low[tail : tail + 40]
        if not cand.public and (
            _PERFORMER_BEFORE.search(low, max(0, cand.start - 40), cand.start)
            or _PERFORMER_AFTER.match(after)
        ):
            cand.evidence.append("optrædende")
            cand.public = True
        if _AGE_AFTER.match(after):
            cand.evidence.append("alder")
        if _INSTITUTION_AFTER.match(after):
            cand.evidence.append("institution")
        elif _FROM_AFTER.match(after):
            cand.evidence.append("fra")
        if cand.kind == "full" and not cand.public:
            if _PUBLIC_AFTER.match(after):
                cand.public = True
            elif "relation" not in cand.evidence and self.office_after(tail):
                cand.evidence.append("hverv")
                cand.public = True
        if possessive:
            m = re.match(r"\s+(\w+)", after)
            if m and m.group(1) in _KIN_AFTER:
                cand.evidence.append("ejefald")
        else:
            m = re.match(r" (\w+)", after)
            if m and m.group(1) in _VERBS_AFTER:
                cand.evidence.append("verbum")

    def _coordination(self, cands: list[NameCandidate]) -> None:
        """A weak candidate listed with a good one ("William (7) og Storm (4)") is a name."""
        if len(cands) < 2:
            return
        ordered = sorted(cands, key=lambda c: c.start)
        scores = [_rule_score(c) for c in ordered]
        for _ in range(2):
            changed = False
            for k, cand in enumerate(ordered):
                if scores[k] >= THRESHOLD or cand.kind != "first":
                    continue
                for nb in (k - 1, k + 1):
                    if not 0 <= nb < len(ordered) or scores[nb] < 0.7:
                        continue
                    a, b = (ordered[nb], cand) if nb < k else (cand, ordered[nb])
                    if _COORDINATION.fullmatch(self.text[a.end : b.start]):
                        cand.evidence.append("opremsning")
                        scores[k] = _rule_score(cand)
                        changed = True
                        break
            if not changed:
                break


def is_sentence_initial(text: str, toks: Sequence[Token], i: int) -> bool:
    """Token ``i`` starts a sentence, or follows an emoji, a colon, a dash or a line break
    (capitalisation there is no evidence of a name). Shared with the NER tagger."""
    k = toks[i].start - 1
    while k >= 0 and text[k].isspace():
        if text[k] == "\n":
            return True
        k -= 1
    if k < 0:
        return True
    c = text[k]
    if c.isalnum() or c in ",&+)":
        return False
    if c == "." and i > 0:
        p = toks[i - 1]
        if p.end == k and (p.lower in _ABBREVIATIONS or p.text.isdigit() or len(p.text) == 1):
            return False
    return True


# The author naming themself: a signature ("Mvh Rikke", "/Rikke"), an introduction ("jeg
# hedder …", "mit navn er …") or "ring til mig, centerleder …". Rules treat such a name like
# a public figure's (it is still reported as a PERSON entity).
_SELF_BEFORE = re.compile(
    r"\b(?:mvh|m\.v\.h\.|hilsen|venlig\s+hilsen|kh|vh|knus)\s*[,:.!]?\s*[-/]?\s*"
    r"(?:(?:(?-i:[A-ZÆØÅ])[\wæøå-]+\s+){1,3}(?:og|&)\s+)?$"
    r"|(?:^|\s)/\s*$"
    r"|\bjeg\s+hedder\s+$|\bmit\s+navn\s+er\s+$"
    r"|\b(?:ring|skriv|sms|send)\w*\s+(?:gerne\s+|bare\s+)?(?:til|på)\s+mig\s*[,:]\s*"
    r"(?:[a-zæøå-]+\s+){0,2}$",
    re.IGNORECASE,
)


# A full name alone after the last sentence: a signature without "hilsen" ("… Min dør står
# åben. Hodan Abdullahi").
_LAST_LINE_BEFORE = re.compile(r"[.!?…)😊🙂👍🙏]\s*$|\n\s*$")
_LAST_LINE_AFTER = re.compile(r"^[\s.!,:;)😊🙂👍🙏]*$")


def is_self_reference(text: str, start: int, end: int | None = None) -> bool:
    """Is the name at ``start`` the author's own (a signature or a self-introduction)?"""
    before = text[max(0, start - 60) : start]
    if not before.strip():
        return False  # a name at the very start is someone being addressed or talked about
    if _SELF_BEFORE.search(before) is not None:
        return True
    if end is None or " " not in text[start:end].strip():
        return False  # a first name alone at the end is more often someone addressed
    return bool(_LAST_LINE_BEFORE.search(before) and _LAST_LINE_AFTER.match(text[end:]))
