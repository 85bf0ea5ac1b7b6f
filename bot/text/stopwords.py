"""Function words (English ones too: bilingual staff write "what is the deadline"), question words and
references to the source itself ("会上说", "文件里"): they carry no topic, so they must neither make two
questions look alike nor count as unexplained."""

STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 吗 呢 啊 吧 呀 哦 嘛 么 是 在 有 和 与 及 或 也 都 就 还 又 要 会 能 可 可以 请问 请 问 问下
    一下 下 我 我们 你 你们 他 他们 它 这 那 这个 那个 这些 那些 哪 哪个 哪些 哪里 什么 啥 多少 几 几个
    怎么 怎样 怎么样 如何 为什么 为啥 是否 有没有 有无 是不是 能不能 会不会 对 对于 关于 给 把 被 让
    从 到 向 以 按 按照 由 里 中 上 里面 方面 情况 问题 一些 一个 个 多 少 想 想问 知道 告诉 说 说的
    讲 讲的 提 提到 提出 具体 具体是 主要 主要是 都是 分别 分别是 哪几 哪几个 嗯 哈 呗 啦 咋 咋样 咱 咱们
    俺 俺们 咱家 大伙 大家伙 啥样 咋弄 咋整 咋搞 能给 给多少
    其 之 而 并 等 及其 所 为 以及 还是 或者 如果 那么 然后 现在 目前 一共 总共 到底 究竟
    那边 这边 多少钱 什么时候 啥时候 哪天 几时 来着 一般 大概 需要 应该 得 咋办 怎么办 是啥 是什么
    指的是 指什么 意思 含义 会上 会议上 会上说 讲话里 里说 文件里 文件中 原文 原文里 说过 说了
    那次 这次 上面 那块 这块 打算 准备 一遍 一下子 为何 何时 何种 何处 哪位 的话 此次 啥意思 什么意思
    甚么 后面 之外 除了 听说 好像 是因为 哪几种 细说 说白了 半句 原话 列出来 列一下 有些 不少 那份 那天
    那笔 这场 事儿 啥事 来着 人家 要是 假如 假设 万一 的时候 干嘛 干吗 用来 玩意儿 玩意 啥玩意儿 啥玩意 靠谁
    全称 全名 简称 叫法 才能 才可以 才可 里头 这事儿 这事
    顺口溜 顺口 一句 比喻 形容 比方 打比方 口号 说法 提法 表述 称作 称为 一句话 那句 那句话 这句话 原句
    概括 古话 俗话 老话 俗话说 档次 级别
    哪些方面 哪方面 哪几方面
    那阵子 这阵子 那会儿 这会儿 那时候 那时 当时 那段时间 咋个 搞法 哪儿 哪儿个 给出
    事情 有关 回事 咋回事 怎么回事 这儿 那儿 谁来 谁 档子 这档子 那档子 所在
    几家 几项 几户 几位 几种 几类 几条 几批 几处 它们 那场 哪次
    the a an of to in on at for with by from into about as is are was were be been being am do does did
    have has had can could should would will shall must and or but nor so if than then that this these
    those which what who whom whose when where why how much many any some all each every there their
    they them we our you your he she his her me my i s up out also just only get got please pls etc
    its doesn don didn isn aren wasn weren hasn haven hadn won wouldn shouldn couldn t ll re ve d m like such
    above among even very really able good still give gave given gives say said says tell told mention mentioned
    one ones need needs tells telling thing things put puts
    """.split()  # noqa: SIM905 (a word list reads best as text)
)

# Interrogative phrases jieba does not keep whole (哪天 -> 哪/天), and demonstratives with a measure word
# (那套): removed from the text before segmentation, so their characters do not glue into a false word
# (天开 from 哪天开的, 套稳 from 那套稳就业).
QUESTION_PHRASES: tuple[str, ...] = tuple(
    sorted(
        """
        哪天 哪一天 哪年 哪一年 哪个月 几月几号 几号 什么时候 啥时候 几时 多久 多长时间 几年 多少年
        多少钱 是什么 是啥 咋办 怎么办 怎么样 咋样 干啥 干什么 干嘛 干吗 有哪些 哪几个 哪几家 哪几项
        那套 这套 那款 这款 来着
        """.split(),  # noqa: SIM905
        key=len,
        reverse=True,
    )
)
