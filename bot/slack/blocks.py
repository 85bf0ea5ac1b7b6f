"""Block Kit rendering: an Answer (or usage, admin output, the App Home) as a Slack message or view.

Every piece of text that came from a user or from the knowledge base passes through `mrkdwn.safe`
and user text echoed back goes into `plain_text` through `mrkdwn.literal` (never formatted); every message
carries a plain `text` fallback.
Labels follow the asker's script: a question in traditional characters gets traditional labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.answer import Answer, Outcome
from bot.kb.loader import KnowledgeBase
from bot.render_text import NO_CONTENT, REFUSAL, example_questions
from bot.slack.mrkdwn import literal, safe, truncate, user_mention
from bot.text.normalize import to_traditional

Message = dict[str, Any]  # {"text": ..., "blocks": [...]}, ready for chat.postMessage or respond()

# action_id / callback_id values the listeners register for
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
SUGGESTION = "suggestion"
SHARE = "share_answer"
HOME_ASK = "home_ask"
ASK_MODAL = "ask_modal"
ASK_BLOCK = "question_block"
ASK_INPUT = "question_input"

SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text
QUOTE_LIMIT = 600
FALLBACK_LIMIT = 3500
BUTTON_LIMIT = 75


def _label(text: str, traditional: bool) -> str:
    return to_traditional(text) if traditional else text


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, BUTTON_LIMIT), "emoji": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(truncate(text, SECTION_LIMIT))}


def _plain_context(text: str) -> dict[str, Any]:
    """Text shown exactly as written (what the user typed): Slack applies no formatting to plain_text."""
    return {
        "type": "context",
        "elements": [{"type": "plain_text", "text": truncate(text, SECTION_LIMIT), "emoji": False}],
    }


def _context(*texts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(truncate(text, SECTION_LIMIT)) for text in texts[:10]]}


def _button(text: str, action_id: str, value: dict[str, Any], style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": _plain(text),
        "action_id": action_id,
        "value": json.dumps(value, ensure_ascii=False, separators=(",", ":"))[:2000],
    }
    if style:
        button["style"] = style
    return button


def button_value(raw: str | None) -> dict[str, Any]:
    """Decode a button's value; anything malformed (forged or from an older version) reads as {}."""
    try:
        value = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


# ---------------------------------------------------------------------------- answers


def answer_message(
    answer: Answer,
    kb: KnowledgeBase,
    *,
    asked: str | None = None,
    share: bool = False,
    shared_by: str | None = None,
) -> Message:
    """The reply to a question.

    `asked`: the user's question as Slack delivered it, echoed literally (plain_text) above the answer, where
    the user's own message is not visible (slash commands, the App Home modal).
    `share`: add a button to post the answer to the channel (for ephemeral slash-command answers).
    `shared_by`: a user ID, for the copy posted to the channel."""
    if answer.outcome is Outcome.EMPTY:
        return usage_message(kb)
    if answer.outcome is Outcome.NO_CONTENT:
        return {"text": NO_CONTENT, "blocks": [_section(safe(NO_CONTENT))]}
    t = answer.traditional
    blocks: list[dict[str, Any]] = []
    if shared_by and user_mention(shared_by):
        blocks.append(_context(_label(f"{user_mention(shared_by)} 分享了这条答案", t)))
    if asked:
        blocks.append(_plain_context(_label("你问：", t) + truncate(literal(asked), 500)))
    if answer.parts:
        return _several(answer, blocks, share=share)
    return _one(answer, blocks, share=share, asked=asked)


def _one(answer: Answer, blocks: list[dict[str, Any]], *, share: bool, asked: str | None, part: int = 0) -> Message:
    if answer.matched:
        return _answered(answer, blocks, share=share, part=part)
    if answer.outcome is Outcome.NOT_STATED:
        return _not_stated(answer, blocks)
    return _refused(answer, blocks, asked=asked)


def _several(answer: Answer, blocks: list[dict[str, Any]], *, share: bool) -> Message:
    """One reply for a message that asked several questions: each under its own question."""
    fallback = []
    for number, part in enumerate(answer.parts):
        blocks.append(_plain_context("❓ " + truncate(literal(part.asked or ""), 300)))
        rendered = _one(part, [], share=share and number == 0, asked=None, part=number)
        blocks.extend(rendered["blocks"])
        fallback.append(rendered["text"])
        if number < len(answer.parts) - 1:
            blocks.append({"type": "divider"})
    return {"text": truncate("\n\n".join(fallback), FALLBACK_LIMIT), "blocks": blocks}


