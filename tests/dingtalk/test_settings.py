"""DingTalk settings: absent means off; half or wrong settings are one clear line each."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, DingTalkSettings

BASE = {"DINGTALK_CLIENT_ID": "dingabc", "DINGTALK_CLIENT_SECRET": "s3cret"}


def test_no_dingtalk_settings_means_dingtalk_is_off() -> None:
    assert DingTalkSettings.from_env({}) is None


def test_defaults_robot_code_is_the_client_id_and_the_endpoint_is_dingtalks() -> None:
    settings = DingTalkSettings.from_env(BASE)
    assert settings is not None
    assert settings.robot_code == "dingabc"
    assert settings.openapi_endpoint == "https://api.dingtalk.com"
    assert settings.groups_for("default") == ()


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"DINGTALK_CLIENT_ID": "dingabc"}, "DINGTALK_CLIENT_SECRET"),
        ({"DINGTALK_CLIENT_SECRET": "x"}, "DINGTALK_CLIENT_ID"),
        ({**BASE, "DINGTALK_OPENAPI_ENDPOINT": "api.dingtalk.com"}, "DINGTALK_OPENAPI_ENDPOINT"),
        ({**BASE, "DINGTALK_DIGEST_GROUPS": "chat123"}, "DINGTALK_DIGEST_GROUPS"),
        ({**BASE, "DINGTALK_DIGEST_GROUPS_PARKS": "cidA==, not a group"}, "DINGTALK_DIGEST_GROUPS_PARKS"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as error:
        DingTalkSettings.from_env(env)
    message = str(error.value)
    assert names in message and "\n" not in message


def test_digest_groups_per_deadlines_channel_fall_back_to_the_default() -> None:
    settings = DingTalkSettings.from_env(
        {**BASE, "DINGTALK_DIGEST_GROUPS": "cidA==,cidB==", "DINGTALK_DIGEST_GROUPS_PARKS": "cidP=="}
    )
    assert settings is not None
    assert settings.groups_for("default") == ("cidA==", "cidB==")
    assert settings.groups_for("parks") == ("cidP==",)
    assert settings.groups_for("unknown") == ("cidA==", "cidB==")
