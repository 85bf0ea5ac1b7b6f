"""The digest runner posts through one client whatever the platform: a channel named
`<platform>:<chat id>` (BOT_DIGEST_CHANNEL_X=feishu:oc_...) goes to that platform's poster, any other
channel to Slack. The ledger's keys carry the full channel name, so exactly-once holds per platform."""

from __future__ import annotations

from typing import Any


class NoSuchPlatform(Exception):
    """A digest channel names a platform this process does not run: not retried until settings change."""

    retryable = False

    def __init__(self, platform: str) -> None:
        super().__init__(f"no {platform} settings in this process for a digest channel")
        self.code = f"{platform}_not_configured"


class RoutingClient:
    def __init__(self, clients: dict[str, Any]) -> None:
        self.clients = clients

    def _route(self, channel: str) -> tuple[Any, str]:
        platform, _, chat = channel.partition(":")
        if chat and platform in self.clients and platform != "slack":
            return self.clients[platform], chat
        if chat and platform.isalpha() and platform.islower() and platform != "slack":
            raise NoSuchPlatform(platform)
        if "slack" not in self.clients:
            raise NoSuchPlatform("slack")
        return self.clients["slack"], channel

    def chat_postMessage(self, *, channel: str, **kwargs: Any) -> Any:
        client, target = self._route(channel)
        return client.chat_postMessage(channel=target, **kwargs)

    def conversations_history(self, *, channel: str, **kwargs: Any) -> Any:
        client, target = self._route(channel)
        return client.conversations_history(channel=target, **kwargs)
