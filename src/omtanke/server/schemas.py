"""Request and response models of the API: the OpenAPI schema at ``/openapi.json``.

Requests are validated by these models (unknown fields are refused). Responses are built by
the engine and the register (``Report.to_dict()`` is the output contract of SPEC.md) and sent
as they are; the response models here describe them for the schema, and the schemathesis
test checks that every response matches.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .errors import SafeValueError

__all__ = [
    "ActionModel",
    "AnswerResponse",
    "AssignRequest",
    "AuditModel",
    "CheckForm",
    "CheckRequest",
    "CheckResponse",
    "CitationModel",
    "ComparisonResponse",
    "ComplaintList",
    "ComplaintModel",
    "EntityModel",
    "ErrorResponse",
    "EscalationList",
    "EscalationModel",
    "FindingModel",
    "HealthResponse",
    "PolicyList",
    "PolicyModel",
    "RecordResponse",
    "RegisterRequest",
    "RegisterResponse",
    "RegisteredModel",
    "RuleDetail",
    "RuleList",
    "RuleSummary",
    "SpanModel",
    "StatusRequest",
    "TopicList",
    "TriageRequest",
    "TriageResponse",
]

LevelName = Literal["ok", "advice", "warning", "stop"]


def _valid_text(value: str) -> str:
    """Refuse lone surrogates (not Unicode text; they cannot even be sent back as UTF-8)
    and NUL characters (binary data)."""
    if "\x00" in value:
        raise SafeValueError("indeholder binære data (NUL-tegn)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SafeValueError("er ikke gyldig Unicode-tekst") from None
    return value


Text = Annotated[str, AfterValidator(_valid_text)]


def _short(max_length: int, description: str, examples: list[Any]) -> Any:
    return Field(max_length=max_length, description=description, examples=examples)


# -- requests ------------------------------------------------------------------------------


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckRequest(_Request):
    """A post to check, and where it will be published."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Sikke en dag på stuen 😩 Mikkel fra Bjørnegruppen kastede op "
                    "hele formiddagen",
                    "municipality": "vejle",
                    "channel": "private_profile",
                },
                {
                    "text": "Ring til Birthe på 22 87 44 10, hvis I har spørgsmål.",
                    "municipality": "hjoerring",
                    "channel": "official_page",
                    "role": "kommunikation",
                    "public_event": False,
                },
            ]
        },
    )

    text: Text = Field(
        description="Opslaget (højst `max_chars` tegn, standard 50.000). Logges aldrig.",
        examples=["Sikke en dag på stuen 😩 Mikkel fra Bjørnegruppen kastede op"],
    )
    municipality: Text = _short(
        100,
        "Kommunens regelpakke: aabenraa, soenderborg, vejle (paddehatten), hjoerring; "
        "danske stavemåder virker også (Hjørring, Sønderborg Kommune).",
        ["vejle"],
    )
    channel: Text = Field(
        default="private_profile",
        max_length=40,
        description="Hvor opslaget offentliggøres: private_profile, work_profile, official_page.",
        examples=["private_profile"],
    )
    role: Text | None = Field(
        default=None,
        max_length=40,
        description="Medarbejderens rolle: paedagog, laerer, sagsbehandler, sosu, leder, "
        "kommunikation, folkevalgt, it, andet.",
        examples=["paedagog"],
    )
    public_event: bool = Field(
        default=False,
        description="Opslaget er fra et offentligt kommunalt arrangement (mildere foto-regler).",
    )


class CheckForm(BaseModel):
    """``POST /v1/check`` as ``multipart/form-data``: the same fields, and photos."""

    text: str = Field(default="", description="Opslaget; må være tomt, når der er billeder.")
    municipality: str
    channel: str = "private_profile"
    role: str | None = None
    public_event: bool = False
    ocr: bool = Field(default=True, description="Læs tekst i billederne (Tesseract, dansk).")
    images: list[bytes] = Field(
        default_factory=list,
        description="Billeder (JPEG eller PNG), højst 10.",
        json_schema_extra={"items": {"type": "string", "format": "binary"}},
    )


