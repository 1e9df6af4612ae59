"""Microsoft Teams through botbuilder-core.

Every botbuilder import of the project lives in this package, so that moving to Microsoft's
successor SDK (the Microsoft 365 Agents SDK) touches nothing outside it. This file imports
nothing: `boardbot teams …` uses `bot.teams.references` without loading botbuilder.

- adapter.py     CloudAdapter: single-tenant credentials, or the Emulator's local mode when
                 asked for; neither: Teams is off
- service_urls.py  the Bot Framework hosts replies and reminders may go to
- bot.py         the ActivityHandler: activity in, Message to the assistant, card out
- cards.py       Reply -> Adaptive Card 1.5
- references.py  conversation references and duplicate activities in the store
- notifier.py    proactive sends for the scheduler ("teams:<conversation id>")
- endpoint.py    POST /api/messages: 400 for malformed activities, 401 without a valid token,
                 403 for a serviceUrl that is not an allowed host or a tenant not served
- runtime.py     builds all of the above for bot/teams_app.py
"""
