"""Block Kit for a digest message: one section per item with an admins' "mark done" button.

The words around the items are interface text; every fact (title, action, dates, source passage)
comes from the deadlines file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from bot.schedule.digest import DigestItem

MARK_DONE_ACTION = "digest_mark_done"
METADATA_EVENT = "policy_bot_digest"
WEEKDAYS = "一二三四五六日"
QUOTE_CHARS = 80
SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text


def when_text(item: DigestItem) -> str:
    if item.status == "due":
        return "今天截止"
    if item.status == "overdue":
        return f"已逾期 {-item.days_left} 天"
    if item.working_days_left is not None and item.working_days_left != item.days_left:
        return f"还有 {item.days_left} 天（{item.working_days_left} 个工作日）"
    return f"还有 {item.days_left} 天"


def local_setting_text(item: DigestItem) -> str | None:
    """For a date the document masks: say that it is a local setting, and which one."""
    setting = item.date_setting
    if setting is None:
        return None
    source = "本地已设置" if item.date_overridden else f"未设置，使用默认值 {setting.default.isoformat()}"
    return f"原文未给出具体日期（“{setting.document_says}”），此截止日为本地设置 `{setting.env_name}`（{source}）。"


def button_value(item: DigestItem) -> str:
    return json.dumps({"id": item.id, "due": item.due.isoformat()}, separators=(",", ":"))


def parse_button_value(value: str) -> tuple[str, date]:
    data = json.loads(value)
    return str(data["id"]), date.fromisoformat(data["due"])


def block_id(item: DigestItem) -> str:
    return f"deadline:{item.id}:{item.due.isoformat()}"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def item_blocks(item: DigestItem, documents: Mapping[str, str], index: int) -> list[dict[str, Any]]:
    deadline = item.deadline
    lines = [
        f"*{deadline.title}*",
        f"截止 *{item.due.isoformat()}*（{when_text(item)}）",
        deadline.action,
    ]
    setting_text = local_setting_text(item)
    if setting_text:
        lines.append(f":warning: {setting_text}")
    section: dict[str, Any] = {
        "type": "section",
        "block_id": block_id(item),
        "text": {"type": "mrkdwn", "text": _shorten("\n".join(lines), SECTION_LIMIT)},
        "accessory": {
            "type": "button",
            "action_id": f"{MARK_DONE_ACTION}:{index}",
            "text": {"type": "plain_text", "text": "标记完成"},
            "value": button_value(item),
            "confirm": {
                "title": {"type": "plain_text", "text": "标记完成？"},
                "text": {"type": "plain_text", "text": f"{item.due.isoformat()} 这一期不再提醒。"},
                "confirm": {"type": "plain_text", "text": "标记完成"},
                "deny": {"type": "plain_text", "text": "取消"},
            },
        },
    }
    document = documents.get(deadline.source.seed, deadline.source.seed)
    context = [f"来源：{document}「{_shorten(deadline.source.quotes[0], QUOTE_CHARS)}」"]
    if deadline.note:
        context.append(f"说明：{deadline.note}")
    return [
        section,
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": _shorten(text, 300)} for text in context],
        },
    ]


def digest_text(items: list[DigestItem], now: datetime) -> str:
    """The message's plain text (notifications, screen readers, clients without Block Kit)."""
    head = f"截止事项提醒（{now.date().isoformat()}）：{len(items)} 项"
    body = [f"• {item.deadline.title}：{item.due.isoformat()}，{when_text(item)}" for item in items]
    return "\n".join([head, *body])


def digest_blocks(
    items: list[DigestItem], now: datetime, documents: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    today = now.date()
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": f"截止事项提醒 · {today.isoformat()}（星期{WEEKDAYS[today.weekday()]}）",
            },
        },
    ]
    for index, item in enumerate(items):
        blocks.append({"type": "divider"})
        blocks.extend(item_blocks(item, documents or {}, index))
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "管理员可点“标记完成”，该期不再提醒。日期来自文件原文；原文隐去的日期为本地设置。",
                }
            ],
        }
    )
    return blocks


def mark_done_in_blocks(blocks: list[dict[str, Any]], target_block: str, user: str) -> list[dict[str, Any]]:
    """The message after a "mark done": that item's button replaced by who marked it."""
    updated = []
    for block in blocks:
        if block.get("block_id") == target_block and block.get("type") == "section":
            block = {key: value for key, value in block.items() if key != "accessory"}
            text = dict(block["text"])
            text["text"] = f"{text['text']}\n:white_check_mark: 已由 <@{user}> 标记完成"
            block["text"] = text
        updated.append(block)
    return updated


def metadata(keys: list[str]) -> dict[str, Any]:
    """Message metadata naming the ledger keys, so a restarted sender can see what was posted."""
    return {"event_type": METADATA_EVENT, "event_payload": {"keys": keys}}