class TriageRequest(_Request):
    """A citizen's message or comment, and where it arrived."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Det er simpelthen for dårligt, at min hjemmehjælp ikke er kommet "
                    "i 3 dage. Ring på 98 12 34 56",
                    "municipality": "hjoerring",
                    "channel": "official_page",
                    "received_at": "2026-11-22T21:15:00+01:00",
                }
            ]
        },
    )

    text: Text = Field(description="Beskeden (højst `max_chars` tegn). Logges aldrig.")
    municipality: Text = _short(100, "Kommunens regelpakke (som ved /v1/check).", ["hjoerring"])
    channel: Text = Field(
        default="official_page",
        max_length=40,
        description="Hvor beskeden kom: official_page, work_profile, private_profile.",
    )
    received_at: datetime | None = Field(
        default=None,
        description="Hvornår beskeden kom (ISO 8601). Uden for arbejdstid giver det råd om "
        "fritid; med tidszone bruges det også som modtagelsestidspunkt i registret.",
    )


class RegisterRequest(TriageRequest):
    """A citizen's message to triage and register (complaint and/or escalations)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Jeg vil klage over, at ingen har svaret på min ansøgning i to "
                    "måneder. Mit CPR-nummer er 010190-1234",
                    "municipality": "hjoerring",
                    "channel": "official_page",
                    "source_url": "https://www.facebook.com/hjoerringkommune/posts/1?comment_id=2",
                }
            ]
        },
    )

    source_url: Text | None = Field(
        default=None,
        max_length=2000,
        description="Link til kommentaren eller beskeden (samme link og tekst registreres "
        "kun én gang).",
    )


class StatusRequest(_Request):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "under behandling", "note": "ringet op"}]},
    )

    status: Text = _short(
        40,
        "Ny status: modtaget, under behandling, besvaret, videresendt, lukket "
        "(se docs/REGISTER.md for de tilladte skift).",
        ["under behandling"],
    )
    note: Text | None = Field(
        default=None,
        max_length=2000,
        description="Et notat til revisionssporet (ingen personoplysninger: CPR-numre og "
        "e-mailadresser afvises).",
    )


class AssignRequest(_Request):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"assignee": "Mette Holm"}]}
    )

    assignee: Text | None = Field(
        max_length=200, description="Sagsbehandleren; null fjerner tildelingen."
    )


# -- responses: the check and triage contract ----------------------------------------------


class SpanModel(BaseModel):
    start: int = Field(description="Første tegn (Unicode-kodepunkt i den oprindelige tekst).")
    end: int = Field(description="Tegnet efter det sidste (eksklusiv).")
    label: str
    text: str


class CitationModel(BaseModel):
    source: str = Field(description="Retningslinjen (pakke-id) eller 'law'.")
    section: str
    quote: str
    url: str | None = None


class ImageRefModel(BaseModel):
    """Which image a finding is about (docs/IMAGES.md)."""

    index: int = Field(description="Billedets nummer i forespørgslen (fra 0).")
    name: str
    source: str = Field(
        description="image (ansigter, metadata), ocr (tekst læst i billedet) eller metadata."
    )
    boxes: list[list[int]] = Field(description="Felter [x, y, bredde, højde] i pixels.")
    labels: list[str] = Field(default_factory=list)


class FindingModel(BaseModel):
    rule: str
    category: str
    severity: LevelName
    message: str
    advice: str
    spans: list[SpanModel]
    citations: list[CitationModel]
    image: ImageRefModel | None = Field(
        default=None, description="Kun med, når fundet gælder et billede."
    )


class EntityModel(BaseModel):
    start: int
    end: int
    label: str = Field(description="PERSON, CPR, PHONE, EMAIL eller ADDRESS.")
    text: str
    score: float
    public: bool = Field(default=False, description="Kun med, når personen er offentlig kendt.")


