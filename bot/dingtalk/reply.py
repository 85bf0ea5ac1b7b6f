"""Where a reply goes: the message's sessionWebhook while it is valid, else the robot's OpenAPI.

A webhook lives about 90 minutes after the message. A reply DingTalk kept refusing (throttled for
minutes) or that waited out an outage can outlive it; then the robot API still reaches the group
(POST /v1.0/robot/groupMessages/send) or the person (POST /v1.0/robot/oToMessages/batchSend), as plain
markdown: that API cannot @mention or carry the 1:1 suggestion buttons (the suggestions stay listed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bot.dingtalk.api import DingTalkError
from bot.dingtalk.render import Body
from bot.dingtalk.robot import RobotApi
from bot.dingtalk.webhook import WebhookSender


@dataclass(frozen=True)
class ReplyTarget:
    conversation_id: str
    group: bool
    user_id: str  # the asker's staff id (a 1:1 reply through the robot API goes to it)
    webhook: str | None
    expires_at: float | None
    limit_key: str  # the robot's messages into this conversation share DingTalk's per-minute limit

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReplyTarget:
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})  # type: ignore[arg-type]


def title_and_text(body: Body) -> tuple[str, str]:
    """A webhook body's title and markdown, for the robot API's sampleMarkdown."""
    content = body.get("markdown") or body.get("actionCard") or {}
    return str(content.get("title") or ""), str(content.get("text") or "")


class Replier:
    def __init__(self, webhooks: WebhookSender | None = None, robot: RobotApi | None = None) -> None:
        self.webhooks = webhooks or WebhookSender()
        self.robot = robot

    def send(self, target: ReplyTarget, body: Body) -> str:
        """One attempt; "webhook" or "robot" (the way it went), or DingTalkError."""
        if target.webhook and not self.webhooks.expired(target.expires_at):
            self.webhooks.send(target.webhook, body, limit_key=target.limit_key, expires_at=target.expires_at)
            return "webhook"
        if self.robot is None:
            raise DingTalkError("webhook_expired", "the sessionWebhook has expired", retryable=False)
        title, text = title_and_text(body)
        if target.group:
            self.robot.send_group_markdown(target.conversation_id, title, text, max_wait=0, limit_key=target.limit_key)
        elif target.user_id:
            self.robot.send_private_markdown(target.user_id, title, text, limit_key=target.limit_key)
        else:
            raise DingTalkError("no_target", "neither a webhook nor a user to reply to", retryable=False)
        return "robot"
