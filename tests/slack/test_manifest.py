"""One manifest per mode (manifest.http.json, manifest.socket.json) declares what the listeners need,
so a workspace installs the app in one step without editing JSON by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTTP = json.loads((ROOT / "manifest.http.json").read_text(encoding="utf-8"))
SOCKET = json.loads((ROOT / "manifest.socket.json").read_text(encoding="utf-8"))
MANIFEST = HTTP
both = pytest.mark.parametrize("manifest", [HTTP, SOCKET], ids=["http", "socket"])

# The scope each subscribed event needs.
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "app_home_opened": None,
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "message.mpim": "mpim:history",
}


@both
def test_events_and_their_scopes_are_declared(manifest: dict) -> None:
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mention", "app_home_opened", "message.im", "message.channels"} <= events
    for event in events:
        needed = EVENT_SCOPES[event]
        assert needed is None or needed in scopes, f"{event} needs {needed}"
    assert {"chat:write", "commands"} <= scopes
    assert "chat:write.public" in scopes  # the digest posts to #policy-deadlines without being invited


@both
def test_app_home_slash_command_and_interactivity_are_on(manifest: dict) -> None:
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert [c["command"] for c in features["slash_commands"]] == ["/policy"]
    assert manifest["settings"]["interactivity"]["is_enabled"]


def test_the_socket_manifest_has_no_urls_and_the_two_differ_only_in_that() -> None:
    assert SOCKET["settings"]["socket_mode_enabled"] is True and HTTP["settings"]["socket_mode_enabled"] is False
    assert "request_url" not in json.dumps(SOCKET) and '"url"' not in json.dumps(SOCKET)
    stripped = json.loads(json.dumps(HTTP))
    del stripped["settings"]["event_subscriptions"]["request_url"]
    del stripped["settings"]["interactivity"]["request_url"]
    for command in stripped["features"]["slash_commands"]:
        del command["url"]
    stripped["settings"]["socket_mode_enabled"] = True
    assert stripped == SOCKET


def test_every_url_is_the_events_path() -> None:
    urls = [
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
        MANIFEST["settings"]["interactivity"]["request_url"],
        *(c["url"] for c in MANIFEST["features"]["slash_commands"]),
    ]
    assert all(url.startswith("https://") and url.endswith("/slack/events") for url in urls)


def test_description_fits_slacks_limits() -> None:
    info = MANIFEST["display_information"]
    assert len(info["name"]) <= 35 and len(info["description"]) <= 140


def test_procfile_runs_http_mode() -> None:
    assert (ROOT / "Procfile").read_text().strip() == "web: python -m bot serve --http"
