"""Exceptions raised by Omtanke.

The tree::

    OmtankeError                 every error Omtanke raises on purpose
    ├── InputError               the text or file to check cannot be used
    │   ├── EmptyTextError       nothing to check
    │   ├── TextTooLongError     over the configured limit (default 50,000 characters)
    │   ├── EncodingError        not valid UTF-8, or a binary file
    │   ├── ImageError           an image cannot be used (named by its file name)
    │   │   ├── NotAnImageError      not a JPEG or PNG image (or an unsupported format)
    │   │   ├── ImageTooLargeError   over the size, dimension or pixel limits (bombs)
    │   │   ├── BrokenImageError     truncated or damaged image data
    │   │   └── ImageMetadataError   EXIF, XMP or IPTC metadata that cannot be read
    │   └── QuestionError        a question or topic for guidance (ask, compare) that cannot
    │                            be used: empty, too long, or an unknown topic
    ├── ContextError             unknown municipality, channel or role
    └── PackError                a policy pack cannot be loaded
        └── PackValidationError  one or more problems, each with file:line and what to fix

Messages are Danish, for the user, and never contain the text being checked: that text may
hold CPR numbers or health data. Only sizes, line numbers and identifiers appear. Image
errors name the image by the file name the user gave, never by what it shows or says.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BrokenImageError",
    "ContextError",
    "EmptyTextError",
    "EncodingError",
    "ImageError",
    "ImageMetadataError",
    "ImageTooLargeError",
    "InputError",
    "NotAnImageError",
    "OmtankeError",
    "PackError",
    "PackProblem",
    "PackValidationError",
    "QuestionError",
    "TextTooLongError",
]


class OmtankeError(Exception):
    """Base class of every error Omtanke raises on purpose."""


class InputError(OmtankeError):
    """The text or file to check cannot be used."""


class EmptyTextError(InputError):
    def __init__(self) -> None:
        super().__init__("Teksten er tom. Skriv eller indsæt det opslag, der skal tjekkes.")


class TextTooLongError(InputError):
    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            f"Teksten er for lang ({length:,} tegn; grænsen er {limit:,}). "
            "Del den op, eller hæv grænsen med --max-chars.".replace(",", ".")
        )


class EncodingError(InputError):
    def __init__(self, where: str = "Input") -> None:
        super().__init__(
            f"{where} er ikke gyldig UTF-8-tekst (måske en binær fil). "
            "Gem teksten som UTF-8 og prøv igen."
        )


def _image_name(name: str) -> str:
    """A file name fit for a message: no control characters, not absurdly long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name).strip() or "billedet"
    return clean if len(clean) <= 80 else clean[:77] + "…"


class ImageError(InputError):
    """An image cannot be used. ``name`` is the file name the user gave."""

    def __init__(self, name: str, message: str) -> None:
        self.name = _image_name(name)
        super().__init__(message.format(name=self.name))


class NotAnImageError(ImageError):
    def __init__(self, name: str, found: str | None = None) -> None:
        self.found = found
        if found:
            message = (
                f"Filen '{{name}}' er et {found}-billede. Omtanke kan læse JPEG og PNG; "
                "gem billedet som JPEG eller PNG, og prøv igen."
            )
        else:
            message = "Filen '{name}' er ikke et billede, Omtanke kan læse (JPEG eller PNG)."
        super().__init__(name, message)


class ImageTooLargeError(ImageError):
    def __init__(self, name: str, reason: str) -> None:
        self.reason = reason
        super().__init__(
            name,
            f"Billedet '{{name}}' er for stort: {reason}. Gør billedet mindre (fx 4000 pixels "
            "på den længste led), og prøv igen.",
        )


class BrokenImageError(ImageError):
    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            "Billedet '{name}' er ufuldstændigt eller beskadiget og kan ikke læses. "
            "Gem eller eksportér billedet igen, og prøv igen.",
        )


class ImageMetadataError(ImageError):
    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            "Metadata (EXIF, XMP eller IPTC) i billedet '{name}' er beskadigede, så Omtanke "
            "kan ikke se, om de afslører fx hvor billedet er taget, eller hvem der er på det. "
            "Lav en renset kopi med 'omtanke redact-image', og tjek kopien i stedet.",
        )


class QuestionError(InputError):
    """A question for the guidelines, or a topic to compare, that cannot be used.

    ``reason`` says which: ``"empty"``, ``"too_long"``, ``"unknown_topic"`` or ``"limit"``
    (the number of passages asked for is out of range).
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class ContextError(OmtankeError):
    """Unknown municipality, channel or role."""


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One problem in a policy pack: where it is and what to do about it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PackError(OmtankeError):
    """A policy pack cannot be loaded."""


class PackValidationError(PackError):
    def __init__(self, problems: list[PackProblem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"Regelpakken har {len(problems)} fejl:\n{lines}")