class ImageFaceModel(BaseModel):
    box: list[int]
    size: float = Field(description="Ansigtets bredde i forhold til billedets korte side.")
    identifiable: bool
    closeup: bool
    score: float


class GpsModel(BaseModel):
    latitude: float
    longitude: float


class ImageMetadataModel(BaseModel):
    people: list[str]
    places: list[str]
    timestamps: list[str]
    fields: list[str]
    text: str
    entities: list[EntityModel]


class ImageOcrModel(BaseModel):
    status: str = Field(description="ok, off, unavailable, failed eller timeout.")
    language: str | None
    text: str
    entities: list[EntityModel]


class ImageSummaryModel(BaseModel):
    """What was found in one image (only when images were sent)."""

    index: int
    name: str
    format: str
    width: int
    height: int
    faces: list[ImageFaceModel]
    gps: GpsModel | None
    metadata: ImageMetadataModel
    ocr: ImageOcrModel


class PolicyRefModel(BaseModel):
    id: str
    version: str


class CheckResponse(BaseModel):
    """The output contract of SPEC.md (``Report.to_dict()``)."""

    verdict: LevelName
    findings: list[FindingModel]
    entities: list[EntityModel]
    rewrite: str = Field(description="Forslag med personoplysninger erstattet.")
    policy: PolicyRefModel
    images: list[ImageSummaryModel] = Field(
        default_factory=list, description="Kun med, når der blev sendt billeder."
    )
    notices: list[str] = Field(
        default_factory=list,
        description="Oplysninger om selve tjekket (fx at OCR ikke er installeret); kun med "
        "billeder.",
    )


class ActionModel(BaseModel):
    id: str
    category: str
    title: str
    steps: str
    citations: list[CitationModel]


class TriageResponse(BaseModel):
    categories: list[
        Literal[
            "complaint",
            "personal_data",
            "case_request",
            "harassment",
            "threat",
            "child_welfare",
            "question",
        ]
    ]
    verdict: LevelName
    actions: list[ActionModel]
    reply: str = Field(description="Svarforslag, kun bygget af skabeloner.")
    entities: list[EntityModel]
    findings: list[FindingModel]
    policy: PolicyRefModel


# -- responses: the register ---------------------------------------------------------------

StatusName = Literal["modtaget", "under behandling", "besvaret", "videresendt", "lukket"]


class ComplaintModel(BaseModel):
    reference: str = Field(examples=["HJO-2026-00042"])
    municipality: str
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    channel: str
    source_url: str | None
    masked_text: str = Field(description="Teksten med personoplysninger maskeret.")
    text_hash: str = Field(description="HMAC-SHA-256 af den oprindelige tekst (registrets salt).")
    categories: list[str]
    deadline: date
    status: StatusName
    assignee: str | None
    overdue: bool


class EscalationModel(BaseModel):
    reference: str = Field(examples=["HJO-2026-E00007"])
    municipality: str
    kind: Literal["harassment", "threat", "child_welfare"]
    received_at: datetime
    registered_at: datetime
    updated_at: datetime
    channel: str
    source_url: str | None
    masked_text: str
    evidence_hash: str
    categories: list[str]
    status: StatusName
    assignee: str | None


class ComplaintList(BaseModel):
    count: int
    items: list[ComplaintModel]


class EscalationList(BaseModel):
    count: int
    items: list[EscalationModel]


class AuditModel(BaseModel):
    at: datetime
    actor: str
    action: str = Field(description="oprettet, status eller tildelt.")
    reference: str
    old_value: str | None
    new_value: str | None
    note: str | None


class RecordResponse(BaseModel):
    type: Literal["complaint", "escalation"]
    record: ComplaintModel | EscalationModel
    audit: list[AuditModel] = Field(description="Revisionssporet, ældste først.")


class RegisteredModel(BaseModel):
    type: Literal["complaint", "escalation"]
    reference: str
    deadline: date | None = Field(default=None, description="Kun for klager.")
    kind: Literal["harassment", "threat", "child_welfare"] | None = Field(
        default=None, description="Kun for eskaleringer."
    )
    duplicate: bool = Field(description="Beskeden var allerede registreret (samme link og tekst).")


