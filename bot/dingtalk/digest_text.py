"""A deadline digest as DingTalk markdown: the same facts as Slack's (title, due date, what to do, the
source passage), without the "mark done" button, which DingTalk's robot messages cannot carry; a done
mark set in Slack or with `python -m bot digest` stops DingTalk's reminders too (one ledger)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.dingtalk.markdown import one_line, truncate
from bot.schedule.blocks import QUOTE_CHARS, WEEKDAYS, local_setting_text, when_text
from bot.schedule.digest import DigestItem


def digest_title(now: datetime) -> str:
    today = now.date()
    return f"截止事项提醒 · {today.isoformat()}（星期{WEEKDAYS[today.weekday()]}）"


def digest_markdown(items: list[DigestItem], now: datetime, documents: Mapping[str, str] | None = None) -> str:
    lines = [f"#### {digest_title(now)}"]
    for item in items:
        deadline = item.deadline
        document = (documents or {}).get(deadline.source.seed, deadline.source.seed)
        lines.append(f"**{one_line(deadline.title)}**  \n截止 **{item.due.isoformat()}**（{when_text(item)}）")
        lines.append(one_line(deadline.action))
        setting = local_setting_text(item)
        if setting:
            lines.append("⚠️ " + one_line(setting))
        source = f"> 来源：{one_line(document)}「{one_line(truncate(deadline.source.quotes[0], QUOTE_CHARS))}」"
        if deadline.note:
            source += f"  \n> 说明：{one_line(deadline.note)}"
        lines.append(source)
    lines.append("日期来自文件原文；原文隐去的日期为本地设置。")
    return "\n\n".join(lines)
