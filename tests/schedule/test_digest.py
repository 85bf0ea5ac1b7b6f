"""Building the digest: what is due at a moment, per channel, with masked dates as local settings."""

from __future__ import annotations

from datetime import date

from bot.config import Settings
from bot.schedule.blocks import MARK_DONE_ACTION, digest_blocks, parse_button_value
from bot.schedule.digest import build_digest
from bot.schedule.settings import DigestSettings
from tests.schedule.helpers import SHIPPED, at, deadline, load, write_deadlines


def digest_settings(**env: str) -> DigestSettings:
    return DigestSettings.from_settings(Settings(env=env))


def test_the_shipped_digest_on_2020_06_20() -> None:
    digest = build_digest(load(SHIPPED), digest_settings(), at("2020-06-20T09:00"))
    assert [channel.to_json() for channel in digest] == [
        {
            "channel": "#policy-deadlines",
            "items": [
                {
                    "id": "sw-weekly-dispatch",
                    "title": "西南某市：复工复产期间每周调度研判工业经济运行",
                    "due": "2020-06-19",
                    "days_left": -1,
                    "status": "overdue",
                },
                {
                    "id": "sw-city-first-target",
                    "title": "清欠：市定目标，清偿进度X%以上、X0万元以下无分歧欠款清零",
                    "due": "2020-06-30",
                    "days_left": 10,
                    "status": "upcoming",
                },
                {
                    "id": "sw-h1-small-arrears",
                    "title": "清欠：上半年X万元以下无争议欠款清零",
                    "due": "2020-06-30",
                    "days_left": 10,
                    "status": "upcoming",
                },
            ],
        }
    ]


def test_channels_are_settings_and_group_the_items() -> None:
    settings = digest_settings(BOT_DIGEST_CHANNEL="C0DEFAULT", BOT_DIGEST_CHANNEL_ARREARS="C0ARREARS")
    digest = build_digest(load(SHIPPED), settings, at("2020-06-20T09:00"))
    assert {channel.channel: [item.id for item in channel.items] for channel in digest} == {
        "C0ARREARS": ["sw-city-first-target", "sw-h1-small-arrears"],
        "C0DEFAULT": ["sw-weekly-dispatch"],
    }


def test_a_masked_date_follows_its_setting_and_says_so() -> None:
    settings = digest_settings(BOT_DEADLINE_SW_ARREARS_FIRST_TARGET="2020-07-31")
    [channel] = build_digest(load(SHIPPED), settings, at("2020-07-25T09:00"))
    [item] = [item for item in channel.items if item.id == "sw-city-first-target"]
    assert (item.due, item.days_left, item.status) == (date(2020, 7, 31), 6, "upcoming")
    text = str(digest_blocks([item], at("2020-07-25T09:00")))
    assert "原文未给出具体日期（“今年X月底前”）" in text
    assert "BOT_DEADLINE_SW_ARREARS_FIRST_TARGET" in text and "本地已设置" in text


def test_without_the_setting_the_documented_default_is_used_and_named() -> None:
    [channel] = build_digest(load(SHIPPED), digest_settings(), at("2020-06-20T09:00"))
    masked = [item for item in channel.items if item.date_setting is not None]
    assert [item.id for item in masked] == ["sw-city-first-target"]
    text = str(digest_blocks(masked, at("2020-06-20T09:00")))
    assert "未设置，使用默认值 2020-06-30" in text


def test_overdue_items_stay_until_done_or_their_last_reminder_expires(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_deadlines(tmp_path / "deadlines.yaml", deadline("late", "{once: 2020-06-30}"))
    deadlines, settings = load(path), digest_settings()
    [channel] = build_digest(deadlines, settings, at("2020-07-03T09:00"))
    assert [(item.status, item.days_left) for item in channel.items] == [("overdue", -3)]
    assert build_digest(deadlines, settings, at("2020-07-03T09:00"), done={("late", date(2020, 6, 30))}) == []
    assert build_digest(deadlines, settings, at("2020-07-14T09:00")) == []  # 7 days overdue + 7 grace


def test_blocks_have_a_mark_done_button_per_item_within_slack_limits() -> None:
    [channel] = build_digest(load(SHIPPED), digest_settings(), at("2020-06-20T09:00"))
    blocks = digest_blocks(channel.items, at("2020-06-20T09:00"), {"x": "y"})
    assert blocks[0]["type"] == "header" and "2020-06-20" in blocks[0]["text"]["text"]
    buttons = [block["accessory"] for block in blocks if "accessory" in block]
    assert len(buttons) == len(channel.items)
    assert all(button["action_id"].startswith(MARK_DONE_ACTION) for button in buttons)
    assert len({button["action_id"] for button in buttons}) == len(buttons)
    assert [parse_button_value(button["value"]) for button in buttons] == [
        (item.id, item.due) for item in channel.items
    ]
    assert len(blocks) <= 50
    assert all(len(block["text"]["text"]) <= 3000 for block in blocks if block["type"] == "section")