class RegisterResponse(BaseModel):
    triage: TriageResponse
    registered: list[RegisteredModel] = Field(
        description="Det registrerede; tom, når beskeden hverken er en klage eller skal eskaleres."
    )


# -- responses: rules, policies, health ----------------------------------------------------


class RuleSummary(BaseModel):
    id: str = Field(examples=["vejle.tavshedspligt"])
    pack: str
    name: str
    category: str
    kind: str = Field(description="detector, lexicon, pattern eller conditional.")
    severity: dict[str, LevelName | None] = Field(
        description="Alvor pr. kanal; null: reglen gælder ikke i kanalen."
    )
    message: str
    advice: str
    citations: list[CitationModel]


class ExampleSpanModel(BaseModel):
    start: int
    end: int
    text: str


class ExampleModel(BaseModel):
    text: str
    spans: list[ExampleSpanModel] = Field(
        description="Hvor reglen skal slå ud (kun i dårlige eksempler)."
    )
    channel: str | None


class ConditionModel(BaseModel):
    channels: list[str]
    roles: list[str]
    kinds: list[str]
    public_event: bool | None


class RuleDetail(RuleSummary):
    description: str
    why: str
    instead: str
    replaces: str | None
    applies_when: ConditionModel
    bad_examples: list[ExampleModel]
    good_examples: list[ExampleModel]


class RuleList(BaseModel):
    count: int
    rules: list[RuleSummary]


class CoverageModel(BaseModel):
    rules: list[str] = Field(description="Reglerne, der håndhæver afsnittet.")
    advice_only: str | None = Field(description="Hvorfor afsnittet kun er et råd, ellers null.")


class SectionModel(BaseModel):
    id: str
    title: str
    anchor: str = Field(description="Afsnittets første sætning i retningslinjen.")
    coverage: CoverageModel | None


class PolicyModel(BaseModel):
    id: str = Field(examples=["vejle"])
    name: str
    version: str
    extends: str | None
    url: str | None
    aliases: list[str]
    rule_count: int
    sections: list[SectionModel]


class PolicyList(BaseModel):
    count: int
    policies: list[PolicyModel]


class HealthResponse(BaseModel):
    status: Literal["ok"]
    version: str
    municipalities: dict[str, str] = Field(description="Pakke-id → navn.")


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid_context"])
    message: str = Field(description="Dansk; indeholder aldrig teksten, der blev tjekket.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


# -- responses: guidance (ask, compare) ----------------------------------------------------


class PassageModel(BaseModel):
    municipality: str
    municipality_name: str
    law: bool = Field(description="true for loven (basispakken).")
    section: str
    section_title: str
    heading: str
    quote: str = Field(description="Ordret fra retningslinjen.")
    start: int
    end: int
    score: float
    rules: list[str] = Field(description="Reglerne, der håndhæver afsnittet.")
    advice_only: str
    sections: list[str]


class QueryTermModel(BaseModel):
    word: str
    searched: list[str]
    correction: str | None
    compound_of: str | None
    found: bool


class AnswerResponse(BaseModel):
    question: str
    municipality: str | None
    municipality_name: str | None
    covered: bool = Field(description="false: retningslinjerne dækker ikke spørgsmålet.")
    message: str
    confidence: float
    passages: list[PassageModel]
    terms: list[QueryTermModel]


class TopicModel(BaseModel):
    id: str = Field(examples=["billeder"])
    label: str
    aliases: list[str]


class TopicList(BaseModel):
    count: int
    topics: list[TopicModel]


class PositionModel(BaseModel):
    municipality: str
    name: str
    silent: bool = Field(description="true: retningslinjen siger intet om emnet.")
    passages: list[PassageModel]


class ComparisonResponse(BaseModel):
    topic: TopicModel
    municipalities: list[PositionModel]
    law: list[PassageModel]
