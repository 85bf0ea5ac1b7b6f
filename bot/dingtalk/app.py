"""Everything DingTalk needs in `serve`, built from the settings: the bot, its Stream connection."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.config import DingTalkSettings, Settings
from bot.db import make_engine
from bot.dingtalk.service import DingTalkBot, Retry
from bot.dingtalk.stream import StreamRunner
from bot.kb.store import KnowledgeStore
from bot.slack.store import SlackStore, ensure_tables

log = logging.getLogger(__name__)


@dataclass
class DingTalkRuntime:
    settings: DingTalkSettings
    bot: DingTalkBot
    stream: StreamRunner

    def start(self) -> DingTalkRuntime:
        self.stream.start()
        log.info("DingTalk: Stream mode via %s (robot %s)", self.settings.openapi_endpoint, self.settings.robot_code)
        return self

    def stop(self) -> None:
        self.stream.stop()
        self.bot.close()


def create_runtime(
    settings: Settings,
    dingtalk: DingTalkSettings,
    store: KnowledgeStore,
    engine: Engine | None = None,
    retry: Retry | None = None,
) -> DingTalkRuntime:
    engine = engine or make_engine(settings.database_url)
    ensure_tables(engine)
    claims = SlackStore(engine)  # its claim table is keyed by string; DingTalk's keys are "dingtalk:<msgId>"
    bot = DingTalkBot(store, claims.claim, engine=engine, retry=retry)
    return DingTalkRuntime(dingtalk, bot, StreamRunner(dingtalk, bot.receive))
