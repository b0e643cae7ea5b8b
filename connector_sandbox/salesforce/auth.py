"""Sessions and the three login flows simple-salesforce uses.

* SOAP ``login()`` (``POST /services/Soap/u/{version}``): a ``LoginResult`` whose ``serverUrl``
  points back at this server, or a ``LoginFault`` (HTTP 500) on bad credentials.
* OAuth 2.0 ``POST /services/oauth2/token``: JWT bearer (RS256 checked against the connected
  app's key; ``exp`` may be a string, as simple-salesforce sends it), client credentials (HTTP
  Basic or form fields) and the username-password grant. Errors are ``{error, error_description}``.
* Sessions expire after ``session_ttl_s`` on the simulator's clock, or all at once
  (``expire_all``), so clients see ``401 INVALID_SESSION_ID`` and re-login.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .config import RuntimeSettings, SalesforceSimConfig

_AUDIENCE_SUFFIX = ".salesforce.com"
_FAULT_TEMPLATE = (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:sf="urn:fault.partner.soap.sforce.com" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>'
    "<faultcode>sf:{code}</faultcode><faultstring>{code}: {message}</faultstring><detail>"
    '<sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>{code}</sf:exceptionCode>'
    "<sf:exceptionMessage>{message}</sf:exceptionMessage></sf:LoginFault></detail>"
    "</soapenv:Fault></soapenv:Body></soapenv:Envelope>")


def generate_key_pair() -> tuple[str, str]:
    """A fresh RSA-2048 key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()


@dataclass(frozen=True)
class Session:
    token: str
    user_id: str
    issued_at: datetime


class SessionStore:
    def __init__(self, clock: Callable[[], datetime], settings: RuntimeSettings) -> None:
        self.clock = clock
        self.settings = settings
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    def issue(self, org_id: str, user_id: str) -> str:
        token = f"{org_id[:15]}!{secrets.token_urlsafe(72)}"
        with self._lock:
            self._sessions[token] = Session(token, user_id, self.clock())
        return token

    def check(self, token: str) -> Session | None:
        with self._lock:
            session = self._sessions.get(token)
        if session is None:
            return None
        age = (self.clock() - session.issued_at).total_seconds()
        if age > self.settings.session_ttl_s:
            with self._lock:
                self._sessions.pop(token, None)
            return None
        return session

    def expire_all(self) -> int:
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
        return count

    def __len__(self) -> int:
        return len(self._sessions)


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.body = {"error": error, "error_description": description}
        self.status = status


