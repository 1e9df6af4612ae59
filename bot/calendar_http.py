"""GET /calendar/{organisation}.ics: an organisation's meetings and justering deadlines for
calendar subscriptions (Outlook, Google, Apple).

`{organisation}` is the organisation's id, its name, or its name as a slug
("samordningsforbundet-harnosand-timra"). The feed holds what the board's protocols make
public anyway (meeting dates, places, agendas, justering deadlines), so it needs no login,
like the notice board it mirrors.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlmodel import Session

from bot.services import Services
from scheduler.calendar import organisation_ics
from storage.organisations import organisation_by_address, slugify


def calendar_for(services: Services, key: str) -> bytes | None:
    with Session(services.engine) as session:
        organisation = organisation_by_address(session, key)
        if organisation is None:
            return None
        return organisation_ics(session, organisation, services.clock())


def mount(app: web.Application, services: Services) -> None:
    async def calendar(request: web.Request) -> web.Response:
        key = request.match_info["organisation"]
        body = await asyncio.to_thread(calendar_for, services, key)
        if body is None:
            return web.Response(status=404, text=f"Okänt förbund: {key[:80]}. Använd förbundets id eller namn.",
                                content_type="text/plain", charset="utf-8",
                                headers={"X-Content-Type-Options": "nosniff"})
        filename = slugify(key) or "kalender"
        return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                            headers={"Content-Disposition": f'inline; filename="{filename}.ics"',
                                     "Cache-Control": "max-age=900"})

    app.router.add_get("/calendar/{organisation}.ics", calendar)
