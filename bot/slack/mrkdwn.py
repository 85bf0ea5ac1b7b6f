"""mrkdwn safety: nothing a user or the knowledge base wrote can ping a channel, a user, or make a link.

Slack reads `<!channel>`, `<!here>`, `<@U123>`, `<#C123>` and `<http://…|label>` in mrkdwn (and in a
message's `text` fallback). Escaping `&`, `<` and `>` as `&amp;`, `&lt;`, `&gt;` turns all of them into
plain characters. Text that arrives from Slack is already in that markup, so echoing it back first
turns the markup into what a reader sees (`@channel`, a link's label) and then escapes it.
The bot never sets `link_names`, so a plain `@channel` is not a broadcast either; we still break it
with a word joiner so that a later change of that flag cannot make echoed text ping anyone.
"""

from __future__ import annotations

import re
import unicodedata

from bot.text.slack_markup import visible_text

_WORD_JOINER = "\u2060"

_BROADCAST_WORDS = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives meaning to (`&` first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def from_slack(text: str) -> str:
    """Slack's message markup to what a reader sees: `<@U1>` -> `@U1`, `<!here>` -> `@here`, links ->
    their label; then Slack's own entity escapes are undone. The result is plain, unescaped text."""
    return visible_text(text)


def defuse_broadcasts(text: str) -> str:
    """`@channel` -> `@<word joiner>channel`: looks the same, can never become a broadcast."""
    return _BROADCAST_WORDS.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)


def safe(text: str) -> str:
    """Plain text (from the KB or already converted with `from_slack`) made safe to put into mrkdwn."""
    return escape(defuse_broadcasts(text))


def echo(slack_text: str) -> str:
    """A user's message as Slack delivered it, made safe to quote back in mrkdwn."""
    return safe(from_slack(slack_text))


def literal(slack_text: str) -> str:
    """A user's message as Slack delivered it, for a `plain_text` element (which Slack never formats):
    what a reader sees, on one line, without control or bidirectional-override characters (U+202E and
    friends could reorder what follows), and with broadcasts defused. Not escaped: plain_text needs no
    escaping and shows `<`, `*` and backquotes as they are."""
    text = from_slack(slack_text)
    text = "".join(
        " " if ch in "\n\r\t" else ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs")
    )
    return defuse_broadcasts(" ".join(text.split()))


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` characters; cut on a character, never inside an `&amp;`-style entity."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ellipsis


def strip_mention(slack_text: str, user_id: str | None) -> str:
    """Remove the mentions of the bot itself (`<@UBOT>` or `<@UBOT|name>`) from a message's text."""
    if not user_id:
        return slack_text.strip()
    return re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", " ", slack_text).strip()


def mentions(slack_text: str, user_id: str | None) -> bool:
    return bool(user_id) and re.search(rf"<@{re.escape(user_id or '')}(?:\|[^>]*)?>", slack_text) is not None


_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def user_mention(user_id: str) -> str:
    """`<@U123>` for an ID Slack gave us (checked), so the bot can address the user who asked."""
    return f"<@{user_id}>" if _USER_ID.match(user_id or "") else ""


_SOMEONE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|<!subteam\^[^>]*>|<!(?:here|channel|everyone)(?:\|[^>]*)?>")
_TYPED_AT = re.compile(r"(?:^|[\s，,。:：])[@＠][^\s@＠]")


def mentions_others(slack_text: str, bot_user_id: str | None) -> bool:
    """The message mentions someone other than the bot (`<@U…>`, a user group, @here), or names someone
    with a typed `@张三`: it is addressed to them."""
    for found in _SOMEONE.finditer(slack_text):
        if found.group(1) is None or found.group(1) != bot_user_id:
            return True
    return bool(_TYPED_AT.search(slack_text))
