"""Feishu/Lark: the bot in Feishu groups and 1:1 chats, over HTTP event callbacks.

Only what is Feishu's lives here (the rest is bot/chat/): `gate.py` verifies a callback before the SDK
sees it, `http.py` hands it to lark-oapi's dispatcher, `parse.py` turns a message event into an
`Incoming`, `service.py` receives it exactly once and answers card buttons, `cards.py` renders a
`Reply` as an interactive card, `api.py` sends through the Open API (the outbox's `FeishuSender`),
`digest.py` posts deadline digests, `server.py` checks the settings and starts it inside `serve`.
Installing: docs/feishu.md.
"""
