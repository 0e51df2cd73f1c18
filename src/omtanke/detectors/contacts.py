"""Official contact information: "Hør mere hos afdelingsleder Jørgen Thaysen, tlf. 27 90 14 55".

A job advert, an announcement or an out-of-office message names the employee to contact, in
that role, or gives the number, e-mail address or street address of an institution. That is
the municipality's own contact information, not a private person's data, so the name and the
phone number, e-mail address or street address are marked ``public`` (and
``official_contact``): they are still reported as entities, but the personal-data rules do
not flag them (see ``include_public`` in docs/PACKS.md).

What counts, each frame anchored right before the detection and within its sentence:

* a contact person: "ring til leder NAME", "hør mere om stillingen hos NAME", "spørgsmål til
  stillingen: NAME", "kontakt min kollega NAME" (out of office), and the number or e-mail
  address that follows the name ("på 76 81 29 53 eller skriv til sigmal@vejle.dk");
* an institution's number or e-mail address: "kontakt dagplejekontoret på …", "ring til os
  på …", "ringe til skolens lejrskoletelefon …", "Borgerservice på tlf. …", "ring på …
  mellem kl 10 og 14", "skriv til familie@vejle.dk" (the municipality's own domain);
* an institution's street address: "finder du Familiehuset på …", "Biblioteket flytter til
  …", "holder til på …", "mødes på …", "foregår på …", "Familiehusets adresse er …".

A private person stays private: "ring til Mikkel på …" (no title), "ring til mig på …", "min
private mobil", "Mikkel bor på …", and anything declared private ("hendes private nummer").

This runs after the other detectors, on their results, because it needs both the names and
the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..model import Detection
from ..text import Document

__all__ = ["mark_official_contacts"]

_TITLE = (
    r"[\wæøå-]*(?:leder|lederen|chef|chefen|direktør|konsulent|koordinator|rådgiver|"
    r"medarbejder|sekretær|formand|inspektør|plejerske|sagsbehandler|pædagog|lærer|"
    r"assistent|vejleder|terapeut|psykolog|presseansvarlig|læge|jordemoder|bibliotekar|"
    r"ingeniør|planlægger|arkitekt|direktøren)"
)
# "hør mere hos", "hør mere om stillingen hos", "hør nærmere om jobbet fra"
_HEAR_MORE = (
    r"\bhør\s+(?:mere|nærmere)\s+"
    r"(?:om\s+(?:stillingen|jobbet|det|opgaven|opgaverne|projektet|tilbuddet)\s+)?"
    r"(?:hos|fra|ved)"
)
# "spørgsmål til stillingen:", "spørgsmål om jobbet kan rettes til"
_JOB_QUESTIONS = (
    r"\bspørgsmål\s+(?:til|om)\s+(?:stillingen|jobbet)\s*(?::|kan\s+rettes\s+til|rettes\s+til)"
)
# The frame must end right before the name. With a title, any contact verb will do
# ("ring til leder NAME", "kontakt sundhedsplejerske NAME"); without one, only the frames
# that announcements use ("hør mere hos NAME", "kontaktperson: NAME") – "ring til Mikkel"
# is a private person.
_VERB = (
    r"(?:\bkontakt(?:e|person(?:en)?)?|\bring(?:e)?\s+(?:gerne\s+)?til|"
    + _HEAR_MORE
    + r"|"
    + _JOB_QUESTIONS
    + r"|\bspørgsmål\s+(?:kan\s+rettes\s+)?til|"
    r"\bhenvend\s+dig\s+(?:gerne\s+)?til|\bskriv\s+(?:gerne\s+)?til|\boplysninger\s+hos)"
)
# An out-of-office message names the colleague who stands in: "kontakt min kollega NAME",
# "ring til min stedfortræder NAME", "haster det, er min kollega NAME på …".
_STAND_IN = (
    r"\b(?:kontakt(?:e)?|henvend\s+dig)\s+(?:gerne\s+)?(?:til\s+)?(?:min|vores)\s+"
    r"(?:kollega|kollegaer|kolleger|stedfortræder|afløser)"
    r"|\b(?:ring(?:e)?|skriv(?:e)?)\s+(?:gerne\s+)?til\s+(?:min|vores)\s+(?:stedfortræder|afløser)"
    r"|(?:\bhaster\s+det|\bi\s+mit\s+fravær|\bmens\s+jeg\s+er\s+(?:væk|fraværende|på\s+\w+))"
    r"\b[^.!?\n]{0,60}\bmin\s+(?:kollega|stedfortræder|afløser)"
)
_FRAME_RE = re.compile(
    _VERB
    + r"\s*:?\s+(?:(?:vores|den|vor|vores\s+nye)\s+)?"
    + r"(?:(?:ledende|daglig|faglig|konstitueret|fungerende|souschef\s+og)\s+)?"
    + _TITLE
    + r",?\s+$"
    r"|(?:" + _HEAR_MORE + r"|" + _JOB_QUESTIONS + r"|\bkontaktperson(?:en)?\s*(?:er|:)|"
    r"\bspørgsmål\s+kan\s+rettes\s+til|\boplysninger\s+hos|" + _STAND_IN + r")\s+$",
    re.IGNORECASE,
)
# What may stand between the contact's name and the number: ", tlf.", "på", "på tlf.", "–",
# and between the number and the next one: "eller mail", "eller skriv til", "eller send en
# mail til" (but not "eller skriv til mig på": that is someone else's address).
_BRIDGE_RE = re.compile(
    r"^[\s,–—-]*(?:(?:på|via|på\s+tlf\.?|tlf\.?|telefon|mobil|mail|e-?mail|mail:|tlf:)\s*:?\s*)?"
    r"(?:[\s,–—-]*(?:eller|og)\s+"
    r"(?:(?:skriv|send|ring|sms)e?\s+(?:gerne\s+|også\s+|bare\s+)?"
    r"(?:en\s+(?:mail|e-?mail|sms|besked)\s+)?(?:til|på)\s+(?:(?:hende|ham)\s+)?)?"
    r"(?:på\s+)?(?:tlf\.?|mail|e-?mail|mobil)?\s*:?\s*)?$",
    re.IGNORECASE,
)

# -- institutions --------------------------------------------------------------------------
_UPPER = r"(?-i:[A-ZÆØÅ])"
# An institution, a department or a phone line, as one word: "dagplejekontoret",
# "Borgerservice", "Familiehuset", "skolen", "vagttelefonen". The second group only with a
# prefix ("lejrskoletelefon", not "telefon": "ring til hans telefon" is his).
_INST_WORDS = (
    r"kontor(?:et)?|afdeling(?:en)?|sekretariat(?:et)?|cent(?:er|ret|eret)|huset|skole(?:n)?|"
    r"bibliotek(?:et)?|børnehave(?:n)?|vuggestue(?:n)?|dagpleje(?:n)?|sfo(?:'en|en)?|"
    r"klub(?:ben)?|institution(?:en)?|kommune(?:n)?|omstilling(?:en)?|hovednummer(?:et)?|"
    r"vagten|hotline(?:n)?|rådgivning(?:en)?|team(?:et)?|forvaltning(?:en)?|visitation(?:en)?|"
    r"ledelse(?:n)?|administration(?:en)?|reception(?:en)?|klinik(?:ken)?|museet|hallen|stuen|"
    r"rådhuset|ppr"
)
_INST_SUFFIXES = (
    r"service|hus|telefon(?:en)?|linje(?:n)?|vagt|pleje(?:n)?|anvisning(?:en)?|enhed(?:en)?"
)
# A municipal department named as "X og Y": "Børn og Familie", "Social og Sundhed". Only
# department words, so "Mette og Lars" is never an institution.
_DEPT_WORD = (
    r"(?-i:Børn|Unge|Familie|Social|Sundhed|Ældre|Omsorg|Pleje|Teknik|Miljø|Kultur|Fritid|Job|"
    r"Arbejdsmarked|Beskæftigelse|Skole|Dagtilbud|Handicap|Psykiatri|Plan|Byg|Natur|Erhverv|"
    r"Udvikling|Borger|Service|Uddannelse|Læring|Trivsel|Ejendomme|Vej|Park|Forsyning)"
)
_DEPT = _DEPT_WORD + r"(?:,\s+" + _DEPT_WORD + r")*\s+(?:og|&)\s+" + _DEPT_WORD + r"\b"
_INST = rf"\b[\wæøå'-]*(?:{_INST_WORDS})\b|\b[\wæøå'-]+(?:{_INST_SUFFIXES})\b|\b{_DEPT}"
# "skolens", "kommunens", "Familiehusets"
_INST_GEN = rf"(?:\b[\wæøå'-]*(?:{_INST_WORDS})s\b|\b[\wæøå'-]+(?:{_INST_SUFFIXES})s\b)"
_INST_POSS = r"(?:\bvores|\bvor|" + _INST_GEN + r")"
_NAME_WORD = _UPPER + r"[\wæøå-]+"
# "Vejle Kommune", "Børnehuset Spiren", "Jobcenter Vejle"
_INST_NAME = r"(?:" + _NAME_WORD + r"\s+)?(?:" + _INST + r")(?:\s+" + _NAME_WORD + r"){0,2}"
_INST_OBJ = (
    r"(?P<obj>\bos|" + _INST_POSS + r"\s+(?:[\wæøå-]+\s+)?(?:" + _INST + r")|" + _INST_NAME + r")"
    r"(?:\s+(?:i|på|hos)\s+" + _INST_NAME + r")?"
)
_CONTACT_VERB = (
    r"(?:\bkontakt(?:e|er)?|"
    r"\bring(?:e|er)?\s+(?:gerne\s+|bare\s+|endelig\s+|også\s+)?(?:op\s+)?til|"
    r"\b(?:skriv|send|sms)(?:e|er)?\s+(?:gerne\s+|bare\s+|endelig\s+|også\s+)?"
    r"(?:en\s+(?:mail|e-?mail|sms|besked)\s+)?til|"
    r"\bhenvend(?:e)?\s+(?:dig|jer)\s+(?:gerne\s+|også\s+)?til|"
    r"\bspørgsmål\s+(?:[\wæøå]+\s+){0,3}?(?:kan\s+)?(?:rettes|sendes|stilles)\s+til|"
    r"\bfå\s+fat\s+i|\bfange)"
)
_HOURS = (
    r"(?:(?:mellem|fra)\s+kl\.?\s*\d[\d.:]*\s*(?:og|-|–|til)\s*\d[\d.:]*|"
    r"(?:på|alle)\s+hverdage|i\s+(?:telefon|åbnings)tiden)"
)
# "på", "på tlf.", ", tlf.:", "på mail", "via e-mail", or nothing ("lejrskoletelefon 29 …")
_NUMBER_BRIDGE = (
    r"(?:\s*,)?\s*(?:(?:på|via)\s+)?"
    r"(?:(?:tlf|telefon|telefonnummer|nummer(?:et)?|nr|mobil|sms|mail|e-?mail|mailadresse(?:n)?)"
    r"\.?\s*:?\s*)?(?:på\s+)?"
)
_INST_FRAME_RE = re.compile(
    _CONTACT_VERB
    + r"\s*:?\s+(?:gerne\s+|også\s+)?"
    + _INST_OBJ
    + r"(?:\s+"
    + _HOURS
    + r")?"
    + _NUMBER_BRIDGE
    + r"$"
    # "Borgerservice på tlf. …": an institution with a number label, no verb needed
    r"|(?P<label_obj>"
    + _INST_NAME
    + r")\s*,?\s*(?:på\s+)?(?:tlf|telefon|mail|e-?mail)\.?\s*:?\s*$",
    re.IGNORECASE,
)
# "ring på 72 33 41 90 mellem kl 10 og 14", "ring på 76 81 52 20 på hverdage": a number
# without a name is a switchboard when it has opening hours
_CALL_RE = re.compile(
    r"\bring(?:e|er)?\s+(?:gerne\s+|bare\s+|også\s+)?(?:på|til)\s+(?:(?:tlf|telefon|nummer)\.?\s*)?$",
    re.IGNORECASE,
)
_HOURS_AFTER_RE = re.compile(
    r"^\s*,?\s*(?:" + _HOURS + r"|kl\.?\s*\d|(?:man(?:dag)?|tirs(?:dag)?)\s*(?:-|–|til)\s*)",
    re.IGNORECASE,
)
# "skriv til familie@vejle.dk": an address on the municipality's own domain right after a
# contact verb, without anyone's name in between
_MAIL_FRAME_RE = re.compile(
    _CONTACT_VERB + r"\s*:?\s*(?:(?:på|via)\s+)?(?:(?:mail|e-?mail|mailadresse(?:n)?)\s*:?\s*)?$",
    re.IGNORECASE,
)
# A municipal mailbox that belongs to no one: "post", "sikkerpost", "borgerservice",
# "jobcenter", "familieafdelingen", "it-support"
_FUNCTIONAL_MAILBOX_RE = re.compile(
    r"(?:sikker|digital)?(?:post|mail)|kontakt|info|henvendelse\w*|raadhus\w*|radhus\w*|"
    r"borgerservice|jobcenter\w*|it-?support|servicedesk|support|hr|loen|presse|kommunikation|"
    r"[\w-]*(?:" + _INST_WORDS + r"|" + _INST_SUFFIXES + r")",
    re.IGNORECASE,
)
_MUNICIPAL_DOMAIN_RE = re.compile(
    r"(?:[\w-]+\.)*(?:vejle|sonderborg|soenderborg|aabenraa|hjoerring|hjorring|[\w-]*kommune)\.dk",
    re.IGNORECASE,
)

# -- places --------------------------------------------------------------------------------
_PLACE = r"(?P<place>os|" + _INST_NAME + r"|" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2})"
_PLACE_FRAME_RE = re.compile(
    # "finder du Familiehuset på", "finder I os nu på"
    r"\bfinder\s+(?:du|i|man)\s+(?:nu\s+|også\s+)?" + _PLACE + r"\s+(?:nu\s+|fremover\s+)?på\s+$"
    # "Biblioteket flytter til", "flytter Familiehuset den 1. juni til"
    r"|(?:\b" + _PLACE.replace("place", "subject") + r"\s+(?:flytter|er\s+flyttet|rykker)|"
    r"\b(?:flytter|rykker)\s+" + _PLACE.replace("place", "mover") + r")"
    r"\s+(?:[\wæøå.]+\s+){0,4}?(?:til|ind\s+på|ud\s+på)\s+$"
    # "holder til på", "vi mødes på", "mødes i år på", "foregår på", "adresse:"
    r"|\bholder\s+(?:nu\s+|fremover\s+)?til\s+på\s+$"
    r"|\bmødes\s+(?:vi\s+|i\s+|alle\s+)?(?:(?!hos\b)[\wæøå.]+\s+){0,2}?på\s+$"
    r"|\bforegår\s+(?:(?!hos\b)[\wæøå.]+\s+){0,3}?på\s+$"
    # "Familiehusets nye adresse er …", "Familiehuset, adresse: …" (not "min nye adresse:")
    r"|" + _INST_GEN + r"\s+(?:nye\s+)?adresse\s+(?:er\s*)?:?\s*$"
    r"|" + _INST_NAME + r"\s*[,:–—-]?\s*(?:nye?\s+)?adresse\s*:\s*$",
    re.IGNORECASE,
)
# The subject of a move is not a person: "Vi flytter til …", "Mor flytter til …" are private
_NOT_A_PLACE = frozenset(
    "vi jeg de han hun du i man min mit mine din dit dine hans hendes deres vores "
    "mor far mormor morfar farmor farfar bedstemor bedstefar søster bror onkel tante "
    "datter søn barnet fru hr familien borgeren".split()
)
# A street address in such a sentence is a home: "bor", "hjemme hos", "nøgleboksen"
_HOME_RE = re.compile(
    r"\b(?:privat\w*|hjemme\w*|bor|boede|borgeren\w*|familien\w*|nøgle\w*|besøg\w*|"
    r"uanmeldt\w*|hans|hendes)\b",
    re.IGNORECASE,
)
_INST_NAME_RE = re.compile(_INST_NAME, re.IGNORECASE)
_PRIVATE_RE = re.compile(r"\bprivat", re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[.!?\n]\s")

_LOOKBACK = 90
_AFTER = 80
_CONTACT_LABELS = frozenset({"PHONE", "EMAIL"})
_LABELS = frozenset({"PERSON", "PHONE", "EMAIL", "ADDRESS"})


def mark_official_contacts(doc: Document, detections: Sequence[Detection]) -> list[Detection]:
    """``detections`` with official contact persons, numbers and addresses marked public."""
    out = list(detections)
    if not any(d.label in _LABELS for d in out):
        return out
    text = doc.text
    # a citizen's message: "ring til os på …" is the citizen's family, an address is a home
    inbox = doc.memo.get("kind") == "inbox"
    last_contact_end = -1
    for i, det in enumerate(out):
        if det.attributes.get("public"):
            continue
        if det.label == "PERSON":
            if _FRAME_RE.search(_before(doc, det.start)) and not _declared_private(doc, det.end):
                out[i] = _public(det, "kontaktperson i en officiel meddelelse")
                last_contact_end = det.end
        elif det.label in _CONTACT_LABELS:
            between = text[last_contact_end : det.start] if last_contact_end >= 0 else None
            if (
                between is not None
                and len(between) <= 50
                and _BRIDGE_RE.match(between)
                and not _declared_private(doc, det.end)
            ):
                out[i] = _public(det, "kontaktpersonens nummer eller adresse")
                last_contact_end = det.end  # "tlf. … eller mail …"
            elif why := _institution_contact(doc, det, out, inbox):
                out[i] = _public(det, why)
                last_contact_end = det.end  # "ring til os på … eller skriv til …"
            else:
                last_contact_end = -1
        elif det.label == "ADDRESS" and not inbox and _official_address(doc, det, out):
            out[i] = _public(det, "institutionens adresse i en officiel meddelelse")
    return out


def _before(doc: Document, start: int) -> str:
    """The text of the detection's sentence before it (at most ``_LOOKBACK`` characters)."""
    sentence_start, _ = doc.sentence_of(start)
    before = doc.text[max(sentence_start, start - _LOOKBACK) : start]
    return before.rsplit("\n", 1)[-1]


