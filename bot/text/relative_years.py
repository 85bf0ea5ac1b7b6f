"""Relative years read against the current year a question states itself.

"现在是2025年，天津去年新增了多少家智能工厂" asks about 2024: the asker fixed "now" so that 去年 is not
read as the document's own last year. Without such a statement 去年 and 明年 stay as written, in the
document's frame (a reader of the 2019 reply asks about 去年 as the reply says it), and so does a
statement of the year that no relative word leans on: "现在是2025年了，完成多少了" asks about 2025.
"""

from __future__ import annotations

import re

# "现在是2025年", "如今已经是2025年了", "今年是2025年", "现在都2025年了": the asker's now, not a year asked about.
# A year after 目前 or 当前 without a verb is no statement of now (目前2027年的目标 is a target's year).
_NOW = re.compile(
    r"(?:假设|假如|如果)?(?:现在|如今|眼下|今年)(?:已经|都)?(?:是|到了?|已是)?(?P<year>(?:19|20)\d{2})年(?:底|初|中|末)?"
    r"(?:了|啦)?[，,。;；:：!！\s]*"
)
_OFFSETS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "明年": 1, "下一年": 1, "来年": 1, "后年": 2}
_RELATIVE = re.compile("|".join(sorted(_OFFSETS, key=len, reverse=True)))


def resolve_relative_years(text: str) -> str:
    """The question with its relative years made absolute against the year it states as now, and that
    statement dropped; unchanged when it states none, or uses no relative year after stating one."""
    now = _NOW.search(text)
    if now is None:
        return text
    rest = text[: now.start()] + text[now.end() :]
    if not _RELATIVE.search(rest):
        return text
    year = int(now["year"])
    return _RELATIVE.sub(lambda match: f"{year + _OFFSETS[match[0]]}年", rest)
