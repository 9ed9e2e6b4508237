"""Local emulators of the messaging-platform HTTP APIs used by the chatbot's adapters.

No machine here reaches Telegram or Zalo, so the adapters' tests point the real clients
(python-telegram-bot's ``Bot``, our httpx-based Zalo clients) at these servers instead.

Three emulators, each a Starlette app served by uvicorn in a background thread on 127.0.0.1 and a
free port, usable from synchronous and asynchronous tests alike:

* :class:`TelegramEmulator`  - Telegram Bot API, ``/bot<token>/<method>``.
* :class:`ZaloOAEmulator`    - Zalo Official Account Open API v3 plus the OAuth v4 token endpoint.
* :class:`ZaloBotEmulator`   - Zalo Bot Platform, ``/bot<token>/<method>``.

Every emulator records each API call (:class:`RecordedCall`), can be told to fail the next calls
of a method (:meth:`fail_next`) or to answer slowly (:meth:`slow_next`), and builds realistic
inbound updates/events that tests either queue for polling or POST to the adapter's webhook.

Wire details that public sources disagree on are marked "unconfirmed" below; they are kept in
constructor arguments or module constants rather than buried in the handlers.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

__all__ = [
    "RecordedCall",
    "TelegramEmulator",
    "ZaloBotEmulator",
    "ZaloOAEmulator",
    "zalo_oa_mac",
    "zalo_oa_signed_event",
]

JSONDict = dict[str, Any]
Reply = tuple[int, Any]

# --------------------------------------------------------------------------------------------
# Shared machinery
# --------------------------------------------------------------------------------------------


@dataclass
class RecordedCall:
    """One HTTP request received by an emulator.

    ``method`` is the API method (``sendMessage``) for the bot APIs and the URL path
    (``/v3.0/oa/message/cs``) for the Zalo OA API. ``params`` merges the query string and the body
    (JSON, form-encoded or multipart); values are exactly as sent, so python-telegram-bot's form
    fields are strings (``"123"``, ``'{"inline_keyboard": ...}'``). ``params_decoded`` is the same
    dict with every string field that holds a JSON object or array decoded (``reply_markup``,
    ``allowed_updates``, ``commands``). ``headers`` has lower-case names. ``status`` and
    ``response`` are filled in once the emulator has answered.
    """

    method: str
    path: str
    http_method: str
    params: JSONDict
    params_decoded: JSONDict
    headers: dict[str, str]
    body: bytes
    token: str | None
    time: float
    status: int | None = None
    response: Any = None

    def json(self) -> Any:
        """The raw body decoded as JSON (``None`` if it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class _Scripted:
    status: int
    body: Any
    remaining: int | None  # None: until cleared
    delay: float = 0.0
    passthrough: bool = False  # only delay, then answer normally
    headers: dict[str, str] = field(default_factory=dict)


class _ApiError(Exception):
    """Raised inside a handler to answer with an error status and payload."""

    def __init__(self, status: int, payload: Any) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload


def _decode_json_fields(params: JSONDict) -> JSONDict:
    out: JSONDict = {}
    for key, value in params.items():
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                out[key] = json.loads(value)
                continue
            except ValueError:
                pass
        out[key] = value
    return out


def _parse_multipart(content_type: str, raw: bytes) -> JSONDict:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + raw)
    out: JSONDict = {}
    if not message.is_multipart():
        return out
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename:
            out[str(name)] = {
                "filename": filename,
                "content_type": part.get_content_type(),
                "size": len(payload),
                "content": payload,
            }
        else:
            charset = part.get_content_charset() or "utf-8"
            out[str(name)] = payload.decode(charset, "replace")
    return out


def _parse_params(content_type: str, raw: bytes, query: Iterable[tuple[str, str]]) -> JSONDict:
    params: JSONDict = dict(query)
    if not raw:
        return params
    kind = content_type.split(";")[0].strip().lower()
    text = raw.decode("utf-8", "replace")
    data: Any
    if kind == "application/json" or kind.endswith("+json"):
        try:
            data = json.loads(text)
        except ValueError:
            data = {"_invalid_json": text}
    elif kind == "application/x-www-form-urlencoded":
        data = dict(parse_qsl(text, keep_blank_values=True))
    elif kind.startswith("multipart/"):
        data = _parse_multipart(content_type, raw)
    else:  # no or odd content type: guess
        try:
            data = json.loads(text)
        except ValueError:
            data = dict(parse_qsl(text, keep_blank_values=True)) if "=" in text else {"_raw": text}
    if isinstance(data, dict):
        params.update(data)
    else:
        params["_json"] = data
    return params


def _as_int(value: Any, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _as_float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _now_ms() -> int:
    return int(time.time() * 1000)


_E = TypeVar("_E", bound="_EmulatorBase")


class _EmulatorBase:
    """Server lifecycle, call recording and scripted failures shared by the three emulators."""

    _thread_name = "emulator"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self._lock = threading.RLock()
        self._calls: list[RecordedCall] = []
        self._scripted: dict[str, list[_Scripted]] = {}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.app = Starlette(
            routes=[
                Route(
                    "/{path:path}",
                    self._endpoint,
                    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                )
            ]
        )

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self: _E) -> _E:
        """Start serving in a background thread; returns ``self``. Idempotent."""
        if self._thread is not None:
            return self
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._requested_port))
        sock.set_inheritable(True)
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            timeout_keep_alive=5,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server
        self._stopping = False
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"{self._thread_name}:{self._port}",
            daemon=True,
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive():
                self._thread = None
                raise RuntimeError(f"{type(self).__name__} failed to start")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{type(self).__name__} did not start within 10 s")
            time.sleep(0.002)
        return self

    def stop(self) -> None:
        """Stop the server and wait for its thread (pending long polls return at once)."""
        self._stopping = True
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout=5)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self: _E) -> _E:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (no trailing slash)."""
        return f"http://{self._host}:{self.port}"

    # ---- recorded calls ----------------------------------------------------------------------

    def _key(self, method: str) -> str:
        return method

    @property
    def calls(self) -> list[RecordedCall]:
        """A snapshot of every call received so far, oldest first."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        """The recorded calls of one API method (or path, for the Zalo OA API)."""
        key = self._key(method)
        with self._lock:
            return [c for c in self._calls if self._key(c.method) == key]

    def last_call(self, method: str | None = None) -> RecordedCall:
        """The most recent call (of ``method`` if given); AssertionError if there is none."""
        found = self.calls_to(method) if method is not None else self.calls
        if not found:
            raise AssertionError(f"no call{' to ' + method if method else ''} was recorded")
        return found[-1]

    def clear_calls(self) -> None:
        with self._lock:
            self._calls.clear()

    def wait_for_calls(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedCall]:
        """Block until at least ``count`` calls of ``method`` were recorded (sync tests), and
        answered: a call is recorded before its handler stores what it sent, so a test that reads
        the sent messages right after would race it. (A call held by a scripted delay past the
        timeout is returned unanswered.)"""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_to(method)
            if len(found) >= count and (
                all(c.status is not None for c in found) or time.monotonic() >= deadline
            ):
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout} s, got {len(found)}"
                )
            time.sleep(0.01)

    async def await_calls(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedCall]:
        """Like :meth:`wait_for_calls`, without blocking the event loop (async tests)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_to(method)
            if len(found) >= count and (
                all(c.status is not None for c in found) or time.monotonic() >= deadline
            ):
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout} s, got {len(found)}"
                )
            await asyncio.sleep(0.01)

    # ---- scripted failures -------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int | None = None,
        body: Any = None,
        times: int | None = 1,
        *,
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
        **details: Any,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"*"``: any method) with an error.

        ``body`` may be a dict (sent as JSON), ``str``/``bytes`` (sent as text, e.g. an HTML proxy
        error page) or ``None`` for the platform's own error format built from ``status`` and
        ``details`` (see the subclass's ``_default_failure``). ``times=None`` keeps failing until
        :meth:`clear_failures`. ``delay`` waits that many seconds before answering.
        """
        status, body = self._default_failure(status, body, details)
        entry = _Scripted(status, body, times, delay, False, dict(headers or {}))
        with self._lock:
            self._scripted.setdefault(self._key(method), []).append(entry)

    def slow_next(self, method: str, seconds: float, times: int | None = 1) -> None:
        """Delay the next ``times`` calls of ``method`` by ``seconds``, then answer normally."""
        entry = _Scripted(200, None, times, seconds, True)
        with self._lock:
            self._scripted.setdefault(self._key(method), []).append(entry)

    def clear_failures(self) -> None:
        with self._lock:
            self._scripted.clear()

    def _default_failure(self, status: int | None, body: Any, details: JSONDict) -> Reply:
        raise NotImplementedError

    def _take_scripted(self, method: str) -> _Scripted | None:
        with self._lock:
            for key in (self._key(method), "*"):
                queue = self._scripted.get(key)
                if not queue:
                    continue
                entry = queue[0]
                if entry.remaining is not None:
                    entry.remaining -= 1
                    if entry.remaining <= 0:
                        queue.pop(0)
                return entry
        return None

    # ---- request handling --------------------------------------------------------------------

    def _resolve(self, request: Request) -> tuple[str, str | None]:
        """(method, token) of a request."""
        raise NotImplementedError

    def _precheck(self, call: RecordedCall) -> Reply | None:
        return None

    async def _dispatch(self, call: RecordedCall) -> Reply:
        raise NotImplementedError

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but return at once when the emulator stops."""
        await self._wait_until(lambda: False, seconds)

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Poll ``predicate`` (under the lock) until true, the timeout, or shutdown."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if predicate():
                    return True
            if self._stopping or time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)

    async def _endpoint(self, request: Request) -> Response:
        raw = await request.body()
        params = _parse_params(
            request.headers.get("content-type", ""), raw, request.query_params.multi_items()
        )
        method, token = self._resolve(request)
        call = RecordedCall(
            method=method,
            path=request.url.path,
            http_method=request.method,
            params=params,
            params_decoded=_decode_json_fields(params),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=raw,
            token=token,
            time=time.time(),
        )
        with self._lock:
            self._calls.append(call)
        extra_headers: dict[str, str] = {}
        reply = self._precheck(call)
        if reply is None:
            scripted = self._take_scripted(method)
            if scripted is not None:
                if scripted.delay:
                    await self._sleep(scripted.delay)
                if not scripted.passthrough:
                    reply = (scripted.status, scripted.body)
                    extra_headers = scripted.headers
        if reply is None:
            try:
                reply = await self._dispatch(call)
            except _ApiError as exc:
                reply = (exc.status, exc.payload)
        status, payload = reply
        call.status, call.response = status, payload
        if isinstance(payload, bytes | str):
            return Response(
                payload, status_code=status, headers=extra_headers, media_type="text/plain"
            )
        return JSONResponse(payload, status_code=status, headers=extra_headers)


