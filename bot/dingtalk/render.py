"""An Answer as the JSON DingTalk's webhooks accept: markdown (answer, source title and quote) or, for a
refusal in a 1:1 chat, an ActionCard whose buttons ask the suggested questions.

Why two shapes: an ActionCard cannot @mention anyone, and a suggestion button works by making the
user's own client send the question (`dtmd://dingtalkclient/sendMessage`), which in a group would be a
message without the bot's @ and never reach it. So: groups get markdown with the asker @mentioned and
suggestions as a list; 1:1 chats get clickable suggestions.

Labels follow the asker's script, as in Slack.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot.answer import Answer, Outcome
from bot.chat.messages import Reply
from bot.chat.store import Stats
from bot.dingtalk.markdown import one_line, safe, truncate
from bot.kb.loader import KnowledgeBase
from bot.render_text import NO_CONTENT, REFUSAL, example_questions
from bot.text.normalize import to_traditional

Body = dict[str, Any]  # what a sessionWebhook (or a custom robot webhook) accepts

TEXT_LIMIT = 4000  # DingTalk cuts long markdown; an answer with its quotes fits well within this
QUOTE_LIMIT = 600
TITLE_LIMIT = 40  # the title is what the chat list and the notification show
BUTTON_LIMIT = 30
SEND_LINK = "dtmd://dingtalkclient/sendMessage?content="


def _label(text: str, traditional: bool) -> str:
    return to_traditional(text) if traditional else text


def send_link(question: str) -> str:
    """A link that, clicked, makes the user's client send `question` to this chat."""
    return SEND_LINK + quote(question, safe="")


def markdown(title: str, text: str, mention: str | None = None) -> Body:
    """A markdown message; `mention` (a userId) is @mentioned: DingTalk needs it both in `at` and in the text."""
    body: Body = {"msgtype": "markdown", "markdown": {"title": truncate(one_line(title), TITLE_LIMIT)}}
    if mention:
        text = truncate(text, TEXT_LIMIT - len(mention) - 3) + f"\n\n@{mention}"
        body["at"] = {"atUserIds": [mention], "isAtAll": False}
    body["markdown"]["text"] = truncate(text, TEXT_LIMIT)
    return body


def action_card(title: str, text: str, buttons: list[tuple[str, str]]) -> Body:
    return {
        "msgtype": "actionCard",
        "actionCard": {
            "title": truncate(one_line(title), TITLE_LIMIT),
            "text": truncate(text, TEXT_LIMIT),
            "btnOrientation": "0",  # one under another: questions are long
            "btns": [{"title": truncate(label, BUTTON_LIMIT), "actionURL": url} for label, url in buttons],
        },
    }


def answer_body(answer: Answer, kb: KnowledgeBase, *, mention: str | None, private: bool) -> Body:
    """The reply to a question. `mention`: the asker's userId in a group (None in a 1:1 chat)."""
    if answer.outcome is Outcome.EMPTY:
        return usage_body(kb, mention)
    if answer.outcome is Outcome.NO_CONTENT:
        return markdown(NO_CONTENT, safe(NO_CONTENT), mention)
    if private and not answer.parts and answer.outcome is Outcome.REFUSED and answer.suggestions:
        t = answer.traditional
        text = _refused_text(answer, links=False)
        buttons = [(item.question, send_link(item.question)) for item in answer.suggestions]
        return action_card(_label(REFUSAL, t), text, buttons)
    parts = []
    for part in answer.all_parts:
        text = _part_text(part, links=private)
        if answer.parts:
            text = f"**❓ {one_line(truncate(part.asked or '', 300))}**\n\n{text}"
        parts.append(text)
    return markdown(_title(answer), "\n\n---\n\n".join(parts), mention)


def _title(answer: Answer) -> str:
    first = answer.all_parts[0]
    if first.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED):
        return first.question or first.text or ""
    return _label(REFUSAL, first.traditional)


def _part_text(answer: Answer, *, links: bool) -> str:
    if answer.outcome is Outcome.ANSWERED:
        return _answered_text(answer, links=links)
    if answer.outcome is Outcome.NOT_STATED:
        return _sources_text(answer, "ℹ️ " + safe(answer.text or ""), "📄 原文：")
    return _refused_text(answer, links=links)