class Authenticator:
    def __init__(self, config: SalesforceSimConfig, sessions: SessionStore,
                 public_key_pem: str, identity: Callable[[], tuple[str, str]]) -> None:
        self.config = config
        self.sessions = sessions
        self.public_key_pem = public_key_pem
        self.identity = identity  # () -> (org_id, integration user id)

    # -- SOAP -----------------------------------------------------------------------------
    def soap_login(self, body: bytes, origin: str, version: str) -> tuple[int, bytes]:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return 500, self._fault("INVALID_LOGIN", "Unable to parse the login request")
        found = {el.tag.rsplit("}", 1)[-1]: (el.text or "") for el in root.iter()}
        expected = self.config.password + self.config.security_token
        if found.get("username") != self.config.username or found.get("password") != expected:
            return 500, self._fault(
                "INVALID_LOGIN", "Invalid username, password, security token; or user locked out.")
        org_id, user_id = self.identity()
        token = self.sessions.issue(org_id, user_id)
        return 200, self._login_result(origin, version, org_id, user_id, token)

    @staticmethod
    def _fault(code: str, message: str) -> bytes:
        return _FAULT_TEMPLATE.format(code=code, message=escape(message)).encode()

    def _login_result(self, origin: str, version: str, org_id: str, user_id: str,
                      token: str) -> bytes:
        e = escape
        ttl = int(self.sessions.settings.session_ttl_s)
        return (
            '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
            'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns="urn:partner.soap.sforce.com" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
            "<loginResponse><result>"
            f"<metadataServerUrl>{e(origin)}/services/Soap/m/{e(version)}/{org_id}"
            "</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>true</sandbox>"
            f"<serverUrl>{e(origin)}/services/Soap/u/{e(version)}/{org_id}</serverUrl>"
            f"<sessionId>{e(token)}</sessionId><userId>{user_id}</userId><userInfo>"
            "<currencySymbol>$</currencySymbol><orgDefaultCurrencyIsoCode>USD"
            "</orgDefaultCurrencyIsoCode><organizationId>"
            f"{org_id}</organizationId><organizationMultiCurrency>false"
            f"</organizationMultiCurrency><organizationName>{e(self.config.org_name)}"
            f"</organizationName><sessionSecondsValid>{ttl}</sessionSecondsValid>"
            f"<userEmail>{e(self.config.username)}</userEmail><userFullName>Integration User"
            f"</userFullName><userId>{user_id}</userId><userLanguage>en_US</userLanguage>"
            f"<userLocale>en_US</userLocale><userName>{e(self.config.username)}</userName>"
            "<userTimeZone>America/Los_Angeles</userTimeZone><userType>Standard</userType>"
            "</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>").encode()

    # -- OAuth ----------------------------------------------------------------------------
    def oauth_token(self, form: Mapping[str, str], authorization: str | None,
                    origin: str) -> tuple[int, dict[str, Any]]:
        try:
            grant = form.get("grant_type", "")
            if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
                self._check_jwt(form.get("assertion", ""))
            elif grant == "client_credentials":
                self._check_client(form, authorization)
            elif grant == "password":
                self._check_client(form, authorization)
                password = form.get("password", "")
                if form.get("username") != self.config.username or password not in (
                        self.config.password, self.config.password + self.config.security_token):
                    raise OAuthError("invalid_grant", "authentication failure")
            else:
                raise OAuthError("unsupported_grant_type", "grant type not supported")
        except OAuthError as error:
            return error.status, error.body
        org_id, user_id = self.identity()
        token = self.sessions.issue(org_id, user_id)
        body: dict[str, Any] = {
            "access_token": token, "scope": "api", "instance_url": origin,
            "id": f"{origin}/id/{org_id}/{user_id}", "token_type": "Bearer",
            "issued_at": str(int(time.time() * 1000)),
        }
        if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            body["signature"] = base64.b64encode(secrets.token_bytes(32)).decode()
        return 200, body

    def _check_client(self, form: Mapping[str, str], authorization: str | None) -> None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError("invalid_client", "invalid client credentials") from None
            client_id, _, secret = decoded.partition(":")
        if client_id != self.config.consumer_key:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        if secret != self.config.client_secret:
            raise OAuthError("invalid_client", "invalid client credentials")

    def _check_jwt(self, assertion: str) -> None:
        try:
            claims = jwt.decode(assertion, self.public_key_pem, algorithms=["RS256"],
                                options={"verify_exp": False, "verify_aud": False,
                                         "verify_iss": False, "verify_iat": False,
                                         "verify_nbf": False})
        except jwt.PyJWTError:
            raise OAuthError("invalid_grant", "invalid assertion") from None
        if claims.get("iss") != self.config.consumer_key:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        audience = str(claims.get("aud", ""))
        host = audience.removeprefix("https://")
        if not audience.startswith("https://") or not host.endswith(_AUDIENCE_SUFFIX) \
                or "/" in host:
            raise OAuthError("invalid_grant", "audience is invalid")
        if claims.get("sub") != self.config.username:
            raise OAuthError("invalid_grant", "user hasn't approved this consumer")
        try:
            expires = float(claims["exp"])
        except (KeyError, TypeError, ValueError):
            raise OAuthError("invalid_grant", "invalid assertion") from None
        if expires < time.time() - 5:  # the client signs with wall-clock time
            raise OAuthError("invalid_grant", "expired authorization code")
