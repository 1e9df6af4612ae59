"""Slack through slack-bolt's AsyncApp: mentions, DMs, bot threads, /styrelse, buttons, App Home
and document uploads, served at POST /slack/events (or over Socket Mode with SLACK_APP_TOKEN).

Thin on purpose. Each listener acknowledges at once (Slack wants an answer within 3 s) and
starts a task that turns the payload into a `Message`, runs the synchronous Assistant in a
worker thread and posts its `Reply`. Retries and the same message arriving as both
`app_mention` and `message` stop at a unique row in the store (storage/events.py): only the
task that inserted it replies, in this process or any other.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import html
import logging
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlmodel import Session, select

from bot.services import Services
from bot.slack.render import escape, handler_action_id, render_home, render_reply
from handlers.assistant import linked_organisation
from handlers.context import STOCKHOLM
from handlers.documents import UploadDecision, check_upload, load_upload
from handlers.home import home_sections
from handlers.language import detect_language
from handlers.linking import register_email_lookup
from handlers.messages import Message, Reply
from storage.events import claim_event, is_bot_thread, release_event, remember_thread
from storage.models import Person
from storage.settings import Settings

log = logging.getLogger(__name__)

PLATFORM = "slack"
EVENTS_PATH = "/slack/events"
# Plain messages, messages with files, and thread replies also sent to the channel; edits,
# deletions, joins and other bots' posts are not questions.
HANDLED_SUBTYPES = {None, "file_share", "thread_broadcast"}
DOWNLOAD_TIMEOUT_S = 120
EMAIL_LOOKUP_TIMEOUT_S = 10
DRAIN_TIMEOUT_S = 30
UPLOAD_THREADS = 4
_LINK = re.compile(r"<((?:https?|mailto):[^<>|\s]+)(?:\|([^<>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^<>]*)>")


def api_url(settings: Settings) -> str:
    url = settings.slack_api_url
    return url if url.endswith("/") else url + "/"


def make_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.slack_bot_token,
        base_url=api_url(settings),
        retry_handlers=[AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )


def configuration_problem(settings: Settings) -> str | None:
    """What keeps Slack from working with these settings, in words an admin can act on."""
    if not settings.slack_bot_token:
        if settings.slack_app_token:
            return ("SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: set the Bot User OAuth Token "
                    "(xoxb-…) from the app's OAuth & Permissions page.")
        return None
    if settings.slack_app_token:
        if not settings.slack_app_token.startswith("xapp-"):
            return ("SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write "
                    "scope, from the app's Basic Information page.")
        return None
    if not settings.slack_signing_secret:
        return ("SLACK_SIGNING_SECRET is not set, so Slack's requests cannot be verified: copy it from the "
                "app's Basic Information page, or set SLACK_APP_TOKEN to connect through Socket Mode.")
    return None


def slack_mode(settings: Settings) -> str | None:
    """"http", "socket", or None when Slack is not configured."""
    if not settings.slack_bot_token or configuration_problem(settings):
        return None
    return "socket" if settings.slack_app_token else "http"


def clean_text(text: str, bot_user_id: str | None) -> str:
    """Slack's text as the person wrote it: the bot's own mention dropped, links and channel
    names readable, entities decoded; other users' mentions stay (`person <@U…>` needs them)."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = _CHANNEL.sub(lambda m: "#" + m.group(1), text)
    text = html.unescape(text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _quiet_token_warning(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment itself and warns that the client we pass
    # (which carries that very token, and our base_url) wins; nothing is wrong, so say nothing.
    return "`token` will be unused" not in record.getMessage()


@dataclass(frozen=True)
class Target:
    """Where a reply goes."""

    channel: str
    thread_ts: str | None = None  # None: a top-level message
    user_id: str | None = None  # the asker, for ephemeral replies
    in_dm: bool = False
    response_url: str | None = None  # slash commands, buttons on ephemeral messages
    root_ts: str | None = None  # the root of the thread the question came from, if any


class DownloadError(Exception):
    def __init__(self, sv: str, en: str) -> None:
        super().__init__(en)
        self.sv = sv
        self.en = en


class SlackAdapter:
    def __init__(self, services: Services, client: AsyncWebClient | None = None) -> None:
        self.services = services
        self.engine = services.engine
        self.assistant = services.assistant
        self.settings = services.settings
        self.client = client or make_client(self.settings)
        bolt_log = logging.getLogger("bot.slack.bolt")
        bolt_log.addFilter(_quiet_token_warning)
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=self.settings.slack_signing_secret or "",
            name="boardbot",
            logger=bolt_log,
        )
        self._tasks: set[asyncio.Task[None]] = set()
        # Uploads wait for a reading slot (storage.ingest.sandbox) in threads of their own, so
        # a queue of files never takes the worker threads that answer questions.
        self._uploads = ThreadPoolExecutor(max_workers=UPLOAD_THREADS, thread_name_prefix="slack-upload")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._register_listeners()
        register_email_lookup(PLATFORM, self._lookup_email_blocking)

    # --- plumbing -----------------------------------------------------------------------------

    def _register_listeners(self) -> None:
        bolt = self.bolt
        bolt.event("app_mention")(self._on_mention)
        bolt.event("message")(self._on_message)
        bolt.event("file_shared")(self._on_file_shared)
        bolt.event("app_home_opened")(self._on_home_opened)
        bolt.command(re.compile(r"^/"))(self._on_command)
        bolt.action(re.compile(r".+"))(self._on_action)
        # Anything else Slack sends is acknowledged quietly: an unhandled event answered with 404
        # would only be retried.
        bolt.event(re.compile(r".*"))(self._on_other_event)

    def _spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        self._loop = asyncio.get_running_loop()
        task = asyncio.create_task(self._guard(work, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guard(work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except Exception:
            log.exception("Slack %s failed", what)

    async def drain(self, timeout: float = DRAIN_TIMEOUT_S) -> None:
        """Waits for the work already started (tests; a clean shutdown that loses no answer)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await asyncio.sleep(0.02)  # a listener may be about to start its task
            pending = set(self._tasks)
            if not pending or loop.time() >= deadline:
                return
            await asyncio.wait(pending, timeout=max(0.0, deadline - loop.time()))

    async def handle_http(self, request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        bolt_response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def start_socket_mode(self, app_token: str) -> None:
        self._socket = AsyncSocketModeHandler(self.bolt, app_token)
        await self._socket.connect_async()
        log.info("Slack connected through Socket Mode")

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.drain()
        self._uploads.shutdown(wait=False, cancel_futures=True)

    def _lookup_email_blocking(self, user_id: str) -> str | None:
        """users.info from a worker thread, on the event loop that owns the client."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return None
        future = asyncio.run_coroutine_threadsafe(self.client.users_info(user=user_id), loop)
        response = future.result(timeout=EMAIL_LOOKUP_TIMEOUT_S)
        profile = (response.get("user") or {}).get("profile") or {}
        email = profile.get("email")
        return str(email) if email else None

    # --- listeners: acknowledge, then work in a task ----------------------------------------

    async def _on_mention(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        self._spawn(self._user_message(event, context.bot_user_id, addressed=True), "app_mention")

    async def _on_message(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        self._spawn(self._user_message(event, context.bot_user_id, addressed=False), "message")

    async def _on_file_shared(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        self._spawn(self._file_shared(event, context.bot_user_id), "file_shared")

    async def _on_home_opened(self, event: dict[str, Any]) -> None:
        if event.get("tab") == "home" and event.get("user"):
            self._spawn(self.publish_home(str(event["user"])), "app_home_opened")

    async def _on_other_event(self, event: dict[str, Any]) -> None:
        log.debug("ignored Slack event %s", event.get("type"))

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._slash_command(command), "slash command")

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._button(body, action), "block action")

    # --- the work -----------------------------------------------------------------------------

    async def _user_message(self, event: dict[str, Any], bot_user_id: str | None, *, addressed: bool) -> None:
        if event.get("bot_id") or event.get("subtype") not in HANDLED_SUBTYPES or event.get("hidden"):
            return
        user, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
        if not user or not channel or not ts or user == bot_user_id:
            return
        thread_ts: str | None = event.get("thread_ts")
        in_thread = bool(thread_ts) and thread_ts != ts
        in_dm = event.get("channel_type") == "im" or channel.startswith("D")
        addressed = addressed or in_dm
        message = Message(
            text=clean_text(event.get("text") or "", bot_user_id),
            platform=PLATFORM,
            user_id=user,
            conversation_id=channel,
            thread_id=thread_ts if in_thread else None,
            message_id=None if in_dm else ts,
        )
        target = Target(
            channel=channel,
            # In a channel every answer goes into the question's thread; a DM reads like a chat.
            thread_ts=thread_ts if in_thread else (None if in_dm else ts),
            user_id=user,
            in_dm=in_dm,
            root_ts=thread_ts if in_thread else None,
        )
        files = [f for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")]
        if files:
            for file in files:
                await self._shared_file(file, message, target, direct=in_dm, addressed=addressed)
            return
        if not addressed:
            if not in_thread or thread_ts is None:
                return
            if not await asyncio.to_thread(is_bot_thread, self.engine, PLATFORM, channel, thread_ts):
                return
        if not await asyncio.to_thread(claim_event, self.engine, PLATFORM, f"{channel}:{ts}"):
            log.info("Slack message %s:%s already handled", channel, ts)
            return
        reply = await asyncio.to_thread(self.assistant.handle, message)
        await self.deliver(reply, target)

    async def _slash_command(self, command: dict[str, Any]) -> None:
        channel = str(command.get("channel_id") or "")
        user = str(command.get("user_id") or "")
        message = Message(text=clean_text(str(command.get("text") or ""), None), platform=PLATFORM,
                          user_id=user, conversation_id=channel or None)
        target = Target(channel=channel, user_id=user, in_dm=channel.startswith("D"),
                        response_url=command.get("response_url"))
        reply = await asyncio.to_thread(self.assistant.handle, message)
        await self.deliver(reply, target)

    async def _button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        if action.get("type") not in (None, "button"):
            return
        user = str((body.get("user") or {}).get("id") or "")
        container = body.get("container") or {}
        label = str((action.get("text") or {}).get("text") or "")
        action_id = handler_action_id(str(action.get("action_id") or ""))
        value = str(action.get("value") or "")
        if container.get("type") == "view":
            # A button in App Home: answer in the DM with the bot, then refresh the Home tab.
            message = Message(text=label, platform=PLATFORM, user_id=user, action_id=action_id,
                              action_value=value)
            reply = await asyncio.to_thread(self.assistant.handle, message)
            await self.deliver(reply, Target(channel=user, user_id=user, in_dm=True))
            await self.publish_home(user)
            return
        channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        posted = body.get("message") or {}
        root = posted.get("thread_ts") or container.get("thread_ts") or container.get("message_ts")
        in_dm = channel.startswith("D")
        ephemeral = bool(container.get("is_ephemeral"))
        message = Message(text=label, platform=PLATFORM, user_id=user, conversation_id=channel,
                          thread_id=root, action_id=action_id, action_value=value)
        in_thread = posted.get("thread_ts") or container.get("thread_ts")
        target = Target(
            channel=channel,
            thread_ts=(in_thread or None) if in_dm or ephemeral else root,
            user_id=user,
            in_dm=in_dm,
            response_url=body.get("response_url") if ephemeral else None,
            root_ts=root,
        )
        reply = await asyncio.to_thread(self.assistant.handle, message)
        if ephemeral and not reply.private:
            # A public answer to a private prompt goes to the conversation, not back to the prompt.
            target = replace(target, response_url=None)
        await self.deliver(reply, target)

    async def _file_shared(self, event: dict[str, Any], bot_user_id: str | None) -> None:
        user = event.get("user_id")
        channel = event.get("channel_id")
        file_id = event.get("file_id") or (event.get("file") or {}).get("id")
        if not user or not channel or not file_id or user == bot_user_id:
            return
        direct = channel.startswith("D")
        if not direct and not await asyncio.to_thread(self._is_linked, channel):
            return  # checked before files.info: most files in most channels are none of our business
        try:
            file = (await self.client.files_info(file=file_id)).get("file") or {}
        except SlackApiError as exc:
            log.warning("files.info %s failed: %s", file_id, exc.response.get("error"))
            return
        share = _share_in(file, channel)
        thread_ts = share.get("thread_ts") or (None if direct else share.get("ts"))
        message = Message(text="", platform=PLATFORM, user_id=user, conversation_id=channel,
                          thread_id=share.get("thread_ts"))
        target = Target(channel=channel, thread_ts=thread_ts, user_id=user, in_dm=direct,
                        root_ts=share.get("thread_ts"))
        await self._shared_file(file, message, target, direct=direct, addressed=direct)

    def _is_linked(self, channel: str) -> bool:
        with Session(self.engine) as session:
            probe = Message(text="", platform=PLATFORM, conversation_id=channel)
            return linked_organisation(session, probe) is not None

    async def _shared_file(self, file: dict[str, Any], message: Message, target: Target, *,
                           direct: bool, addressed: bool) -> None:
        file_id = str(file["id"])
        if not file.get("name") or file.get("file_access") == "check_file_info":
            file = (await self.client.files_info(file=file_id)).get("file") or file
        name = str(file.get("name") or file.get("title") or file_id)
        size = file.get("size") if isinstance(file.get("size"), int) else None
        decision: UploadDecision = await asyncio.to_thread(
            check_upload, self.engine, message, name, size, direct=direct, addressed=addressed)
        if not decision.load and decision.reply is None:
            return
        # The same upload arrives as `message`, `file_shared` and perhaps `app_mention`: one reply.
        if not await asyncio.to_thread(claim_event, self.engine, PLATFORM, f"file:{target.channel}:{file_id}"):
            return
        if decision.reply is not None:
            await self.deliver(decision.reply, target)
            return
        language = detect_language(message.text)
        progress = await self._post(target.channel, target.thread_ts, {
            "text": f"Reading {name} …" if language == "en" else f"Läser in {name} …"})
        try:
            data = await self._download(file)
        except DownloadError as exc:
            reply = Reply(exc.en if language == "en" else exc.sv, answered=False, language=language)
        else:
            reply = await asyncio.get_running_loop().run_in_executor(
                self._uploads, functools.partial(load_upload, self.engine, message, decision, data, name))
        await self.deliver(reply, target, replace_ts=progress)

    async def _download(self, file: dict[str, Any]) -> bytes:
        name = str(file.get("name") or "filen")
        url = file.get("url_private_download") or file.get("url_private")
        if not url:
            raise DownloadError(f"Slack gav mig ingen länk till {name}.", f"Slack gave me no link to {name}.")
        if not self._trusted_file_host(str(url)):
            # The bot token goes only to Slack (or the configured stand-in), never elsewhere.
            raise DownloadError(f"{name} ligger inte hos Slack, så jag hämtar den inte.",
                                f"{name} is not stored at Slack, so I do not fetch it.")
        limit = self.settings.max_document_bytes
        headers = {"Authorization": f"Bearer {self.settings.slack_bot_token}"}
        data = bytearray()
        try:
            timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_S)
            async with aiohttp.ClientSession(timeout=timeout) as session, \
                    session.get(str(url), headers=headers) as response:
                if response.status != 200:
                    raise DownloadError(f"Slack lämnade inte ut {name} (HTTP {response.status}).",
                                        f"Slack did not hand out {name} (HTTP {response.status}).")
                if response.content_type == "text/html" and not name.lower().endswith((".html", ".htm")):
                    raise DownloadError(
                        f"Slack visade en inloggningssida i stället för {name}: appen saknar behörigheten "
                        "files:read. Lägg till den och installera om appen.",
                        f"Slack showed a login page instead of {name}: the app lacks the files:read scope. "
                        "Add it and reinstall the app.")
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data.extend(chunk)
                    if len(data) > limit:
                        raise DownloadError(f"{name} är större än {limit // (1024 * 1024)} MB.",
                                            f"{name} is larger than {limit // (1024 * 1024)} MB.")
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("downloading %s failed: %s", name, exc)
            raise DownloadError(f"Jag kunde inte hämta {name} från Slack; försök igen om en stund.",
                                f"I could not fetch {name} from Slack; please try again shortly.") from None
        return bytes(data)

    def _trusted_file_host(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        api_host = (urlsplit(api_url(self.settings)).hostname or "").lower()
        return host == api_host or host == "slack.com" or host.endswith(".slack.com")

    async def publish_home(self, user_id: str) -> None:
        today = self.services.clock().astimezone(STOCKHOLM).date()
        sections = await asyncio.to_thread(self._home_sections, user_id, today)
        await self.client.views_publish(user_id=user_id, view=render_home(sections))

    def _home_sections(self, user_id: str, today: dt.date) -> list[Any]:
        with Session(self.engine) as session:
            return home_sections(session, PLATFORM, user_id, today)

    # --- posting ------------------------------------------------------------------------------

    async def _post(self, channel: str, thread_ts: str | None, payload: dict[str, Any]) -> str | None:
        kwargs: dict[str, Any] = {"channel": channel, **payload}
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        response = await self.client.chat_postMessage(**kwargs)
        ts = response.get("ts")
        posted_in = str(response.get("channel") or channel)
        if ts:
            await asyncio.to_thread(remember_thread, self.engine, PLATFORM, posted_in, thread_ts or str(ts))
        return str(ts) if ts else None

    async def _respond(self, response_url: str, payload: dict[str, Any], *, ephemeral: bool) -> None:
        response = await AsyncWebhookClient(response_url).send(
            text=payload["text"], blocks=payload.get("blocks"),
            response_type="ephemeral" if ephemeral else "in_channel", replace_original=False)
        if response.status_code != 200:
            log.warning("response_url answered %s: %s", response.status_code, response.body)

    async def deliver(self, reply: Reply, target: Target, *, replace_ts: str | None = None) -> str | None:
        """Posts a Reply where it belongs and returns the message ts (None for ephemeral ones)."""
        payload = render_reply(reply)
        ts: str | None = None
        try:
            if reply.anchor and not reply.private:
                ts = await self._post_anchor(reply, target, payload)
            elif reply.private and not target.in_dm:
                if replace_ts:
                    # The public "reading …" note gets a neutral end; the reason is for the asker only.
                    await self.client.chat_update(
                        channel=target.channel, ts=replace_ts, blocks=[],
                        text="Nothing was loaded." if reply.language == "en" else "Inget lästes in.")
                if target.response_url:
                    await self._respond(target.response_url, payload, ephemeral=True)
                elif target.user_id:
                    kwargs: dict[str, Any] = {"channel": target.channel, "user": target.user_id, **payload}
                    if target.thread_ts:
                        kwargs["thread_ts"] = target.thread_ts
                    await self.client.chat_postEphemeral(**kwargs)
            elif target.response_url:
                # A slash command: answers are shared with the channel; failures and "I don't know"
                # only with the asker.
                await self._respond(target.response_url, payload, ephemeral=not reply.answered)
            elif replace_ts:
                await self.client.chat_update(channel=target.channel, ts=replace_ts, **payload)
                ts = replace_ts
            else:
                ts = await self._post(target.channel, target.thread_ts, payload)
            if reply.image_path and not reply.private:
                await self._upload_image(reply, target, ts)
            if reply.text_file and not reply.private:
                # An anchor is a new thread's root: the file goes into that thread.
                thread = ts if reply.anchor else (target.thread_ts or ts)
                if thread:
                    await self._upload_text(reply, target.channel, thread)
        except SlackApiError as exc:
            error = exc.response.get("error")
            log.warning("Slack refused a reply in %s: %s", target.channel, error)
            if target.response_url and error in ("not_in_channel", "channel_not_found"):
                notice = Reply("Jag är inte med i den här kanalen. Bjud in mig med /invite och försök igen.",
                               answered=False, private=True)
                await self._respond(target.response_url, render_reply(notice), ephemeral=True)
            return None
        except SlackClientError as exc:
            log.warning("could not reach Slack to reply in %s: %s", target.channel, exc)
            return None
        await self._followups(reply, target)
        return ts

    async def _post_anchor(self, reply: Reply, target: Target, payload: dict[str, Any]) -> str | None:
        """A Reply that starts its own thread (e.g. a justering round): a new top-level message."""
        assert reply.anchor is not None
        response = await self.client.chat_postMessage(channel=target.channel, **payload)
        ts = response.get("ts")
        if not ts:
            return None
        channel = str(response.get("channel") or target.channel)
        await asyncio.to_thread(remember_thread, self.engine, PLATFORM, channel, str(ts))
        await asyncio.to_thread(self.assistant.anchor_posted, reply.anchor, PLATFORM, channel, str(ts))
        if target.response_url:
            await self._respond(target.response_url, {"text": "Klart: se tråden i kanalen."}, ephemeral=True)
        return str(ts)

    async def _upload_image(self, reply: Reply, target: Target, ts: str | None) -> None:
        path = Path(reply.image_path or "")
        if not path.is_file():
            log.warning("reply image %s does not exist", path)
            return
        await self.client.files_upload_v2(
            channel=target.channel, thread_ts=target.thread_ts or ts, file=str(path), filename=path.name,
            title=reply.image_alt or path.stem, alt_txt=reply.image_alt or path.stem)

    async def _upload_text(self, reply: Reply, channel: str, thread_ts: str) -> None:
        """The attached text (e.g. the exact protocol version to sign) as a file in the thread,
        its title naming the version hash; each file once per thread, across restarts (a root
        updated to a corrected version brings that version's file, an unchanged one nothing)."""
        assert reply.text_file is not None
        file = reply.text_file
        claim = f"text:{channel}:{thread_ts}:{file.filename}"
        if not await asyncio.to_thread(claim_event, self.engine, PLATFORM, claim):
            return
        try:
            await self.client.files_upload_v2(
                channel=channel, thread_ts=thread_ts, content=file.text, filename=file.filename, title=file.title)
        except (SlackApiError, SlackClientError) as exc:
            # The reply itself went out; the file did not. Released, so the next update of the
            # root posts it instead of finding it claimed.
            log.warning("could not post %s in %s: %s", file.filename, channel,
                        exc.response.get("error") if isinstance(exc, SlackApiError) else exc)
            await asyncio.to_thread(release_event, self.engine, PLATFORM, claim)

    async def _followups(self, reply: Reply, target: Target) -> None:
        for followup in reply.followups:
            try:
                if followup.kind == "notify_person" and followup.person_id is not None:
                    user_id = await asyncio.to_thread(self._slack_id_of, followup.person_id)
                    if user_id is None:
                        log.info("person %s has no Slack id; follow-up not sent", followup.person_id)
                        continue
                    await self._post(user_id, None, {"text": escape(followup.text)})
                elif followup.kind == "update_root" and followup.reply is not None and target.root_ts:
                    await self.client.chat_update(channel=target.channel, ts=target.root_ts,
                                                  **render_reply(followup.reply))
                    if followup.reply.text_file is not None:
                        await self._upload_text(followup.reply, target.channel, target.root_ts)
            except SlackApiError as exc:
                log.warning("follow-up %s failed: %s", followup.kind, exc.response.get("error"))

    def _slack_id_of(self, person_id: int) -> str | None:
        with Session(self.engine) as session:
            return session.exec(select(Person.slack_user_id).where(Person.id == person_id)).first()


def _share_in(file: dict[str, Any], channel: str) -> dict[str, Any]:
    """Where a file was shared in `channel` (its ts, and thread_ts when inside a thread)."""
    shares = file.get("shares") or {}
    for kind in ("public", "private"):
        entries = (shares.get(kind) or {}).get(channel) or []
        if entries:
            return dict(entries[0])
    return {}


SLACK_ADAPTER_KEY = web.AppKey("slack_adapter", SlackAdapter)


def mount(app: web.Application, services: Services) -> None:
    """Serves Slack at POST /slack/events, or connects through Socket Mode with SLACK_APP_TOKEN."""
    settings = services.settings
    problem = configuration_problem(settings)
    if problem:
        log.error("Slack is off: %s", problem)
        return
    mode = slack_mode(settings)
    if mode is None:
        log.info("Slack is off: SLACK_BOT_TOKEN is not set")
        return
    adapter = SlackAdapter(services)
    app[SLACK_ADAPTER_KEY] = adapter
    if mode == "socket":
        app_token = settings.slack_app_token or ""

        async def connect(_app: web.Application) -> None:
            await adapter.start_socket_mode(app_token)

        app.on_startup.append(connect)
    else:
        app.router.add_post(EVENTS_PATH, adapter.handle_http)

    async def close(_app: web.Application) -> None:
        await adapter.close()

    app.on_cleanup.append(close)