def _not_stated(answer: Answer, blocks: list[dict[str, Any]]) -> Message:
    """The documents cover the topic but not the fact asked for: say so, show what they do say and
    where. No 👍/👎: there is no answer to rate."""
    t = answer.traditional
    blocks.append(_section("ℹ️ " + safe(answer.text or "")))
    fallback = [answer.text or ""]
    for source in answer.sources:
        quote = truncate(source.quote.strip(), QUOTE_LIMIT)
        blocks.append(_context(_label("📄 原文：", t) + f"*{safe(source.title)}*  ·  “{safe(quote)}”"))
        fallback.append(_label("来源：", t) + source.title)
    return {"text": safe(truncate("\n".join(fallback), FALLBACK_LIMIT)), "blocks": blocks}


def _answered(answer: Answer, blocks: list[dict[str, Any]], *, share: bool, part: int = 0) -> Message:
    t = answer.traditional
    if answer.question:
        blocks.append(_context("*" + safe(truncate(answer.question, 300)) + "*"))
    blocks.append(_section(safe(answer.text or "")))
    fallback = [answer.text or ""]
    for source in answer.sources:
        quote = truncate(source.quote.strip(), QUOTE_LIMIT)
        blocks.append(_context(_label("📄 来源：", t) + f"*{safe(source.title)}*  ·  “{safe(quote)}”"))
        fallback.append(_label("来源：", t) + source.title)
    if answer.suggestions:
        related = "  ".join(f"• {safe(item.question)}" for item in answer.suggestions)
        blocks.append(_context(_label("相关问题：", t) + related))
    blocks.append(feedback_actions(answer, share=share, part=part))
    return {"text": safe(truncate("\n".join(fallback), FALLBACK_LIMIT)), "blocks": blocks}


def feedback_actions(answer: Answer, *, share: bool = False, part: int = 0) -> dict[str, Any]:
    t = answer.traditional
    value = {"e": answer.entry_id, "t": int(t)}
    elements = [
        _button(_label("👍 有帮助", t), FEEDBACK_UP, value),
        _button(_label("👎 没帮助", t), FEEDBACK_DOWN, value),
    ]
    if share:
        elements.insert(0, _button(_label("发到频道", t), SHARE, value, style="primary"))
    block_id = "answer_actions" if part == 0 else f"answer_actions_{part}"
    return {"type": "actions", "block_id": block_id, "elements": elements}


def _refused(answer: Answer, blocks: list[dict[str, Any]], *, asked: str | None) -> Message:
    t = answer.traditional
    blocks.append(_section(_label(REFUSAL, t)))
    fallback = [_label(REFUSAL, t)]
    if answer.suggestions:
        blocks.append(_section(_label("您可能想问：", t)))
        fallback.append(_label("您可能想问：", t))
        for item in answer.suggestions:
            blocks.append(
                {
                    "type": "section",
                    "text": _mrkdwn("• " + safe(truncate(item.question, 500))),
                    "accessory": _button(_label("看答案", t), SUGGESTION, {"e": item.id, "t": int(t)}),
                }
            )
            fallback.append(f"• {item.question}")
    return {"text": safe(truncate("\n".join(fallback), FALLBACK_LIMIT)), "blocks": blocks}


# ---------------------------------------------------------------------------- usage and notices


def usage_lines(kb: KnowledgeBase) -> list[str]:
    return [f"• {safe(question)}" for question in example_questions(kb)]


def usage_message(kb: KnowledgeBase, command: str = "/policy") -> Message:
    intro = (
        "我根据政策文件回答问题，并给出原文出处。"
        f"在频道里 @我 提问（我在话题里回复），私信我，或用 `{safe(command)} 问题`（只有你看得到）。"
        "简体、繁体都可以。例如："
    )
    examples = "\n".join(usage_lines(kb))
    return {
        "text": safe(intro + "\n" + "\n".join(example_questions(kb))),
        "blocks": [_section(intro), _section(examples)],
    }


def notice(text: str) -> Message:
    """A short message whose text is ours (already safe mrkdwn)."""
    return {"text": text, "blocks": [_section(text)]}


BUSY = "我现在忙不过来，没能处理你的问题。请过一两分钟再问一次。"


def busy_message() -> Message:
    """When the work queue is full: said at once instead of an answer that would come too late."""
    return notice(BUSY)


NOT_ADMIN = "抱歉，这个命令只有管理员可以使用。有问题请直接提问。"


def reload_message(issues: Iterable[Any], entries: int, documents: int) -> Message:
    issues = list(issues)
    if not issues:
        return notice(f"知识库已重新加载：{entries} 条问答，{documents} 份文件。")
    head = f"知识库的修改有错误，仍在使用上一个有效版本（{entries} 条问答）。请修正："
    lines = [safe(str(issue)) for issue in issues[:30]]
    if len(issues) > 30:
        lines.append(f"…还有 {len(issues) - 30} 个问题")
    body = truncate("\n".join(lines), SECTION_LIMIT - 10)
    return {
        "text": head + "\n" + "\n".join(lines),
        "blocks": [_section(head), _section(f"```{body}```")],
    }


