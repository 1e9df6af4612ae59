"""Slack: slack-bolt's AsyncApp served at /slack/events or over Socket Mode (app.py), Reply to
Block Kit (render.py), and the scheduler's notifier (notifier.py). Like bot/teams/, everything
Slack-specific lives here; handlers/ and scheduler/ know nothing of it."""
