"""Slack and Feishu in one process, as `serve` runs them: one core (database, queue, outbox), one HTTP
server, each platform's replies delivered by its own sender, /healthz reporting both."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

from bot import platforms
from bot.slack.server import make_http_server
from tests.support import feishu_requests as fr
from tests.support import slack_requests as sr
from tests.support.fake_feishu import FakeFeishu
from tests.support.fake_slack import FakeSlack
from tests.support.feishu_app import feishu_settings
from tests.support.slack_app import FAST, shipped_store


def test_slack_and_feishu_share_one_process_and_each_gets_its_own_replies(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_feishu = FakeFeishu().start()
    answerer = shipped_store().answerer()
    question = next(e.question for e in answerer.kb.entries if answerer.ask(e.question).entry_id == e.id)
    settings = replace(
        feishu_settings(fake_feishu, tmp_path / "bot.db"),
        slack_bot_token=sr.BOT_TOKEN,
        slack_signing_secret=sr.SIGNING_SECRET,
        slack_api_url=fake_slack.url,
    )
    options = platforms.Options(timing=FAST)
    chosen = platforms.configured(settings, options)
    assert [platform.name for platform in chosen] == ["slack", "feishu"]
    services = platforms.start(settings, shipped_store(), chosen, options)
    server = make_http_server(services.wsgi_app(), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        assert sr.SlackSender(url).event(sr.app_mention(question)).status == 200
        assert fr.FeishuSender(url).post(fr.message_event(question)).status == 200
        [slack_reply] = fake_slack.wait_for("chat.postMessage", timeout=10)
        [feishu_reply] = fake_feishu.wait_for_posts(kind="reply", timeout=10)
        assert slack_reply.body["channel"] == "C0GENERAL1"
        assert feishu_reply.body["msg_type"] == "interactive"
        deadline = time.monotonic() + 10
        while True:  # each reply is marked delivered just after its platform answered the call
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                report = json.loads(response.read())
            if report["outbox"]["pending"] == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert report["ok"] is True and set(report["platforms"]) == {"slack", "feishu"}
        assert report["outbox"] == {**report["outbox"], "pending": 0, "received": 0, "failed_last_day": 0}
    finally:
        server.shutdown()
        server.server_close()
        services.close()
        fake_feishu.stop()