def stats_message(stats: Any) -> Message:
    lines = [
        "*统计*",
        f"• 已回答：{stats.answered}",
        f"• 未回答（文件没有答案）：{stats.refused}",
        f"• 反馈：👍 {stats.helpful}  /  👎 {stats.not_helpful}",
    ]
    other = sum(v for k, v in stats.outcomes.items() if k not in ("answered", "refused"))
    if other:
        lines.append(f"• 其他（空白、只有表情）：{other}")
    blocks = [_section("\n".join(lines))]
    if stats.top_unanswered:
        top = [
            f"{i}. {safe(truncate(group.text, 200))}  ×{group.count}" for i, group in enumerate(stats.top_unanswered, 1)
        ]
        blocks.append(_section("*最常见的未回答问题*\n" + "\n".join(top)))
        lines += ["最常见的未回答问题：", *top]
    if stats.most_downvoted:
        worst = [f"• `{safe(entry)}`  👎×{n}" for entry, n in stats.most_downvoted]
        blocks.append(_section("*👎 最多的条目*\n" + "\n".join(worst)))
        lines += ["👎 最多的条目：", *worst]
    return {"text": "\n".join(lines), "blocks": blocks}


def feedback_thanks(vote: int) -> Message:
    if vote > 0:
        return notice("谢谢反馈！👍")
    return notice("谢谢反馈，我们会改进这条答案。如果文件里另有说法，欢迎告诉管理员。")


# ---------------------------------------------------------------------------- App Home and modal


def home_view(kb: KnowledgeBase, deadlines: list[dict[str, Any]], today: date | None = None) -> dict[str, Any]:
    """The App Home tab: how to ask, the documents with their entry counts, examples, deadlines."""
    counts = kb.entries_per_seed()
    documents = [f"• {safe(kb.document_title(seed))}：{counts.get(seed, 0)} 条" for seed in sorted(kb.documents)] or [
        "（还没有文件）"
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain("政策问答")},
        _section(
            "我根据下面这些政策文件回答问题，每个答案都给出原文出处；文件里没有的，我会直说并推荐相近的问题。\n"
            "*怎么问*：在频道里 @我（我在话题里回复，话题里接着问不用再 @）；在「消息」标签页私信我；"
            "或用 `/policy 问题`（只有你看得到）。简体、繁体都可以。"
        ),
        {
            "type": "actions",
            "elements": [_button("提问", HOME_ASK, {}, style="primary")],
        },
        {"type": "divider"},
        _section(f"*文件*（共 {len(kb.entries)} 条问答）\n" + "\n".join(documents)),
        _section("*示例问题*\n" + "\n".join(usage_lines(kb))),
        {"type": "divider"},
        _section("*即将到期的事项*\n" + "\n".join(_deadline_lines(deadlines))),
    ]
    return {"type": "home", "blocks": blocks}


def _deadline_lines(deadlines: list[dict[str, Any]]) -> list[str]:
    if not deadlines:
        return ["暂无。"]
    lines = []
    for item in deadlines:
        days = item.get("days_left")
        status = item.get("status")
        if status == "overdue" or (isinstance(days, int) and days < 0):
            when = f"已逾期 {abs(int(days or 0))} 天"
        elif days == 0 or status == "due":
            when = "今天到期"
        elif isinstance(days, int):
            when = f"还有 {days} 天"
        else:
            when = ""
        due = item.get("due")
        due_text = due.isoformat() if isinstance(due, date) else str(due or "")
        lines.append(f"• {safe(str(item.get('title', '')))} — {safe(due_text)}" + (f"（{when}）" if when else ""))
    return lines


def ask_modal(kb: KnowledgeBase) -> dict[str, Any]:
    examples = example_questions(kb, limit=1)
    placeholder = ("例如：" + examples[0]) if examples else "你的问题"
    return {
        "type": "modal",
        "callback_id": ASK_MODAL,
        "title": _plain("提问"),
        "submit": _plain("提问"),
        "close": _plain("取消"),
        "blocks": [
            {
                "type": "input",
                "block_id": ASK_BLOCK,
                "label": _plain("你的问题"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ASK_INPUT,
                    "multiline": True,
                    "max_length": 2000,
                    "placeholder": _plain(placeholder[:150]),
                },
            },
            _context("答案会发到你和我的私信里。"),
        ],
    }
