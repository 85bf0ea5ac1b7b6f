"""DingTalk (钉钉) on the platform-neutral core (bot/chat/): what is DingTalk's and nothing more.

- stream.py: receiving with the official `dingtalk-stream` SDK in Stream mode (its own thread)
- message.py: a ChatbotMessage as a small dataclass; adapter.py: it as the core's `Incoming`, the core's
  `Reply` rendered (render.py, markdown.py: markdown / ActionCard, nothing injectable) into an outbox row
- reply.py, webhook.py, robot.py, api.py: sending (sessionWebhook, else the robot OpenAPI), DingTalk's
  error codes, the 20-a-minute limit (ratelimit.py)
- digest.py, digest_text.py, digest_client.py: deadline digests to groups through the shared ledger
- app.py: built from the settings for `serve` (bot/platforms.py registers it)
"""