def _after(doc: Document, end: int) -> str:
    """The text after a detection up to the end of its sentence (at most ``_AFTER``)."""
    rest = doc.text[end : end + _AFTER]
    m = _CLAUSE_END_RE.search(rest)
    return rest[: m.start()] if m else rest


def _declared_private(doc: Document, end: int) -> bool:
    """ "… på 22 41 87 63 – det er hendes private nummer": not official."""
    return "privat" in doc.lower[end : end + _AFTER] and bool(_PRIVATE_RE.search(_after(doc, end)))


def _institution_contact(
    doc: Document, det: Detection, detections: Sequence[Detection], inbox: bool
) -> str | None:
    """Why ``det`` (a PHONE or EMAIL) is an institution's contact, or ``None``."""
    before = _before(doc, det.start)
    if not before.strip() or _declared_private(doc, det.end):
        return None
    base = det.start - len(before)

    def names_someone(start: int) -> bool:
        """A private person between ``start`` and the detection: it is theirs."""
        return any(
            d.label == "PERSON" and not d.attributes.get("public") and start < d.end
            for d in detections
            if d.start < det.start
        )

    m = _INST_FRAME_RE.search(before)
    # the frame names no one: "ring til Familiehuset Mikkel på …" is Mikkel's
    if (
        m
        and not (inbox and (m.group("obj") or "").lower() == "os")
        and not names_someone(base + m.start())
    ):
        return "institutionens nummer eller adresse i en officiel meddelelse"
    if (
        det.label == "PHONE"
        and not inbox
        and _CALL_RE.search(before)
        and _HOURS_AFTER_RE.match(_after(doc, det.end))
    ):
        return "institutionens telefontid i en officiel meddelelse"
    if det.label == "EMAIL":
        local, _, domain = doc.text[det.start : det.end].partition("@")
        domain = str(det.attributes.get("domain", "")) or domain
        if _MUNICIPAL_DOMAIN_RE.fullmatch(domain):
            # "sikkerpost@hjoerring.dk", "borgerservice@vejle.dk": nobody's own mailbox
            if _FUNCTIONAL_MAILBOX_RE.fullmatch(local):
                return "kommunens fælles postkasse"
            # "ring til Sofie på … eller skriv til sofie@vejle.dk" is still Sofie's
            if _MAIL_FRAME_RE.search(before) and not names_someone(base):
                return "kommunens egen e-mailadresse i en officiel meddelelse"
    return None


