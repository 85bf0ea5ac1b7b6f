"""A core `Reply` as a Feishu interactive card (message card JSON, schema 1.0).

Every piece of text (the answer, quotes, titles, the person's own words) goes in `plain_text`, never
`lark_md`: nothing anyone writes or curates can become an @all, a link or markup through the bot.
Buttons carry `Action.value`, which Feishu sends back in `card.action.trigger`.
"""

from __future__ import annotations

from typing import Any

from bot.answer import Answer, Outcome
from bot.chat.messages import Action, Reply, label
from bot.kb.loader import KnowledgeBase
from bot.render_text import NO_CONTENT, REFUSAL, example_questions

Card = dict[str, Any]

QUOTE_LIMIT = 600
TEXT_LIMIT = 3000
BUSY = "我现在忙不过来，没能处理你的问题。请过一两分钟再问一次。"
NOT_ADMIN = "抱歉，这个命令只有管理员可以使用。有问题请直接提问。"
GONE = "这个问题已经不在知识库里了，请换个说法再问。"
THANKS_UP = "谢谢反馈！👍"
THANKS_DOWN = "谢谢反馈，我们会改进这条答案。"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(content: str) -> dict[str, Any]:
    return {"tag": "div", "text": {"tag": "plain_text", "content": _cut(content, TEXT_LIMIT)}}


def _note(content: str) -> dict[str, Any]:
    return {"tag": "note", "elements": [{"tag": "plain_text", "content": _cut(content, TEXT_LIMIT)}]}


def _card(elements: list[dict[str, Any]], title: str | None = None) -> Card:
    card: Card = {"config": {"wide_screen_mode": True, "update_multi": False}, "elements": elements}
    if title:
        card["header"] = {"template": "blue", "title": {"tag": "plain_text", "content": _cut(title, 200)}}
    return card


def notice(text: str) -> Card:
    return _card([_text(text)])


def _buttons(actions: tuple[Action, ...]) -> list[dict[str, Any]]:
    if not actions:
        return []
    buttons = [
        {
            "tag": "button",
            "text": {"tag": "plain_text", "content": _cut(action.label, 60)},
            "type": "primary" if action.kind == "up" else "default",
            "value": action.value,
        }
        for action in actions
    ]
    return [{"tag": "action", "actions": buttons}]


def _one(answer: Answer) -> list[dict[str, Any]]:
    t = answer.traditional
    if answer.outcome is Outcome.NO_CONTENT:
        return [_text(NO_CONTENT)]
    if answer.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED):
        prefix = "ℹ️ " if answer.outcome is Outcome.NOT_STATED else ""
        elements = [_text(prefix + (answer.text or ""))]
        for source in answer.sources:
            quote = _cut(source.quote.strip(), QUOTE_LIMIT)
            elements.append(_note(label("📄 来源：", t) + f"{source.title} · “{quote}”"))
        return elements
    elements = [_text(label(REFUSAL, t))]
    if answer.suggestions:
        elements.append(_note(label("您可能想问（点按钮看答案）：", t)))
    return elements


def answer_card(answer: Answer, actions: tuple[Action, ...], kb: KnowledgeBase) -> Card:
    if answer.outcome is Outcome.EMPTY:
        return usage_card(kb)
    elements: list[dict[str, Any]] = []
    if answer.parts:
        for part in answer.parts:
            elements.append(_note("❓ " + _cut(part.asked or "", 300)))
            elements += _one(part)
            elements.append({"tag": "hr"})
        elements.pop()
    else:
        elements = _one(answer)
    title = answer.question if answer.matched and not answer.parts else None
    return _card(elements + _buttons(actions), title)


def usage_card(kb: KnowledgeBase) -> Card:
    intro = (
        "我根据政策文件回答问题，并给出原文出处。"
        "在群里 @我 提问（我在话题里回复），或者私聊我。简体、繁体都可以。例如："
    )
    return _card([_text(intro), _text("\n".join(f"• {q}" for q in example_questions(kb)))])


def render(reply: Reply, kb: KnowledgeBase) -> Card:
    """The card for any core reply."""
    if reply.kind == "answer" and reply.answer is not None:
        return answer_card(reply.answer, reply.actions, kb)
    if reply.kind == "usage":
        return usage_card(kb)
    if reply.kind == "deadlines":
        return notice(reply.text)
    if reply.kind == "not_admin":
        return notice(NOT_ADMIN)
    if reply.kind == "busy":
        return notice(BUSY)
    if reply.kind == "gone":
        return notice(GONE)
    if reply.kind == "reload":
        if not reply.issues:
            return notice(f"知识库已重新加载：{reply.entries} 条问答，{reply.documents} 份文件。")
        lines = [str(issue) for issue in reply.issues[:30]]
        head = f"知识库的修改有错误，仍在使用上一个有效版本（{reply.entries} 条问答）。请修正："
        return _card([_text(head), _text("\n".join(lines))])
    if reply.kind == "stats" and reply.stats is not None:
        stats = reply.stats
        lines = [
            f"已回答：{stats.answered}",
            f"未回答（文件没有答案）：{stats.refused}",
            f"反馈：👍 {stats.helpful} / 👎 {stats.not_helpful}",
        ]
        lines += [f"{i}. {_cut(group.text, 200)} ×{group.count}" for i, group in enumerate(stats.top_unanswered, 1)]
        return _card([_text("\n".join(lines))], "统计")
    return notice(THANKS_UP if reply.vote > 0 else THANKS_DOWN)


def digest_card(text: str) -> Card:
    """A deadline digest: its plain text in a card (the same words Slack's digest says)."""
    return _card([_text(text)], "截止事项提醒")
