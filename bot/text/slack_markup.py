"""Slack's message markup (`<@U1>`, `<!here>`, `<#C1|name>`, `<url|label>`), read in one place.

The matcher wants what the question says (mentions dropped); the Slack layer wants what a reader
sees (`@name`, `#name`) before escaping it to echo back. Both go through `visible_text`.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_OTHER_COMMAND = re.compile(r"<![^>]*>")
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^<>|]+)\|([^<>]*)>")
_BARE_LINK = re.compile(r"<([^<>|]+)>")


def visible_text(text: str, *, keep_mentions: bool = True) -> str:
    """Markup to plain, unescaped text: links become their labels, dates their text. With
    `keep_mentions`, `<@U1>` -> `@U1`, `<!here>` -> `@here`, `<#C1|x>` -> `#x`; without, mentions and
    broadcasts disappear and a channel leaves only its name."""
    if keep_mentions:
        text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
        text = _SUBTEAM.sub(lambda m: m.group(1) or "@group", text)
    else:
        text = _SPECIAL.sub(" ", text)
        text = _SUBTEAM.sub(" ", text)
    text = _DATE.sub(lambda m: m.group(1), text)
    text = _OTHER_COMMAND.sub("" if keep_mentions else " ", text)
    if keep_mentions:
        text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
        text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    else:
        text = _USER.sub(" ", text)
        text = _CHANNEL.sub(lambda m: m.group(2) or "", text)
    text = _LINK.sub(lambda m: m.group(2), text)
    text = _BARE_LINK.sub(lambda m: m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