def _official_address(doc: Document, det: Detection, detections: Sequence[Detection]) -> bool:
    """An institution's address: "finder du Familiehuset på …", "Biblioteket flytter til …"."""
    before = _before(doc, det.start)
    m = _PLACE_FRAME_RE.search(before)
    if m is None:
        return False
    sentence_start, sentence_end = doc.sentence_of(det.start)
    # no one's name, CPR number or home in the sentence: "Navn: …, adresse: …" is a person's
    if any(
        d.label in ("PERSON", "CPR")
        and not d.attributes.get("public")
        and d.start < sentence_end
        and sentence_start < d.end
        for d in detections
    ):
        return False
    if _HOME_RE.search(doc.text[sentence_start:sentence_end]):
        return False
    for group in ("place", "subject", "mover"):
        name = m.group(group)
        if name is None:
            continue
        first = name.split()[0].lower()
        if first in _NOT_A_PLACE:
            return False
        # a capitalised word that begins the sentence may be anyone ("Sofie flytter til")
        name_start = det.start - len(before) + m.start(group)
        if not _INST_NAME_RE.fullmatch(name) and doc.is_sentence_start(name_start):
            return False
    return True


def _public(det: Detection, why: str) -> Detection:
    attrs = {**det.attributes, "public": True, "official_contact": True}
    explanation = f"{det.explanation}; {why}" if det.explanation else why
    return replace(det, attributes=attrs, explanation=explanation)
