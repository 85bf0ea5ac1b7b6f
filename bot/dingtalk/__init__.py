"""DingTalk: receive over the Stream SDK, render answers as DingTalk markdown, send through webhooks/OpenAPI."""
