"""The platform-neutral shapes that flow between bot/ and handlers/.

bot/ turns a Slack event, a Teams activity or a console line into a `Message`, and renders
the `Reply` it gets back as Block Kit, an Adaptive Card or plain text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    text: str
    platform: str = "console"  # console, slack, teams
    user_id: str | None = None  # the platform's user id (Slack U…, Teams AAD object id)
    user_name: str | None = None
    conversation_id: str | None = None  # Slack channel, Teams conversation
    thread_id: str | None = None
    # The platform's id of this message (Slack ts): a top-level question's answer opens a thread
    # under it, so follow-ups written there find the question's context.
    message_id: str | None = None
    # The date the question is asked on (relative dates such as "nästa möte" use it).
    as_of: dt.date | None = None
    # A conversation linked to one organisation: a part of its name (console --org, eval `org`).
    organisation_hint: str | None = None
    # Set when the message is a button/card action rather than typed text.
    action_id: str | None = None
    action_value: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: organisation, document or meeting, and § where there is one."""

    organisation: str
    document: str | None = None
    meeting_date: dt.date | None = None
    paragraph: int | None = None
    kind: str | None = None  # protokoll, verksamhetsplan, tertialuppföljning, ...
    page: int | None = None  # set for documents of several pages (PDF, scans)
    also: str | None = None  # the same matter's § in another body's protocol: "KS § 41"
    heading: str | None = None  # where a document without § says it ("Beslut i korthet": a decision's heading)
    # One of the documents a file holds (an attached plan or report), cited by its own title,
    # and the date of the protocol it came with, if it came with one.
    part: str | None = None
    attached_to: dt.date | None = None
    attached_to_kind: str = "protokoll"  # or kallelse

    def part_label(self) -> str | None:
        """'Verksamhetsplan 2021 (bilaga till protokoll 2020-11-16)'."""
        if self.part is None:
            return None
        if self.attached_to is not None:
            return f"{self.part} (bilaga till {self.attached_to_kind} {self.attached_to.isoformat()})"
        return self.part

    def label(self) -> str:
        parts = [self.organisation]
        if self.part is not None:
            parts.append(self.part_label() or self.part)
        elif self.kind == "protokoll" and self.meeting_date:
            parts.append(f"protokoll {self.meeting_date.isoformat()}")
        elif self.document:
            parts.append(self.document)
        elif self.meeting_date:
            parts.append(f"sammanträde {self.meeting_date.isoformat()}")
        if self.paragraph is not None:
            parts.append(f"§ {self.paragraph}" + (f" ({self.also})" if self.also else ""))
        if self.heading:
            parts.append(f"”{self.heading}”")
        if self.page is not None:
            parts.append(f"sida {self.page}")
        return ", ".join(parts)

    def label_without_title(self) -> str:
        """The label with an attached document's title left out: what its words and dates say
        name the document, not the fact cited to it (a budget figure read from "Tertialuppföljning
        2021-04-30" is no outcome as of that day), so an answer's check does not count them."""
        if self.part is None:
            return self.label()
        parts = [self.organisation]
        if self.attached_to is not None:
            parts.append(f"bilaga till {self.attached_to_kind} {self.attached_to.isoformat()}")
        if self.paragraph is not None:
            parts.append(f"§ {self.paragraph}")
        if self.page is not None:
            parts.append(f"sida {self.page}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "document": self.document,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "paragraph": self.paragraph,
            "also": self.also,
            "heading": self.heading,
            "page": self.page,
            "part": self.part,
            "attached_to": f"{self.attached_to_kind} {self.attached_to.isoformat()}" if self.attached_to else None,
        }


@dataclass(frozen=True)
class Action:
    """A button: Slack renders it in an actions block, Teams as Action.Submit."""

    label: str
    action_id: str
    value: str = ""
    style: str | None = None  # primary, danger


@dataclass(frozen=True)
class Mention:
    """A person to @mention; each platform renders it its own way (or as the plain name)."""

    name: str
    slack_user_id: str | None = None
    teams_aad_id: str | None = None


@dataclass(frozen=True)
class TextFile:
    """A text to hand over whole, e.g. exactly the protocol version signers confirm: Slack posts
    it as a file in the thread, Teams links it at an address `boardbot serve` hands out."""

    filename: str
    title: str
    text: str


@dataclass
class Followup:
    """Something to do besides answering the asker.

    - "notify_person": send `text` privately to board member `person_id` (e.g. the secretary);
    - "update_root": replace the thread's root message with `reply` (e.g. a finished justering).
    """

    kind: str
    text: str = ""
    person_id: int | None = None
    reply: Reply | None = None


@dataclass
class Reply:
    text: str
    answered: bool = True
    sources: list[Source] = field(default_factory=list)
    # Label/value pairs behind the answer (shown as a FactSet in Teams, fields in Slack).
    facts: list[tuple[str, str]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    # Only the asker should see it (Slack ephemeral, Teams in personal scope).
    private: bool = False
    # A file to attach, e.g. a chart PNG.
    image_path: str | None = None
    image_alt: str | None = None
    text_file: TextFile | None = None
    language: str = "sv"
    mentions: list[Mention] = field(default_factory=list)
    followups: list[Followup] = field(default_factory=list)
    # Post as a new top-level message that starts a thread; after posting, the adapter calls
    # Assistant.anchor_posted(anchor, platform, channel_id, message_id) so handlers can bind
    # the thread (e.g. "justering_round:12").
    anchor: str | None = None

    def full_text(self) -> str:
        """The answer with its sources written out: what the console prints and eval matches."""
        if not self.sources:
            return self.text
        seen: list[str] = []
        for source in self.sources:
            label = source.label()
            if label not in seen:
                seen.append(label)
        head = "Källa" if self.language == "sv" else "Source"
        if len(seen) > 1:
            head = "Källor" if self.language == "sv" else "Sources"
        return f"{self.text}\n{head}: " + "; ".join(seen)

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.full_text(),
            "answered": self.answered,
            "sources": [s.as_dict() for s in self.sources],
        }
