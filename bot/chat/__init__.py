"""The platform-neutral core every chat platform (Slack, Feishu, DingTalk, ...) shares.

What is here: the conversation rules (`conversation.py`: commands, answers, thread follow-ups, the
question log, feedback, suggested questions), the shapes that cross the line (`messages.py`:
`Incoming`, `Reply`, `Action`), the tables (`store.py`: claims, threads, questions, feedback, outbox,
each row with its `platform`), receiving exactly once and answering on a worker (`core.py`:
`ChatCore`, `Inbox`), the bounded work queue (`work.py`) and the outbox (`outbox.py`).

What a platform adapter (`bot/<platform>/`) implements, and nothing more:

1. verify + parse: check the request (signature, timestamp, size), then turn it into an `Incoming`
   (platform, tenant, conversation, message id, sender, text without the bot's mention, addressed,
   direct, thread root). Ignore the bot's own and other bots' messages.
2. receive: `inbox = core.register(platform, sender, decide, busy)` once; per request
   `inbox.accept(key, keys, request)` *before* answering the platform's HTTP request. `key` is the
   outbox row and claim, e.g. f"{platform}:message:{message_id}"; `keys` any other ids of the same
   message (all claimed at once: a redelivery, here or in another process sharing the database, is
   skipped). `request` is JSON you will get back in `decide` (also after a restart), e.g.
   `incoming.to_json()`. `accept` returns False for a duplicate and raises when the database is down
   (answer the platform with a 5xx so that it redelivers).
3. decide (on a worker): `reply = core.conversation.respond(Incoming.from_json(request))`; None means
   say nothing. Render the `Reply` (`reply.kind`, `reply.answer` with its sources/quotes and
   suggestions, `reply.actions` for 👍/👎 and suggestion buttons, `reply.thread`) into your platform's
   payload and return `Outgoing(key, kind, target, message, entry_id=reply.entry_id, platform=...)`.
   `target["channel"]`, `target["thread_ts"]` and `target["forget_thread"] = reply.new_thread` let the
   outbox forget a thread the bot never got into when the reply turns out undeliverable.
4. send: `sender(outgoing) -> (conversation, sent message id)`, one attempt, raising
   `outbox.Transient(message, retry_after)` (429, 5xx, network; `retry_after` from the platform's
   rate-limit header) or `outbox.Undeliverable` (never will work). The outbox retries, and a process
   only delivers rows of platforms it registered.
5. buttons: parse the click into (conversation, message id, user, `Action.value`) and call
   `core.conversation.click(...)`; send what it returns with `core.send([Outgoing(...)])` under a key
   per (message, button, user), so a repeated click sends nothing new.
6. busy: `busy(key, request)` returns the notice to send when the work queue is full (or None).

Digests go through `bot/schedule/` (the exactly-once ledger); a platform adds a poster there.
Settings live in `bot/config.py`; `python -m bot serve` starts each platform from `bot/cli/serve.py`'s
list of platform starters.
"""
