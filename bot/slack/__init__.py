"""The Slack adapter: a thin door onto the core (bot.engine)."""