def _answered_text(answer: Answer, *, links: bool) -> str:
    head = f"**{one_line(truncate(answer.question, 300))}**\n\n" if answer.question else ""
    text = _sources_text(answer, head + safe(answer.text or ""), "📄 来源：")
    if answer.suggestions:
        text += "\n\n" + _label("相关问题：", answer.traditional) + "\n\n" + _suggestion_list(answer, links=links)
    return text


def _sources_text(answer: Answer, text: str, label: str) -> str:
    for source in answer.sources:
        quote_text = one_line(truncate(source.quote.strip(), QUOTE_LIMIT))
        text += f"\n\n> {_label(label, answer.traditional)}**{one_line(source.title)}**  \n> “{quote_text}”"
    return text


def _refused_text(answer: Answer, *, links: bool) -> str:
    t = answer.traditional
    text = _label(REFUSAL, t)
    if answer.suggestions:
        text += "\n\n" + _label("您可能想问：", t) + "\n\n" + _suggestion_list(answer, links=links)
    return text


def _suggestion_list(answer: Answer, *, links: bool) -> str:
    """Clickable in a 1:1 chat (the click sends the question); in a group a list to @mention the bot with."""
    lines = []
    for item in answer.suggestions:
        question = one_line(truncate(item.question, 200))
        lines.append(f"- [{question}]({send_link(item.question)})" if links else f"- {question}")
    return "\n".join(lines)


def usage_body(kb: KnowledgeBase, mention: str | None = None) -> Body:
    intro = "我根据政策文件回答问题，并给出原文出处。在群里 @我 提问，或者直接和我单聊。简体、繁体都可以。例如："
    examples = "\n".join(f"- {one_line(question)}" for question in example_questions(kb))
    return markdown("政策问答：怎么提问", f"{intro}\n\n{examples}", mention)


def notice_body(text: str, mention: str | None = None) -> Body:
    """A short message whose text is ours."""
    return markdown(text, safe(text), mention)


# ---------------------------------------------------------------------------- the core's other replies

BUSY = "我现在忙不过来，没能处理你的问题。请过一两分钟再问一次。"
NOT_ADMIN = "抱歉，这个命令只有管理员可以使用。有问题请直接提问。"


def reply_body(reply: Reply, kb: KnowledgeBase, *, mention: str | None, private: bool) -> Body:
    """Any reply of the core (bot/chat/messages.py) as a DingTalk message."""
    if reply.kind == "answer" and reply.answer is not None:
        return answer_body(reply.answer, kb, mention=mention, private=private)
    if reply.kind == "usage":
        return usage_body(kb, mention)
    if reply.kind == "reload":
        return markdown("知识库已重新加载", reload_text(reply), mention)
    if reply.kind == "stats" and reply.stats is not None:
        return markdown("统计", stats_text(reply.stats), mention)
    if reply.kind == "deadlines":
        return markdown("截止事项", safe(reply.text), mention)
    if reply.kind == "not_admin":
        return notice_body(NOT_ADMIN, mention)
    if reply.kind == "thanks":
        return notice_body("谢谢反馈！" if reply.vote > 0 else "谢谢反馈，我们会改进这条答案。", mention)
    if reply.kind == "gone":
        return notice_body("这条问答已经不在知识库里了，请直接提问。", mention)
    return notice_body(BUSY, mention)


def reload_text(reply: Reply) -> str:
    if not reply.issues:
        return f"知识库已重新加载：{reply.entries} 条问答，{reply.documents} 份文件。"
    lines = [f"知识库的修改有错误，仍在使用上一个有效版本（{reply.entries} 条问答）。请修正：", ""]
    lines += [f"- {one_line(truncate(str(issue), 300))}" for issue in reply.issues[:20]]
    if len(reply.issues) > 20:
        lines.append(f"- …还有 {len(reply.issues) - 20} 个问题")
    return "\n".join(lines)


def stats_text(stats: Stats) -> str:
    lines = [
        "#### 统计",
        f"- 已回答：{stats.answered}",
        f"- 未回答（文件没有答案）：{stats.refused}",
        f"- 反馈：👍 {stats.helpful} / 👎 {stats.not_helpful}",
    ]
    if stats.top_unanswered:
        lines += ["", "**最常见的未回答问题**", ""]
        lines += [f"{n}. {one_line(truncate(g.text, 200))} ×{g.count}" for n, g in enumerate(stats.top_unanswered, 1)]
    return "\n".join(lines)
