"""The simulator's minimal HTTP layer over raw ASGI: one request object, one response type.

Kept deliberately thin (no framework routing) because the collection upsert path must sustain
hundreds of requests per second on a small machine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from . import jsonio
from .api_errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
JSON_TYPE = b"application/json;charset=UTF-8"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    origin: str
    version: str = ""
    user_id: str = ""

    def json(self) -> Any:
        if not self.body:
            raise ApiError(400, "JSON_PARSER_ERROR", "The request body is empty.")
        try:
            return jsonio.loads(self.body)
        except jsonio.JSONDecodeError as exc:
            raise ApiError(400, "JSON_PARSER_ERROR", f"Unexpected character: {exc}") from None


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: bytes = JSON_TYPE
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)

    @classmethod
    def json(cls, status: int, value: Any) -> Response:
        return cls(status, jsonio.dumps(value))

    @classmethod
    def error(cls, error: ApiError) -> Response:
        return cls(error.status, jsonio.dumps(error.body()))


async def read_request(scope: Scope, receive: Receive) -> Request:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    raw_query = scope.get("query_string", b"").decode("latin-1")
    query = dict(parse_qsl(raw_query, keep_blank_values=True)) if raw_query else {}
    host = headers.get("host") or "{}:{}".format(*(scope.get("server") or ("127.0.0.1", 443)))
    origin = f"{scope.get('scheme', 'https')}://{host}"
    return Request(scope["method"], scope["path"], query, headers, b"".join(chunks), origin)


async def send_response(send: Send, response: Response) -> None:
    headers = [(b"content-type", response.content_type),
               (b"content-length", str(len(response.body)).encode())]
    headers.extend(response.headers)
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
