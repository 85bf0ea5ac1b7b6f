"""Nothing echoed back can ping a channel or a user, or make a link."""

from __future__ import annotations

import pytest

from bot.slack.mrkdwn import defuse_broadcasts, echo, escape, from_slack, mentions, safe, strip_mention, truncate


def test_escape_turns_the_three_special_characters_into_entities() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("&lt;") == "&amp;lt;"  # a literal entity stays literal


@pytest.mark.parametrize(
    ("slack_text", "seen"),
    [
        ("<!channel> 开会", "@channel 开会"),
        ("<!here|here>", "@here"),
        ("<!everyone>", "@everyone"),
        ("<@U123ABC> 你好", "@U123ABC 你好"),
        ("<@U123ABC|zhang> 你好", "@zhang 你好"),
        ("<#C0123|general>", "#general"),
        ("<https://evil.example/x|点这里>", "点这里"),
        ("<https://evil.example/x>", "https://evil.example/x"),
        ("<!subteam^S0123|@admins>", "@admins"),
        ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
    ],
)
def test_from_slack_shows_what_a_reader_sees(slack_text: str, seen: str) -> None:
    assert from_slack(slack_text) == seen


@pytest.mark.parametrize(
    "slack_text",
    [
        "<!channel>",
        "<!here> 请看",
        "<!everyone>",
        "<@U0OTHER01> 看这个",
        "<https://evil.example|免费领取>",
        "&lt;!channel&gt;",  # the user typed the markup literally
        "&lt;@U0OTHER01&gt;",
        "@channel @here",
    ],
)
def test_echoed_user_text_contains_no_live_markup(slack_text: str) -> None:
    out = echo(slack_text)
    assert "<" not in out and ">" not in out
    assert "@channel" not in out and "@here" not in out and "@everyone" not in out


def test_broadcast_words_are_broken_with_an_invisible_joiner() -> None:
    assert defuse_broadcasts("@channel and @Here") == "@\u2060channel and @\u2060Here"
    assert defuse_broadcasts("email@channelco.cn") == "email@channelco.cn"


def test_safe_escapes_knowledge_base_text() -> None:
    assert safe("比例<5% & >3%") == "比例&lt;5% &amp; &gt;3%"


def test_truncate_never_cuts_inside_an_entity() -> None:
    text = escape("a" * 8 + "&")  # 'aaaaaaaa&amp;'
    cut = truncate(text, 11)
    assert cut == "aaaaaaaa…"
    assert truncate("short", 10) == "short"


def test_strip_mention_removes_only_the_bot() -> None:
    assert strip_mention("<@UBOT> 问题 <@UOTHER>", "UBOT") == "问题 <@UOTHER>"
    assert strip_mention("<@UBOT|policy> 问题", "UBOT") == "问题"
    assert mentions("hi <@UBOT>", "UBOT") and not mentions("hi <@UOTHER>", "UBOT")
    assert not mentions("hi", None)