def _post_json(url: str, payload: Any, headers: dict[str, str], timeout: float) -> httpx.Response:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return httpx.post(
        url, content=body, headers={"Content-Type": "application/json", **headers}, timeout=timeout
    )


async def _apost_json(
    url: str, payload: Any, headers: dict[str, str], timeout: float
) -> httpx.Response:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    async with httpx.AsyncClient(timeout=timeout) as client:
        return await client.post(
            url, content=body, headers={"Content-Type": "application/json", **headers}
        )


# --------------------------------------------------------------------------------------------
# Telegram Bot API
# --------------------------------------------------------------------------------------------

TELEGRAM_ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

_TG_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_TG_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TG_PATH_RE = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z_]+)/?$")


def _tg_error(status: int, description: str, parameters: JSONDict | None = None) -> _ApiError:
    payload: JSONDict = {"ok": False, "error_code": status, "description": description}
    if parameters:
        payload["parameters"] = parameters
    return _ApiError(status, payload)


def _tg_ok(result: Any, description: str | None = None) -> Reply:
    payload: JSONDict = {"ok": True, "result": result}
    if description:
        payload["description"] = description
    return 200, payload


def _chat_key(chat_id: Any) -> int | str:
    """Telegram chat ids arrive as ints (JSON) or strings (forms); ``@channel`` stays a string."""
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else text


