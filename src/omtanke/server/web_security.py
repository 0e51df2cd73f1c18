"""Log-in cookie and CSRF protection for the web UI.

**Log-in.** The user pastes the token made by ``omtanke users add``; it is kept in the
HttpOnly, SameSite=Strict cookie ``omtanke_token`` (``Secure`` over HTTPS). The token itself
is never put in a page, a URL or a log.

**CSRF.** Three layers, each enough on its own against a plain cross-site form post:

1. The cookies are ``SameSite=Strict``: a browser does not send them with a request that
   another site starts, so a forged request arrives logged out.
2. Every form that changes something carries a token: an HMAC of the current log-in token
   (empty when logged out), keyed with a random per-browser nonce kept in the HttpOnly,
   SameSite=Strict cookie ``omtanke_csrf`` (the *signed double-submit* pattern). Another
   site can neither read the nonce nor compute the HMAC; and a nonce cookie planted from a
   sibling domain does not help without the victim's log-in token, to which the form token
   is bound.
3. A request whose ``Origin`` header names another host than the one it was sent to is
   refused (browsers send ``Origin`` with every form POST).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from .auth import COOKIE_NAME, token_from_request

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "clear_login_cookie",
    "csrf_valid",
    "ensure_csrf_cookie",
    "form_csrf_token",
    "safe_next",
    "same_origin",
    "set_login_cookie",
]

CSRF_COOKIE = "omtanke_csrf"
CSRF_FIELD = "csrf_token"
_NONCE_STATE = "omtanke_csrf_nonce"
#: A log-in lasts a working day; log in again the next day.
LOGIN_MAX_AGE_S = 12 * 3600


def _nonce(request: Request) -> str:
    """This browser's CSRF nonce: from the cookie, or a new one for this response."""
    state = request.scope.setdefault("state", {})
    nonce = state.get(_NONCE_STATE)
    if isinstance(nonce, str):
        return nonce
    cookie = request.cookies.get(CSRF_COOKIE, "")
    nonce = cookie if 20 <= len(cookie) <= 100 and cookie.isascii() else secrets.token_urlsafe(32)
    state[_NONCE_STATE] = nonce
    return nonce


def _sign(nonce: str, login_token: str) -> str:
    return hmac.new(
        nonce.encode("ascii"), b"omtanke-csrf\x00" + login_token.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def form_csrf_token(request: Request) -> str:
    """The token to put in the forms of this page (bound to the browser and the log-in)."""
    return _sign(_nonce(request), token_from_request(request) or "")


def ensure_csrf_cookie(request: Request, response: Response) -> None:
    """Set the nonce cookie if the browser does not have it yet (call on every page)."""
    nonce = _nonce(request)
    if request.cookies.get(CSRF_COOKIE) != nonce:
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


def same_origin(request: Request) -> bool:
    """False if the ``Origin`` header names another host (or is ``null``)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def csrf_valid(request: Request, submitted: str | None) -> bool:
    """Whether a form post is genuine: same origin, and the form token matches."""
    if not same_origin(request):
        return False
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted:
        return False
    expected = _sign(cookie, token_from_request(request) or "")
    return hmac.compare_digest(expected, submitted.strip())


def set_login_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=LOGIN_MAX_AGE_S,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_login_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go to after logging in; anything else (another site) gives ``default``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in value):
        return default
    return value
