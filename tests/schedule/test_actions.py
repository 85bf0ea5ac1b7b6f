"""The digest's "mark done" button on a bolt App talking to the fake Web API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from bot.config import Settings
from bot.schedule.blocks import digest_blocks
from bot.schedule.digest import build_digest
from bot.schedule.factory import engine_for
from bot.schedule.ledger import Ledger
from bot.schedule.settings import DigestSettings
from bot.schedule.wiring import register_slack_actions, upcoming_deadlines
from tests.schedule.helpers import SEEDS, at, deadline, load, write_deadlines
from tests.support.fake_slack import FakeSlack

ADMIN, OTHER = "UADMIN1", "UOTHER1"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    kb_dir = tmp_path / "knowledge"
    kb_dir.mkdir()
    write_deadlines(kb_dir / "deadlines.yaml", deadline("alpha", "{once: 2020-06-30}"))
    return Settings(
        kb_dir=kb_dir,
        seeds_dir=SEEDS,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        bot_admins=frozenset({ADMIN}),
        env={"BOT_DIGEST_CHANNEL": "C0DEFAULT"},
    )


@pytest.fixture
def app(settings: Settings, slack_client: WebClient) -> App:
    app = App(
        client=slack_client,
        signing_secret="unused",
        request_verification_enabled=False,
        token_verification_enabled=False,
        process_before_response=True,  # run the listener before returning, so the test can assert
    )
    register_slack_actions(app, settings)
    return app


def click(app: App, settings: Settings, user: str) -> int:
    """Slack's block_actions payload for the first item's button in a digest message."""
    deadlines = load(settings.kb_dir / "deadlines.yaml")
    [channel] = build_digest(deadlines, DigestSettings.from_settings(settings), at("2020-06-20T09:00"))
    blocks = digest_blocks(channel.items, at("2020-06-20T09:00"))
    section = next(block for block in blocks if "accessory" in block)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "TFAKE0001"},
        "user": {"id": user},
        "api_app_id": "AFAKEAPP01",
        "token": "legacy",
        "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": "C0DEFAULT"},
        "channel": {"id": "C0DEFAULT"},
        "message": {"ts": "1700000000.000001", "text": "截止事项提醒", "blocks": blocks},
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": "1.2.3",
        "actions": [{**section["accessory"], "block_id": section["block_id"], "action_ts": "1700000001.0"}],
    }
    response = app.dispatch(
        BoltRequest(
            body="payload=" + quote(json.dumps(payload)),
            headers={"content-type": ["application/x-www-form-urlencoded"]},
        )
    )
    return response.status


def test_an_admin_marks_an_occurrence_done(app: App, settings: Settings, fake_slack: FakeSlack) -> None:
    assert click(app, settings, ADMIN) == 200
    [update] = fake_slack.calls_to("chat.update", ok_only=True)
    section = next(block for block in update.body["blocks"] if block.get("block_id", "").startswith("deadline:"))
    assert "accessory" not in section and f"<@{ADMIN}> 标记完成" in section["text"]["text"]
    # The occurrence is done: no more reminders, and App Home no longer lists it.
    assert Ledger(engine_for(settings.database_url)).done_by("alpha", at("2020-06-30T00:00").date()) == ADMIN
    assert upcoming_deadlines(settings, at("2020-06-20T09:00")) == []


def test_someone_else_is_told_only_admins_can(app: App, settings: Settings, fake_slack: FakeSlack) -> None:
    assert click(app, settings, OTHER) == 200
    [ephemeral] = fake_slack.calls_to("chat.postEphemeral", ok_only=True)
    assert ephemeral.body["user"] == OTHER and "管理员" in ephemeral.body["text"]
    assert fake_slack.calls_to("chat.update") == []
    assert [item["id"] for item in upcoming_deadlines(settings, at("2020-06-20T09:00"))] == ["alpha"]