class TelegramEmulator(_EmulatorBase):
    """Telegram Bot API at ``/bot<token>/<method>`` (JSON, form-encoded and multipart bodies).

    Point python-telegram-bot at it with ``Bot(token, base_url=emu.ptb_base_url)`` (that is
    ``f"{emu.base_url}/bot"``) or ``ApplicationBuilder().base_url(emu.ptb_base_url)``.

    Any token is accepted and recorded in ``RecordedCall.token``; with ``valid_token`` set, other
    tokens get ``401 Unauthorized`` (python-telegram-bot raises ``InvalidToken``).
    ``getUpdates`` long-polls for at most ``max_poll_timeout`` seconds whatever ``timeout`` asks.
    """

    _thread_name = "telegram-emulator"

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "an_toan_tre_em_test_bot",
        bot_first_name: str = "Trợ lý An toàn",
        valid_token: str | None = None,
        max_poll_timeout: float = 3.0,
        require_https_webhook: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.valid_token = valid_token
        self.max_poll_timeout = max_poll_timeout
        self.require_https_webhook = require_https_webhook
        self._update_ids = itertools.count(100_000_001)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._updates: list[JSONDict] = []
        self._messages: dict[tuple[int | str, int], JSONDict] = {}
        self._sent: list[JSONDict] = []
        self._chats: dict[int | str, JSONDict] = {}
        self._blocked: set[int | str] = set()
        self._answered_callbacks: dict[str, JSONDict] = {}
        self._commands: list[JSONDict] = []
        self.webhook: JSONDict = {}
        self._handlers: dict[str, Callable[[RecordedCall], Any]] = {
            "getme": self._get_me,
            "sendmessage": self._send_message,
            "answercallbackquery": self._answer_callback_query,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagetext": self._edit_message_text,
            "deletemessage": self._delete_message,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
        }

    # ---- public state ------------------------------------------------------------------------

    @property
    def ptb_base_url(self) -> str:
        """The ``base_url`` for python-telegram-bot: ``f"{base_url}/bot"``."""
        return f"{self.base_url}/bot"

    @property
    def bot_user(self) -> JSONDict:
        """The bot as a Telegram ``User`` (what ``getMe`` returns)."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @property
    def sent_messages(self) -> list[JSONDict]:
        """Message objects the bot sent (``sendMessage``), oldest first, as last edited."""
        with self._lock:
            return [dict(m) for m in self._sent]

    def messages_to(self, chat_id: int | str) -> list[JSONDict]:
        key = _chat_key(chat_id)
        return [m for m in self.sent_messages if m["chat"]["id"] == key]

    def get_message(self, chat_id: int | str, message_id: int) -> JSONDict | None:
        with self._lock:
            found = self._messages.get((_chat_key(chat_id), int(message_id)))
            return dict(found) if found else None

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued for ``getUpdates`` and not yet confirmed by a higher offset."""
        with self._lock:
            return list(self._updates)

    @property
    def answered_callback_queries(self) -> dict[str, JSONDict]:
        """callback_query_id -> the parameters of its ``answerCallbackQuery``."""
        with self._lock:
            return dict(self._answered_callbacks)

    @property
    def commands(self) -> list[JSONDict]:
        with self._lock:
            return list(self._commands)

    def block_chat(self, chat_id: int | str) -> None:
        """From now on sending to this chat answers 403 'bot was blocked by the user'."""
        with self._lock:
            self._blocked.add(_chat_key(chat_id))

    def unblock_chat(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.discard(_chat_key(chat_id))

    def reset(self) -> None:
        """Forget calls, failures, queued updates, messages and webhook (ids keep counting)."""
        with self._lock:
            self._calls.clear()
            self._scripted.clear()
            self._updates.clear()
            self._messages.clear()
            self._sent.clear()
            self._blocked.clear()
            self._answered_callbacks.clear()
            self._commands.clear()
            self.webhook = {}

    # ---- updates in ---------------------------------------------------------------------------

    def inject_update(self, update: JSONDict) -> JSONDict:
        """Queue an update for ``getUpdates`` (an ``update_id`` is assigned if missing)."""
        with self._lock:
            if "update_id" not in update:
                update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._updates.sort(key=lambda u: u["update_id"])
        return update

    def post_webhook(
        self,
        url: str,
        update: JSONDict,
        secret_token: str | None = None,
        *,
        timeout: float = 5.0,
    ) -> httpx.Response:
        """POST ``update`` as JSON to ``url`` as Telegram does (synchronously).

        With ``secret_token`` the header ``X-Telegram-Bot-Api-Secret-Token`` is sent.
        Use :meth:`apost_webhook` from a test whose event loop also serves the webhook.
        """
        return _post_json(url, update, self._webhook_headers(secret_token), timeout)

    async def apost_webhook(
        self,
        url: str,
        update: JSONDict,
        secret_token: str | None = None,
        *,
        timeout: float = 5.0,
    ) -> httpx.Response:
        return await _apost_json(url, update, self._webhook_headers(secret_token), timeout)

    def deliver_update(self, update: JSONDict, *, timeout: float = 5.0) -> httpx.Response:
        """POST ``update`` to the webhook registered with ``setWebhook``, with its secret."""
        with self._lock:
            url = self.webhook.get("url")
            secret = self.webhook.get("secret_token")
        if not url:
            raise AssertionError("no webhook is set (setWebhook was not called)")
        return self.post_webhook(url, update, secret, timeout=timeout)

    @staticmethod
    def _webhook_headers(secret_token: str | None) -> dict[str, str]:
        return {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}

    # ---- update builders ---------------------------------------------------------------------

    def _user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, chat_id: int | str, user: JSONDict | None = None) -> JSONDict:
        key = _chat_key(chat_id)
        with self._lock:
            known = self._chats.get(key)
            if known is not None and not (user and known["type"] == "private"):
                return dict(known)
            if isinstance(key, int) and key > 0:
                chat: JSONDict = {"id": key, "type": "private"}
                source = user or {"first_name": "Người dùng"}
                for name in ("first_name", "last_name", "username"):
                    if source.get(name):
                        chat[name] = source[name]
            elif isinstance(key, int) and str(key).startswith("-100"):
                chat = {"id": key, "type": "supergroup", "title": "Nhóm thử nghiệm"}
            elif isinstance(key, int):
                chat = {"id": key, "type": "group", "title": "Nhóm thử nghiệm"}
            else:
                chat = {"id": key, "type": "channel", "title": str(key), "username": key[1:]}
            self._chats[key] = chat
            return dict(chat)

    def _user_message(
        self,
        chat_id: int,
        *,
        user_id: int | None,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        message_id: int | None,
        date: int | None,
    ) -> JSONDict:
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 555_000_001)
        user = self._user(uid, first_name, last_name, username, language_code)
        return {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            "from": user,
            "chat": self._chat(chat_id, user),
            "date": date if date is not None else int(time.time()),
        }

    def _file(self, prefix: str) -> tuple[str, str]:
        n = next(self._file_ids)
        return f"{prefix}{n:06d}{secrets.token_hex(12)}", f"AQAD{n:06d}{secrets.token_hex(4)}"

    def _wrap(self, kind: str, message: JSONDict) -> JSONDict:
        return {"update_id": next(self._update_ids), kind: message}

    def text_update(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Lan",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        message_id: int | None = None,
        date: int | None = None,
        reply_to_message: JSONDict | None = None,
    ) -> JSONDict:
        """A ``message`` update with text; ``/commands`` get a ``bot_command`` entity."""
        message = self._user_message(
            chat_id,
            user_id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            message_id=message_id,
            date=date,
        )
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to_message is not None:
            message["reply_to_message"] = reply_to_message
        return self._wrap("message", message)

    def edited_message_update(
        self,
        chat_id: int,
        text: str,
        *,
        message_id: int | None = None,
        edit_date: int | None = None,
        **user: Any,
    ) -> JSONDict:
        """An ``edited_message`` update (the user edited an earlier text message)."""
        update = self.text_update(chat_id, text, message_id=message_id, **user)
        message = update.pop("message")
        message["date"] = message["date"] - 60
        message["edit_date"] = edit_date if edit_date is not None else int(time.time())
        update["edited_message"] = message
        return update

    def callback_update(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int | None = None,
        message_text: str = "Bạn cần giúp gì?",
        reply_markup: JSONDict | None = None,
        user_id: int | None = None,
        first_name: str = "Lan",
        username: str | None = None,
        language_code: str | None = "vi",
        query_id: str | None = None,
    ) -> JSONDict:
        """A ``callback_query`` update: the user pressed an inline button with ``data``.

        The query's ``message`` is the bot message ``message_id`` when the bot sent it through
        this emulator; otherwise a bot message is made up (and remembered, so that
        ``editMessageReplyMarkup`` on it works).
        """
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 555_000_001)
        user = self._user(uid, first_name, None, username, language_code)
        chat = self._chat(chat_id, user)
        with self._lock:
            known = (
                self._messages.get((chat["id"], int(message_id)))
                if message_id is not None
                else None
            )
            if known is not None:
                message = dict(known)
            else:
                message = {
                    "message_id": message_id if message_id is not None else next(self._message_ids),
                    "from": self._bot_from(),
                    "chat": chat,
                    "date": int(time.time()) - 5,
                    "text": message_text,
                }
                if reply_markup is not None:
                    message["reply_markup"] = reply_markup
                self._messages[(chat["id"], message["message_id"])] = message
                message = dict(message)
        query = {
            "id": query_id or str(4_380_000_000_000_000_000 + next(self._callback_ids)),
            "from": user,
            "message": message,
            "chat_instance": str(
                int(hashlib.sha256(str(chat["id"]).encode()).hexdigest()[:15], 16)
            ),
            "data": data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def sticker_update(
        self, chat_id: int, *, emoji: str = "😢", set_name: str | None = "HotCherry", **user: Any
    ) -> JSONDict:
        message = self._user_message(chat_id, **self._user_defaults(user))
        file_id, unique = self._file("CAACAgIAAxkBAAI")
        sticker: JSONDict = {
            "file_id": file_id,
            "file_unique_id": unique,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": 23_456,
        }
        if set_name:
            sticker["set_name"] = set_name
        message["sticker"] = sticker
        return self._wrap("message", message)

    def photo_update(
        self,
        chat_id: int,
        *,
        caption: str | None = None,
        width: int = 1280,
        height: int = 960,
        **user: Any,
    ) -> JSONDict:
        """A photo message: ``photo`` is a list of sizes, smallest first, as Telegram sends."""
        message = self._user_message(chat_id, **self._user_defaults(user))
        sizes = []
        for scale in (8, 4, 1):
            file_id, unique = self._file("AgACAgUAAxkBAAI")
            w, h = max(1, width // scale), max(1, height // scale)
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "width": w,
                    "height": h,
                    "file_size": w * h // 8,
                }
            )
        message["photo"] = sizes
        if caption is not None:
            message["caption"] = caption
        return self._wrap("message", message)

    def location_update(
        self,
        chat_id: int,
        *,
        latitude: float = 21.028511,
        longitude: float = 105.804817,
        **user: Any,
    ) -> JSONDict:
        message = self._user_message(chat_id, **self._user_defaults(user))
        message["location"] = {"latitude": latitude, "longitude": longitude}
        return self._wrap("message", message)

    def voice_update(self, chat_id: int, *, duration: int = 4, **user: Any) -> JSONDict:
        message = self._user_message(chat_id, **self._user_defaults(user))
        file_id, unique = self._file("AwACAgUAAxkBAAI")
        message["voice"] = {
            "file_id": file_id,
            "file_unique_id": unique,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 4_000 * duration,
        }
        return self._wrap("message", message)

    def document_update(
        self,
        chat_id: int,
        *,
        file_name: str = "bai_tap.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        **user: Any,
    ) -> JSONDict:
        message = self._user_message(chat_id, **self._user_defaults(user))
        file_id, unique = self._file("BQACAgUAAxkBAAI")
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": 48_213,
        }
        if caption is not None:
            message["caption"] = caption
        return self._wrap("message", message)

    def my_chat_member_update(
        self, chat_id: int, *, new_status: str = "kicked", old_status: str = "member", **user: Any
    ) -> JSONDict:
        """A ``my_chat_member`` update; the default (member -> kicked) is 'user blocked the bot'."""
        base = self._user_message(chat_id, **self._user_defaults(user))
        bot = self._bot_from()

        def member(status: str) -> JSONDict:
            entry: JSONDict = {"user": bot, "status": status}
            if status == "kicked":
                entry["until_date"] = 0
            return entry

        change = {
            "chat": base["chat"],
            "from": base["from"],
            "date": base["date"],
            "old_chat_member": member(old_status),
            "new_chat_member": member(new_status),
        }
        return {"update_id": next(self._update_ids), "my_chat_member": change}

    @staticmethod
    def _user_defaults(user: JSONDict) -> JSONDict:
        out: JSONDict = {
            "user_id": None,
            "first_name": "Lan",
            "last_name": None,
            "username": None,
            "language_code": "vi",
            "message_id": None,
            "date": None,
        }
        unknown = set(user) - set(out)
        if unknown:
            raise TypeError(f"unexpected arguments: {sorted(unknown)}")
        out.update(user)
        return out

    def _bot_from(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # ---- request handling --------------------------------------------------------------------

    def _key(self, method: str) -> str:
        return method.lower()

    def _resolve(self, request: Request) -> tuple[str, str | None]:
        match = _TG_PATH_RE.match(request.url.path)
        if not match:
            return request.url.path, None
        return match["method"], match["token"]

    def _precheck(self, call: RecordedCall) -> Reply | None:
        if call.token is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if self.valid_token is not None and call.token != self.valid_token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return None

    def _default_failure(self, status: int | None, body: Any, details: JSONDict) -> Reply:
        status = status or 500
        if body is not None:
            return status, body
        retry_after = details.pop("retry_after", 3 if status == 429 else None)
        migrate_to = details.pop("migrate_to_chat_id", None)
        template = TELEGRAM_ERROR_DESCRIPTIONS.get(status) or _phrase(status)
        description = details.pop("description", None) or template.format(retry_after=retry_after)
        if details:
            raise TypeError(f"unexpected arguments: {sorted(details)}")
        parameters: JSONDict = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to is not None:
            parameters["migrate_to_chat_id"] = migrate_to
        payload: JSONDict = {"ok": False, "error_code": status, "description": description}
        if parameters:
            payload["parameters"] = parameters
        return status, payload

    async def _dispatch(self, call: RecordedCall) -> Reply:
        handler = self._handlers.get(call.method.lower())
        if handler is None:
            raise _tg_error(404, "Not Found: method not found")
        result = handler(call)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    # ---- methods ------------------------------------------------------------------------------

    def _get_me(self, call: RecordedCall) -> Reply:
        return _tg_ok(self.bot_user)

    def _target_chat(self, call: RecordedCall) -> int | str:
        chat_id = call.params.get("chat_id")
        if chat_id in (None, ""):
            raise _tg_error(400, "Bad Request: chat_id is empty")
        key = _chat_key(chat_id)
        with self._lock:
            if key in self._blocked:
                raise _tg_error(403, "Forbidden: bot was blocked by the user")
        return key

    @staticmethod
    def _reply_markup(call: RecordedCall) -> JSONDict | None:
        raw = call.params.get("reply_markup")
        if raw in (None, ""):
            return None
        markup = call.params_decoded.get("reply_markup")
        if not isinstance(markup, dict):
            raise _tg_error(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise _tg_error(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise _tg_error(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
        return markup

    def _send_message(self, call: RecordedCall) -> Reply:
        chat_key = self._target_chat(call)
        text = call.params.get("text")
        if text is None or str(text).strip() == "":
            raise _tg_error(400, "Bad Request: message text is empty")
        text = str(text)
        if len(text) > 4096:
            raise _tg_error(400, "Bad Request: message is too long")
        markup = self._reply_markup(call)
        message: JSONDict = {
            "message_id": next(self._message_ids),
            "from": self._bot_from(),
            "chat": self._chat(chat_key),
            "date": int(time.time()),
            "text": text,
        }
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # Telegram echoes inline keyboards only
        with self._lock:
            self._messages[(message["chat"]["id"], message["message_id"])] = message
            self._sent.append(message)
        return _tg_ok(dict(message))

    def _find_message(self, call: RecordedCall, verb: str) -> JSONDict | None:
        """The stored bot message targeted by an edit; None for inline messages."""
        if call.params.get("inline_message_id"):
            return None
        chat_key = self._target_chat(call)
        message_id = _as_int(call.params.get("message_id"))
        if message_id is None:
            raise _tg_error(400, "Bad Request: message identifier is not specified")
        with self._lock:
            found = self._messages.get((chat_key, message_id))
        if found is None:
            raise _tg_error(400, f"Bad Request: message to {verb} not found")
        return found

    _NOT_MODIFIED = (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )

    def _edit_message_reply_markup(self, call: RecordedCall) -> Reply:
        message = self._find_message(call, "edit")
        markup = self._reply_markup(call)
        if message is None:
            return _tg_ok(True)
        with self._lock:
            if message.get("reply_markup") == (markup or None):
                raise _tg_error(400, self._NOT_MODIFIED)
            if markup and markup.get("inline_keyboard"):
                message["reply_markup"] = markup
            else:
                message.pop("reply_markup", None)
            message["edit_date"] = int(time.time())
            return _tg_ok(dict(message))

    def _edit_message_text(self, call: RecordedCall) -> Reply:
        text = call.params.get("text")
        if text is None or str(text).strip() == "":
            raise _tg_error(400, "Bad Request: message text is empty")
        message = self._find_message(call, "edit")
        markup = self._reply_markup(call)
        if message is None:
            return _tg_ok(True)
        with self._lock:
            new_markup = markup if markup and markup.get("inline_keyboard") else None
            if message.get("text") == text and message.get("reply_markup") == new_markup:
                raise _tg_error(400, self._NOT_MODIFIED)
            message["text"] = str(text)
            if new_markup:
                message["reply_markup"] = new_markup
            else:
                message.pop("reply_markup", None)
            message["edit_date"] = int(time.time())
            return _tg_ok(dict(message))

    def _delete_message(self, call: RecordedCall) -> Reply:
        message = self._find_message(call, "delete")
        with self._lock:
            if message is not None:
                key = (message["chat"]["id"], message["message_id"])
                self._messages.pop(key, None)
                self._sent = [m for m in self._sent if (m["chat"]["id"], m["message_id"]) != key]
        return _tg_ok(True)

    def _answer_callback_query(self, call: RecordedCall) -> Reply:
        query_id = call.params.get("callback_query_id")
        if not query_id:
            raise _tg_error(400, 'Bad Request: parameter "callback_query_id" is required')
        with self._lock:
            if query_id in self._answered_callbacks:
                raise _tg_error(
                    400,
                    "Bad Request: query is too old and response timeout expired "
                    "or query ID is invalid",
                )
            self._answered_callbacks[str(query_id)] = dict(call.params_decoded)
        return _tg_ok(True)

    def _set_webhook(self, call: RecordedCall) -> Reply:
        url = str(call.params.get("url") or "")
        secret = call.params.get("secret_token")
        if secret not in (None, "") and not _TG_SECRET_RE.match(str(secret)):
            raise _tg_error(400, "Bad Request: secret token contains unallowed characters")
        if url and self.require_https_webhook and not url.startswith("https://"):
            raise _tg_error(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        with self._lock:
            if not url:
                self.webhook = {}
                return _tg_ok(True, "Webhook was deleted")
            self.webhook = {
                "url": url,
                "secret_token": secret or None,
                "allowed_updates": call.params_decoded.get("allowed_updates"),
                "max_connections": _as_int(call.params.get("max_connections"), 40),
            }
            if _as_bool(call.params.get("drop_pending_updates")):
                self._updates.clear()
        return _tg_ok(True, "Webhook was set")

    def _delete_webhook(self, call: RecordedCall) -> Reply:
        with self._lock:
            had = bool(self.webhook)
            self.webhook = {}
            if _as_bool(call.params.get("drop_pending_updates")):
                self._updates.clear()
        return _tg_ok(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def _get_webhook_info(self, call: RecordedCall) -> Reply:
        with self._lock:
            info: JSONDict = {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self.webhook:
                info["max_connections"] = self.webhook.get("max_connections") or 40
                info["ip_address"] = "127.0.0.1"
                if self.webhook.get("allowed_updates") is not None:
                    info["allowed_updates"] = self.webhook["allowed_updates"]
        return _tg_ok(info)

    async def _get_updates(self, call: RecordedCall) -> Reply:
        offset = _as_int(call.params.get("offset"))
        limit = min(max(_as_int(call.params.get("limit"), 100) or 100, 1), 100)
        timeout = max(0.0, _as_float(call.params.get("timeout"), 0.0))
        with self._lock:
            if self.webhook.get("url"):
                raise _tg_error(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if offset is not None:
                if offset < 0:
                    self._updates = self._updates[offset:]
                else:  # confirm everything below the offset
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
        await self._wait_until(lambda: bool(self._updates), min(timeout, self.max_poll_timeout))
        with self._lock:
            return _tg_ok([dict(u) for u in self._updates[:limit]])

    def _send_chat_action(self, call: RecordedCall) -> Reply:
        self._target_chat(call)
        if call.params.get("action") not in _TG_CHAT_ACTIONS:
            raise _tg_error(400, "Bad Request: wrong parameter action in request")
        return _tg_ok(True)

    def _set_my_commands(self, call: RecordedCall) -> Reply:
        commands = call.params_decoded.get("commands")
        if not isinstance(commands, list):
            raise _tg_error(400, "Bad Request: can't parse commands JSON object")
        with self._lock:
            self._commands = [dict(c) for c in commands]
        return _tg_ok(True)

    def _get_my_commands(self, call: RecordedCall) -> Reply:
        return _tg_ok(self.commands)

    def _delete_my_commands(self, call: RecordedCall) -> Reply:
        with self._lock:
            self._commands = []
        return _tg_ok(True)


# --------------------------------------------------------------------------------------------
# Zalo Official Account API
# --------------------------------------------------------------------------------------------

# Messages of the OA API error codes. The codes are from public docs and client code; the exact
# wording differs between sources (unconfirmed) - adapters should branch on the code only.
ZALO_OA_ERRORS: dict[int, str] = {
    -32: "Request rate limit exceeded",
    -100: "Internal server error, please try again",
    -201: "Parameters are invalid",
    -213: "User has not followed the OA",
    -216: "Access token is invalid",
    -217: "User has blocked messages from the OA",
    -224: "OA has reached the message quota",
    -227: "User is banned or has been inactive for too long",
    -230: "User has not interacted with the OA in the past 7 days",
    -232: "User has no interaction or the interaction has expired",
    -234: "OA cannot send messages at this time (night restriction)",
    -244: "User has rejected messages from the OA",
}

# OAuth v4 token endpoint errors (codes unconfirmed except the shape: HTTP 200, "error" < 0).
ZALO_OAUTH_INVALID_REFRESH_TOKEN = -14014
ZALO_OAUTH_INVALID_APP_ID = -14002
ZALO_OAUTH_INVALID_SECRET = -14001
ZALO_OAUTH_INVALID_CODE = -14019
ZALO_OAUTH_INVALID_PARAMETER = -14003

_OA_BUTTON_TYPES = frozenset(
    {"oa.open.url", "oa.query.show", "oa.query.hide", "oa.open.sms", "oa.open.phone"}
)
_OA_SEND_PATHS = ("/v3.0/oa/message/cs", "/v3.0/oa/message/transaction")


def zalo_oa_mac(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """Hex SHA-256 of ``app_id + raw_body + timestamp + oa_secret_key`` (Zalo OA webhooks)."""
    data = str(app_id).encode() + raw_body + str(timestamp).encode() + oa_secret_key.encode()
    return hashlib.sha256(data).hexdigest()


def zalo_oa_signed_event(
    event: JSONDict, oa_secret_key: str, app_id: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """(raw body, headers) of a Zalo OA webhook delivery with ``X-ZEvent-Signature``.

    The timestamp is the event's ``timestamp`` field; ``app_id`` defaults to the event's.
    The body is compact UTF-8 JSON (Vietnamese text is not \\u-escaped), so a verifier that
    re-serialises the parsed JSON instead of hashing the raw bytes will fail, as it should.
    """
    app = str(app_id if app_id is not None else event.get("app_id", ""))
    raw = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    mac = zalo_oa_mac(app, raw, str(event.get("timestamp", "")), oa_secret_key)
    headers = {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac}"}
    return raw, headers


class ZaloOAEmulator(_EmulatorBase):
    """Zalo OA Open API v3 (``openapi.zalo.me``) and OAuth v4 (``oauth.zaloapp.com``) in one server.

    Point both base URLs of the adapter at ``emu.base_url``.

    * ``POST /v3.0/oa/message/cs`` and ``/v3.0/oa/message/transaction`` (header ``access_token``,
      JSON ``{"recipient": {"user_id"}, "message": {...}}``) answer
      ``{"error": 0, "message": "Success", "data": {"message_id", "user_id"}}``.
    * ``POST /v4/oa/access_token`` (header ``secret_key``; form ``app_id``, ``grant_type``,
      ``refresh_token`` or ``code``) answers ``{"access_token", "refresh_token", "expires_in"}``
      and rotates: the used refresh token is rejected from then on.
    * ``GET /v2.0/oa/getoa`` and ``GET /v3.0/oa/user/detail?data={"user_id": ...}``.

    Errors are HTTP 200 with ``error`` != 0, as Zalo does. An unknown, expired or missing
    ``access_token`` gets ``-216``. With ``window_days`` set, sending to a user whose last
    interaction (recorded by the ``user_send_*`` builders and :meth:`mark_interaction`) is older
    gets ``-230``.
    """

    _thread_name = "zalo-oa-emulator"

    def __init__(
        self,
        *,
        oa_id: str = "2736412987312487361",
        app_id: str = "1873920468213906412",
        app_secret: str = "emu-app-secret-0123456789",
        oa_secret_key: str = "emu-oa-secret-key-abcdef",
        access_token: str | None = None,
        refresh_token: str | None = None,
        expires_in: int = 90_000,
        expires_in_as_string: bool = True,
        window_days: float | None = None,
        oa_name: str = "Tổng đài 111 (thử nghiệm)",
        check_secret_key: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.oa_id = oa_id
        self.app_id = app_id
        self.app_secret = app_secret
        self.oa_secret_key = oa_secret_key
        self.expires_in = expires_in
        self.expires_in_as_string = expires_in_as_string
        self.window_days = window_days
        self.oa_name = oa_name
        self.check_secret_key = check_secret_key
        self._seq = itertools.count(1)
        self._access_tokens: dict[str, float] = {}
        self._current_access: str = ""
        self._refresh_token: str | None = None
        self._auth_codes: set[str] = set()
        self._used_refresh_tokens: list[str] = []
        self.refresh_count = 0
        self._sent: list[JSONDict] = []
        self._interactions: dict[str, int] = {}
        self._profiles: dict[str, JSONDict] = {}
        self._issue_access(access_token)
        self._refresh_token = refresh_token or self._new_token("rt")

    # ---- tokens -------------------------------------------------------------------------------

    def _new_token(self, kind: str) -> str:
        return f"emu-{kind}-{next(self._seq)}-{secrets.token_urlsafe(24)}"

    def _issue_access(self, token: str | None = None) -> str:
        token = token or self._new_token("at")
        with self._lock:
            self._access_tokens[token] = time.time() + self.expires_in
            self._current_access = token
        return token

    @property
    def access_token(self) -> str:
        """The most recently issued access token."""
        with self._lock:
            return self._current_access

    @property
    def refresh_token(self) -> str | None:
        """The one refresh token that the token endpoint accepts now."""
        with self._lock:
            return self._refresh_token

    @property
    def used_refresh_tokens(self) -> list[str]:
        with self._lock:
            return list(self._used_refresh_tokens)

    def is_access_token_valid(self, token: str | None) -> bool:
        with self._lock:
            expiry = self._access_tokens.get(token or "")
            return expiry is not None and expiry > time.time()

    def expire_access_tokens(self) -> None:
        """Make every issued access token expired (the next API call gets -216)."""
        with self._lock:
            for token in self._access_tokens:
                self._access_tokens[token] = 0.0

    def revoke_refresh_token(self) -> None:
        """No refresh token is valid any more (the OA must be re-authorised)."""
        with self._lock:
            self._refresh_token = None

    def issue_authorization_code(self) -> str:
        """A single-use code for ``grant_type=authorization_code``."""
        code = self._new_token("code")
        with self._lock:
            self._auth_codes.add(code)
        return code

    # ---- users --------------------------------------------------------------------------------

    def mark_interaction(self, user_id: str, when_ms: int | None = None) -> None:
        """Record that the user wrote to the OA at ``when_ms`` (now by default)."""
        with self._lock:
            self._interactions[str(user_id)] = when_ms if when_ms is not None else _now_ms()

    def set_user_profile(self, user_id: str, display_name: str, **extra: Any) -> None:
        with self._lock:
            self._profiles[str(user_id)] = {"display_name": display_name, **extra}

    @property
    def sent_messages(self) -> list[JSONDict]:
        """``{"path", "user_id", "message", "message_id", "time"}`` of each accepted send."""
        with self._lock:
            return [dict(m) for m in self._sent]

    def messages_to(self, user_id: str) -> list[JSONDict]:
        return [m for m in self.sent_messages if m["user_id"] == str(user_id)]

    def reset(self) -> None:
        """Forget calls, failures, sent messages and interactions (tokens are kept)."""
        with self._lock:
            self._calls.clear()
            self._scripted.clear()
            self._sent.clear()
            self._interactions.clear()

    # ---- webhook events -----------------------------------------------------------------------

    def signed_event(
        self, event: JSONDict, oa_secret_key: str | None = None, app_id: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """See :func:`zalo_oa_signed_event`; keys default to this emulator's."""
        return zalo_oa_signed_event(
            event,
            oa_secret_key if oa_secret_key is not None else self.oa_secret_key,
            app_id if app_id is not None else self.app_id,
        )

    def post_webhook(
        self,
        url: str,
        event: JSONDict,
        secret: str | None = None,
        app_id: str | None = None,
        *,
        tamper: bool = False,
        timeout: float = 5.0,
    ) -> httpx.Response:
        """POST a signed event to ``url``; ``tamper=True`` changes the body after signing."""
        raw, headers = self._delivery(event, secret, app_id, tamper)
        return httpx.post(url, content=raw, headers=headers, timeout=timeout)

    async def apost_webhook(
        self,
        url: str,
        event: JSONDict,
        secret: str | None = None,
        app_id: str | None = None,
        *,
        tamper: bool = False,
        timeout: float = 5.0,
    ) -> httpx.Response:
        raw, headers = self._delivery(event, secret, app_id, tamper)
        async with httpx.AsyncClient(timeout=timeout) as client:
            return await client.post(url, content=raw, headers=headers)

    def _delivery(
        self, event: JSONDict, secret: str | None, app_id: str | None, tamper: bool
    ) -> tuple[bytes, dict[str, str]]:
        raw, headers = self.signed_event(event, secret, app_id)
        if tamper:
            raw = raw.replace(b'"timestamp"', b' "timestamp"', 1)
        headers["User-Agent"] = "ZaloWebhook/emulator"
        return raw, headers

    def _user_id_by_app(self, user_id: str) -> str:
        digest = hashlib.sha256(f"{self.app_id}:{user_id}".encode()).hexdigest()
        return str(int(digest[:15], 16))

    def _msg_id(self) -> str:
        return f"{next(self._seq):08x}{secrets.token_hex(12)}"

    def _user_event(
        self,
        event_name: str,
        user_id: str,
        message: JSONDict,
        msg_id: str | None,
        timestamp_ms: int | None,
    ) -> JSONDict:
        ts = timestamp_ms if timestamp_ms is not None else _now_ms()
        self.mark_interaction(user_id, ts)
        return {
            "app_id": self.app_id,
            "user_id_by_app": self._user_id_by_app(str(user_id)),
            "event_name": event_name,
            "timestamp": str(ts),
            "sender": {"id": str(user_id)},
            "recipient": {"id": self.oa_id},
            "message": {"msg_id": msg_id or self._msg_id(), **message},
        }

    def user_send_text(
        self, user_id: str, text: str, msg_id: str | None = None, *, timestamp_ms: int | None = None
    ) -> JSONDict:
        return self._user_event("user_send_text", user_id, {"text": text}, msg_id, timestamp_ms)

    def user_send_image(
        self,
        user_id: str,
        url: str = "https://photo-stal-9.zdn.vn/emulator/photo.jpg",
        text: str | None = None,
        msg_id: str | None = None,
        *,
        timestamp_ms: int | None = None,
    ) -> JSONDict:
        message: JSONDict = {
            "attachments": [{"type": "image", "payload": {"thumbnail": url, "url": url}}]
        }
        if text is not None:
            message["text"] = text
        return self._user_event("user_send_image", user_id, message, msg_id, timestamp_ms)

    def user_send_sticker(
        self,
        user_id: str,
        sticker_id: str = "bfe458bf64fa8da4d4eb",
        msg_id: str | None = None,
        *,
        timestamp_ms: int | None = None,
    ) -> JSONDict:
        url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker_id}&size=130"
        message = {"attachments": [{"type": "sticker", "payload": {"id": sticker_id, "url": url}}]}
        return self._user_event("user_send_sticker", user_id, message, msg_id, timestamp_ms)

    def user_send_location(
        self,
        user_id: str,
        latitude: float = 10.776889,
        longitude: float = 106.700806,
        msg_id: str | None = None,
        *,
        timestamp_ms: int | None = None,
    ) -> JSONDict:
        coords = {"latitude": str(latitude), "longitude": str(longitude)}
        message = {"attachments": [{"type": "location", "payload": {"coordinates": coords}}]}
        return self._user_event("user_send_location", user_id, message, msg_id, timestamp_ms)

    def user_send_file(
        self,
        user_id: str,
        name: str = "bai_tap.pdf",
        size: int = 48_213,
        msg_id: str | None = None,
        *,
        timestamp_ms: int | None = None,
    ) -> JSONDict:
        ext = name.rsplit(".", 1)[-1] if "." in name else ""
        payload = {
            "url": f"https://f1.zdn.vn/emulator/{name}",
            "size": str(size),
            "name": name,
            "checksum": hashlib.md5(name.encode()).hexdigest(),
            "type": ext,
        }
        message = {"attachments": [{"type": "file", "payload": payload}]}
        return self._user_event("user_send_file", user_id, message, msg_id, timestamp_ms)

    def user_send_audio(
        self,
        user_id: str,
        url: str = "https://voice-stal.zdn.vn/emulator/voice.amr",
        msg_id: str | None = None,
        *,
        timestamp_ms: int | None = None,
    ) -> JSONDict:
        message = {"attachments": [{"type": "audio", "payload": {"url": url}}]}
        return self._user_event("user_send_audio", user_id, message, msg_id, timestamp_ms)

    def _follow_event(self, event_name: str, user_id: str, timestamp_ms: int | None) -> JSONDict:
        ts = timestamp_ms if timestamp_ms is not None else _now_ms()
        if event_name == "follow":
            self.mark_interaction(user_id, ts)
        return {
            "oa_id": self.oa_id,
            "follower": {"id": str(user_id)},
            "user_id_by_app": self._user_id_by_app(str(user_id)),
            "event_name": event_name,
            "source": "oa_profile",
            "app_id": self.app_id,
            "timestamp": str(ts),
        }

    def follow(self, user_id: str, *, timestamp_ms: int | None = None) -> JSONDict:
        return self._follow_event("follow", user_id, timestamp_ms)

    def unfollow(self, user_id: str, *, timestamp_ms: int | None = None) -> JSONDict:
        return self._follow_event("unfollow", user_id, timestamp_ms)

    def oa_send_text(
        self, user_id: str, text: str, msg_id: str | None = None, *, timestamp_ms: int | None = None
    ) -> JSONDict:
        """The echo Zalo posts when the OA itself sent a text (adapters must ignore it)."""
        ts = timestamp_ms if timestamp_ms is not None else _now_ms()
        return {
            "app_id": self.app_id,
            "user_id_by_app": self._user_id_by_app(str(user_id)),
            "event_name": "oa_send_text",
            "timestamp": str(ts),
            "sender": {"id": self.oa_id},
            "recipient": {"id": str(user_id)},
            "message": {"msg_id": msg_id or self._msg_id(), "text": text},
        }

    # ---- request handling --------------------------------------------------------------------

    def _key(self, method: str) -> str:
        return "/" + method.strip("/") if method != "*" else method

    def _resolve(self, request: Request) -> tuple[str, str | None]:
        path = "/" + request.url.path.strip("/")
        return path, request.headers.get("access_token")

    def _default_failure(self, status: int | None, body: Any, details: JSONDict) -> Reply:
        status = status or 200
        if body is not None:
            return status, body
        error = details.pop("error", None)
        message = details.pop("message", None)
        if details:
            raise TypeError(f"unexpected arguments: {sorted(details)}")
        if error is None:
            error = -32 if status == 200 else -100
        return status, {"error": error, "message": message or ZALO_OA_ERRORS.get(error, "Error")}

    @staticmethod
    def _oa_error(code: int, message: str | None = None) -> _ApiError:
        return _ApiError(200, {"error": code, "message": message or ZALO_OA_ERRORS.get(code, "")})

    def _require_token(self, call: RecordedCall) -> None:
        if not self.is_access_token_valid(call.token):
            raise self._oa_error(-216)

    async def _dispatch(self, call: RecordedCall) -> Reply:
        path = call.method
        if path == "/v4/oa/access_token":
            return self._token_endpoint(call)
        if path in _OA_SEND_PATHS:
            self._require_token(call)
            return self._send(call)
        if path == "/v2.0/oa/getoa":
            self._require_token(call)
            return 200, {"error": 0, "message": "Success", "data": self._oa_info()}
        if path == "/v3.0/oa/user/detail":
            self._require_token(call)
            return self._user_detail(call)
        return 404, {"error": 404, "message": "Not Found"}

    def _oauth_error(self, code: int, name: str, reason: str) -> _ApiError:
        return _ApiError(
            200,
            {
                "error": code,
                "error_name": name,
                "error_reason": reason,
                "error_description": reason,
                "ref_doc": "https://developers.zalo.me/docs/official-account",
            },
        )

    def _token_endpoint(self, call: RecordedCall) -> Reply:
        params = call.params
        if self.check_secret_key and call.headers.get("secret_key") != self.app_secret:
            raise self._oauth_error(
                ZALO_OAUTH_INVALID_SECRET, "Invalid secret key", "secret_key is invalid"
            )
        if str(params.get("app_id", "")) != self.app_id:
            raise self._oauth_error(
                ZALO_OAUTH_INVALID_APP_ID, "Invalid app id", "app_id is invalid"
            )
        grant = params.get("grant_type")
        with self._lock:
            if grant == "refresh_token":
                presented = params.get("refresh_token")
                if not presented or presented != self._refresh_token:
                    raise self._oauth_error(
                        ZALO_OAUTH_INVALID_REFRESH_TOKEN,
                        "Invalid refresh token",
                        "Refresh token is invalid, expired or already used",
                    )
                self._used_refresh_tokens.append(presented)
                self.refresh_count += 1
            elif grant == "authorization_code":
                code = params.get("code")
                if not code or code not in self._auth_codes:
                    raise self._oauth_error(
                        ZALO_OAUTH_INVALID_CODE,
                        "Invalid authorization code",
                        "Authorization code is invalid, expired or already used",
                    )
                self._auth_codes.discard(code)
            else:
                raise self._oauth_error(
                    ZALO_OAUTH_INVALID_PARAMETER, "Invalid parameter", "grant_type is invalid"
                )
            access = self._issue_access()
            self._refresh_token = self._new_token("rt")
            expires: Any = str(self.expires_in) if self.expires_in_as_string else self.expires_in
            return 200, {
                "access_token": access,
                "refresh_token": self._refresh_token,
                "expires_in": expires,
            }

    def _send(self, call: RecordedCall) -> Reply:
        body = call.params
        recipient = body.get("recipient")
        message = body.get("message")
        if not isinstance(recipient, dict) or not isinstance(message, dict):
            raise self._oa_error(-201)
        user_id = recipient.get("user_id") or ""
        if not user_id and not recipient.get("message_id"):
            raise self._oa_error(-201)
        text = message.get("text")
        attachment = message.get("attachment")
        if not text and not attachment:
            raise self._oa_error(-201)
        if text is not None and len(str(text)) > 2000:
            raise self._oa_error(-201, "Text length exceeds 2000 characters")
        if isinstance(attachment, dict):
            for button in (attachment.get("payload") or {}).get("buttons") or []:
                if button.get("type") not in _OA_BUTTON_TYPES or not button.get("title"):
                    raise self._oa_error(-201, "Button is invalid")
        user_id = str(user_id)
        if self.window_days is not None and user_id:
            with self._lock:
                last = self._interactions.get(user_id)
            if last is None or _now_ms() - last > self.window_days * 86_400_000:
                raise self._oa_error(-230)
        message_id = self._msg_id()
        with self._lock:
            self._sent.append(
                {
                    "path": call.method,
                    "user_id": user_id,
                    "message": message,
                    "message_id": message_id,
                    "time": time.time(),
                }
            )
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {"message_id": message_id, "user_id": user_id},
        }

    def _oa_info(self) -> JSONDict:
        return {
            "oa_id": self.oa_id,
            "name": self.oa_name,
            "description": "Tài khoản OA thử nghiệm",
            "oa_alias": "",
            "is_verified": True,
            "oa_type": 2,
            "cate_name": "Cơ quan nhà nước",
            "num_follower": 1024,
            "avatar": "https://s160-ava-talk.zadn.vn/emulator/oa.jpg",
            "cover": "https://cover-talk.zadn.vn/emulator/cover.jpg",
            "package_name": "Gói Nâng cao",
        }

    def _user_detail(self, call: RecordedCall) -> Reply:
        data = call.params_decoded.get("data")
        user_id = str(data.get("user_id", "")) if isinstance(data, dict) else ""
        if not user_id:
            raise self._oa_error(-201)
        with self._lock:
            profile = dict(self._profiles.get(user_id) or {})
            last = self._interactions.get(user_id)
        display = profile.pop("display_name", f"Người dùng {user_id[-4:]}")
        result = {
            "user_id": user_id,
            "user_id_by_app": self._user_id_by_app(user_id),
            "display_name": display,
            "user_alias": "",
            "is_sensitive": False,
            "user_last_interaction_date": (
                time.strftime("%d/%m/%Y", time.localtime(last / 1000)) if last else ""
            ),
            "user_is_follower": True,
            "avatar": "https://s120-ava-talk.zadn.vn/emulator/user.jpg",
            "tags_and_notes_info": {"notes": [], "tag_names": []},
            **profile,
        }
        return 200, {"error": 0, "message": "Success", "data": result}


# --------------------------------------------------------------------------------------------
# Zalo Bot Platform
# --------------------------------------------------------------------------------------------

ZALO_BOT_EVENTS = (
    "message.text.received",
    "message.image.received",
    "message.sticker.received",
    "message.unsupported.received",
)
_ZB_PATH_RE = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z_]+)/?$")


def _zb_error(status: int, description: str) -> _ApiError:
    return _ApiError(status, {"ok": False, "error_code": status, "description": description})


class ZaloBotEmulator(_EmulatorBase):
    """Zalo Bot Platform (``bot-api.zaloplatforms.com``) at ``/bot<token>/<method>``, JSON POSTs.

    ``getUpdates`` hands out ONE queued update per call as ``{"ok": true, "result": update}``;
    with nothing queued it waits ``min(timeout, max_poll_timeout)`` seconds and answers
    HTTP 408 ``{"ok": false, "error_code": 408, "description": "Request timeout"}``.
    Updates are ``{"event_name": ..., "message": {...}}``. Webhook deliveries
    (:meth:`post_webhook`) wrap the update as ``{"ok": true, "result": update}`` by default,
    as one public description of the platform shows (unconfirmed; ``envelope=False`` sends the
    bare update) - adapters should accept both.
    """

    _thread_name = "zalo-bot-emulator"

    def __init__(
        self,
        *,
        bot_id: str = "1459232241454765289",
        account_name: str = "bot.AnToanTreEm",
        valid_token: str | None = None,
        max_poll_timeout: float = 3.0,
        poll_timeout_status: int = 408,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.bot_id = bot_id
        self.account_name = account_name
        self.valid_token = valid_token
        self.max_poll_timeout = max_poll_timeout
        self.poll_timeout_status = poll_timeout_status
        self._seq = itertools.count(1)
        self._updates: list[JSONDict] = []
        self._sent: list[JSONDict] = []
        self.webhook: JSONDict = {}
        self._handlers: dict[str, Callable[[RecordedCall], Any]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "sendsticker": self._send_sticker,
            "sendchataction": self._send_chat_action,
        }

    @property
    def api_base_url(self) -> str:
        """Stand-in for ``https://bot-api.zaloplatforms.com``: ``{api_base_url}/bot<T>/<m>``."""
        return self.base_url

    @property
    def sent_messages(self) -> list[JSONDict]:
        """``{"method", "chat_id", "text"/"photo"/"caption"/"sticker", "message_id", "date"}``."""
        with self._lock:
            return [dict(m) for m in self._sent]

    def messages_to(self, chat_id: str) -> list[JSONDict]:
        return [m for m in self.sent_messages if m["chat_id"] == str(chat_id)]

    @property
    def pending_updates(self) -> list[JSONDict]:
        with self._lock:
            return list(self._updates)

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._scripted.clear()
            self._updates.clear()
            self._sent.clear()
            self.webhook = {}

    # ---- updates in ---------------------------------------------------------------------------

    def inject_update(self, update: JSONDict) -> JSONDict:
        """Queue an update for ``getUpdates`` (one is handed out per call, oldest first)."""
        with self._lock:
            self._updates.append(update)
        return update

    def post_webhook(
        self,
        url: str,
        update: JSONDict,
        secret_token: str | None = None,
        *,
        envelope: bool = True,
        timeout: float = 5.0,
    ) -> httpx.Response:
        """POST ``update`` to ``url`` with header ``X-Bot-Api-Secret-Token``."""
        payload = {"ok": True, "result": update} if envelope else update
        return _post_json(url, payload, self._webhook_headers(secret_token), timeout)

    async def apost_webhook(
        self,
        url: str,
        update: JSONDict,
        secret_token: str | None = None,
        *,
        envelope: bool = True,
        timeout: float = 5.0,
    ) -> httpx.Response:
        payload = {"ok": True, "result": update} if envelope else update
        return await _apost_json(url, payload, self._webhook_headers(secret_token), timeout)

    def deliver_update(self, update: JSONDict, *, envelope: bool = True) -> httpx.Response:
        """POST ``update`` to the webhook registered with ``setWebhook``, with its secret."""
        with self._lock:
            url, secret = self.webhook.get("url"), self.webhook.get("secret_token")
        if not url:
            raise AssertionError("no webhook is set (setWebhook was not called)")
        return self.post_webhook(url, update, secret, envelope=envelope)

    @staticmethod
    def _webhook_headers(secret_token: str | None) -> dict[str, str]:
        return {"X-Bot-Api-Secret-Token": secret_token} if secret_token else {}

    # ---- update builders ---------------------------------------------------------------------

    def _message_id(self) -> str:
        return f"{secrets.token_hex(6)}{next(self._seq):08x}"

    def _update(
        self,
        event_name: str,
        chat_id: str,
        fields: JSONDict,
        *,
        user_id: str | None,
        display_name: str,
        chat_type: str,
        message_id: str | None,
        date_ms: int | None,
    ) -> JSONDict:
        message: JSONDict = {
            "from": {"id": str(user_id or chat_id), "display_name": display_name, "is_bot": False},
            "chat": {"id": str(chat_id), "chat_type": chat_type},
            "message_id": message_id or self._message_id(),
            "date": date_ms if date_ms is not None else _now_ms(),
            **fields,
        }
        return {"event_name": event_name, "message": message}

    def text_update(
        self,
        chat_id: str,
        text: str,
        *,
        user_id: str | None = None,
        display_name: str = "Lan",
        chat_type: str = "PRIVATE",
        message_id: str | None = None,
        date_ms: int | None = None,
    ) -> JSONDict:
        return self._update(
            "message.text.received",
            chat_id,
            {"text": text},
            user_id=user_id,
            display_name=display_name,
            chat_type=chat_type,
            message_id=message_id,
            date_ms=date_ms,
        )

    def image_update(
        self,
        chat_id: str,
        photo_url: str = "https://photo-stal-9.zdn.vn/emulator/bot-photo.jpg",
        caption: str | None = None,
        **kwargs: Any,
    ) -> JSONDict:
        # Sources name the field ``photo`` or ``photo_url`` (unconfirmed): both are sent.
        fields: JSONDict = {"photo": photo_url, "photo_url": photo_url}
        if caption is not None:
            fields["caption"] = caption
        return self._update("message.image.received", chat_id, fields, **self._defaults(kwargs))

    def sticker_update(
        self, chat_id: str, sticker: str = "0e078a2fb66a5f34067b", **kwargs: Any
    ) -> JSONDict:
        url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker}&size=130"
        fields = {"sticker": sticker, "url": url}
        return self._update("message.sticker.received", chat_id, fields, **self._defaults(kwargs))

    def unsupported_update(self, chat_id: str, **kwargs: Any) -> JSONDict:
        return self._update("message.unsupported.received", chat_id, {}, **self._defaults(kwargs))

    @staticmethod
    def _defaults(kwargs: JSONDict) -> JSONDict:
        out: JSONDict = {
            "user_id": None,
            "display_name": "Lan",
            "chat_type": "PRIVATE",
            "message_id": None,
            "date_ms": None,
        }
        unknown = set(kwargs) - set(out)
        if unknown:
            raise TypeError(f"unexpected arguments: {sorted(unknown)}")
        out.update(kwargs)
        return out

    # ---- request handling --------------------------------------------------------------------

    def _key(self, method: str) -> str:
        return method.lower()

    def _resolve(self, request: Request) -> tuple[str, str | None]:
        match = _ZB_PATH_RE.match(request.url.path)
        if not match:
            return request.url.path, None
        return match["method"], match["token"]

    def _precheck(self, call: RecordedCall) -> Reply | None:
        if call.token is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not found"}
        if self.valid_token is not None and call.token != self.valid_token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return None

    def _default_failure(self, status: int | None, body: Any, details: JSONDict) -> Reply:
        status = status or 500
        if body is not None:
            return status, body
        description = details.pop("description", None)
        if details:
            raise TypeError(f"unexpected arguments: {sorted(details)}")
        defaults = {429: "Quota exceeded", 401: "Unauthorized", 408: "Request timeout"}
        return status, {
            "ok": False,
            "error_code": status,
            "description": description or defaults.get(status, _phrase(status)),
        }

    async def _dispatch(self, call: RecordedCall) -> Reply:
        handler = self._handlers.get(call.method.lower())
        if handler is None:
            raise _zb_error(404, "Not found")
        result = handler(call)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    # ---- methods ------------------------------------------------------------------------------

    def _get_me(self, call: RecordedCall) -> Reply:
        result = {
            "id": self.bot_id,
            "account_name": self.account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
        }
        return 200, {"ok": True, "result": result}

    async def _get_updates(self, call: RecordedCall) -> Reply:
        timeout = max(0.0, _as_float(call.params.get("timeout"), 30.0))
        with self._lock:
            if self.webhook.get("url"):  # unconfirmed code; the platform forbids both modes
                raise _zb_error(409, "Conflict: webhook is active, call deleteWebhook first")
        await self._wait_until(lambda: bool(self._updates), min(timeout, self.max_poll_timeout))
        with self._lock:
            if self._updates:
                return 200, {"ok": True, "result": self._updates.pop(0)}
        status = self.poll_timeout_status
        return status, {"ok": False, "error_code": 408, "description": "Request timeout"}

    def _set_webhook(self, call: RecordedCall) -> Reply:
        url = str(call.params.get("url") or "")
        secret = str(call.params.get("secret_token") or "")
        if not url:
            raise _zb_error(400, "Bad request: url is required")
        if not 8 <= len(secret) <= 256:
            raise _zb_error(400, "Bad request: secret_token must be 8-256 characters")
        now = _now_ms()
        with self._lock:
            self.webhook = {"url": url, "secret_token": secret, "updated_at": now}
        return 200, {"ok": True, "result": {"url": url, "updated_at": now}}

    def _delete_webhook(self, call: RecordedCall) -> Reply:
        now = _now_ms()
        with self._lock:
            self.webhook = {}
        return 200, {"ok": True, "result": {"url": "", "updated_at": now}}

    def _get_webhook_info(self, call: RecordedCall) -> Reply:
        with self._lock:
            result = {
                "url": self.webhook.get("url", ""),
                "updated_at": self.webhook.get("updated_at", 0),
            }
        return 200, {"ok": True, "result": result}

    def _chat_id(self, call: RecordedCall) -> str:
        chat_id = call.params.get("chat_id")
        if chat_id in (None, ""):
            raise _zb_error(400, "Bad request: chat_id is required")
        return str(chat_id)

    def _record_sent(self, method: str, chat_id: str, fields: JSONDict) -> Reply:
        result = {"message_id": self._message_id(), "date": _now_ms()}
        with self._lock:
            self._sent.append({"method": method, "chat_id": chat_id, **fields, **result})
        return 200, {"ok": True, "result": result}

    def _send_message(self, call: RecordedCall) -> Reply:
        chat_id = self._chat_id(call)
        text = call.params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            raise _zb_error(400, "Bad request: text must be 1-2000 characters")
        return self._record_sent("sendMessage", chat_id, {"text": text})

    def _send_photo(self, call: RecordedCall) -> Reply:
        chat_id = self._chat_id(call)
        photo = call.params.get("photo")
        caption = call.params.get("caption")
        if not photo:
            raise _zb_error(400, "Bad request: photo is required")
        if caption is not None and len(str(caption)) > 2000:
            raise _zb_error(400, "Bad request: caption must be 1-2000 characters")
        return self._record_sent("sendPhoto", chat_id, {"photo": photo, "caption": caption})

    def _send_sticker(self, call: RecordedCall) -> Reply:
        chat_id = self._chat_id(call)
        sticker = call.params.get("sticker")
        if not sticker:
            raise _zb_error(400, "Bad request: sticker is required")
        return self._record_sent("sendSticker", chat_id, {"sticker": sticker})

    def _send_chat_action(self, call: RecordedCall) -> Reply:
        self._chat_id(call)
        if call.params.get("action") not in ("typing", "upload_photo"):
            raise _zb_error(400, "Bad request: action is invalid")
        return 200, {"ok": True}
