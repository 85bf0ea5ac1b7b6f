"""Kinds of fact a question asks for: word lists and patterns from question_types.yaml."""

from __future__ import annotations

import pytest

from bot.kb.schema import QuestionType
from bot.match.answer_type import CompiledType, asked_types, compile_types, missing_types
from bot.text.normalize import normalise_query
from tests.support.kb import shipped_answerer

NAMES = QuestionType(
    name="names",
    asks=["名单"],
    ask_patterns=["哪[两三四五六七八九十]+(家|个|项)"],
    answer_pattern="[\u4e00-\u9fff]{2,}、[\u4e00-\u9fff]{2,}",
)


def shipped_kinds() -> dict[str, CompiledType]:
    """The shipped question kinds by name, as the shipped index compiled them."""
    return {kind.name: kind for kind in shipped_answerer().index.question_types}


def asked_in_shipped(question: str) -> set[str]:
    """The names of the shipped kinds a question asks for."""
    return {kind.name for kind in asked_types(shipped_answerer().index.question_types, question)}


@pytest.mark.parametrize(
    ("question", "asks"), [("再创建的2家具体是哪两家", True), ("绿色工厂名单", True), ("创建了几家", False)]
)
def test_asks_are_words_or_patterns(question, asks):
    assert bool(asked_types(compile_types((NAMES,)), question)) is asks


def test_an_answer_without_the_names_misses_the_kind():
    kinds = asked_types(compile_types((NAMES,)), "是哪两家")
    assert missing_types(kinds, "力争再创建2家绿色工厂") == ("names",)
    assert missing_types(kinds, "舞钢、平棉两家") == ()


def test_what_an_answer_says_the_document_leaves_out_gives_none_of_it():
    """A list in 原文未给出…比例、上限 is no list of names; a parenthesis ends the clause (原文未给出市名)."""
    kinds = asked_types(compile_types((NAMES,)), "是哪两家")
    assert missing_types(kinds, "市财政拿出1000万元。原文未给出单个企业的补助比例、上限或申请办法。") == ("names",)
    assert missing_types(kinds, "X市（原文未给出市名）表彰了舞钢、平棉两家") == ()


def test_an_enumeration_of_ways_to_change_is_no_list_of_names():
    """数字化、绿色化转型 names no company (那1000万奖补资金发给了哪些企业 was answered with it)."""
    kinds = asked_types((shipped_kinds()["names"],), "发给了哪些企业")
    assert missing_types(kinds, "支持企业数字化、绿色化转型") == ("names",)
    assert missing_types(kinds, "表彰了阿诗丹顿、嘉鸿鞋业") == ()


def test_a_broken_ask_pattern_is_rejected():
    with pytest.raises(ValueError, match="not a valid regular expression"):
        QuestionType(name="x", asks=["a"], ask_patterns=["(("], answer_pattern="a")


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("贴息是多少个点", {"share", "interest_subsidy"}),
        ("利率几个百分点", {"share"}),
        ("创建了多少个", {"count"}),
        ("有几个项目", {"count"}),
    ],
)
def test_percentage_points_ask_for_a_share_not_a_count(question, kinds):
    assert asked_in_shipped(question) == kinds


@pytest.mark.parametrize(
    ("message", "kinds"),
    [
        ("那个“几个对标、几个提高”的活动叫啥", {"term"}),
        ("“三换”是指哪几个，一共几个", {"count"}),
        ("《关于多少钱的通知》发布了吗", set()),
        ("“商丘三换一共几个”", {"count"}),  # the whole question quoted is still the asker's
    ],
)
def test_what_a_question_quotes_asks_for_nothing(message, kinds):
    normalised = normalise_query(message)
    query, _, _ = shipped_answerer().explain(normalised.text, normalised.quoted)
    assert {kind.name for kind in query.asked} == kinds


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("这个提法原文叫什么", {"term"}),
        ("那个工作机制简称叫啥", {"term"}),
        # a counted set asked by name wants every name
        ("那6个重大工程项目叫什么", {"names", "term"}),
        ("玉民同志全名叫啥", {"full_name", "term"}),
        ("他是啥职务", {"title"}),
    ],
)
def test_what_it_is_called_asks_for_a_term(question, kinds):
    assert asked_in_shipped(question) == kinds


def test_a_slogan_in_quotation_marks_gives_the_term_and_a_missing_surname_is_not_stated():
    shipped = shipped_kinds()
    assert missing_types((shipped["term"],), "智能化改造是产业集聚区进行“二次创业”的重要标志") == ()
    assert missing_types((shipped["names"],), "智能化改造是产业集聚区进行“二次创业”的重要标志") == ("names",)
    assert missing_types((shipped["full_name"],), "原文只写“玉民同志”，未给出其姓氏和职务。") == ("full_name",)
    assert missing_types((shipped["title"],), "原文只写“玉民同志”，未给出其姓氏和职务。") == ("title",)


def test_several_things_asked_by_which_is_not_a_count_and_work_under_way_is_a_status():
    shipped = shipped_kinds()
    kinds = {kind.name for kind in asked_types(tuple(shipped.values()), "筹措资金的几个渠道是哪几个")}
    assert "count" not in kinds
    assert "count" in {kind.name for kind in asked_types(tuple(shipped.values()), "筹措资金的渠道有几个")}
    assert missing_types((shipped["status"],), "正在研究起草三年工作方案，更加突出降碳目标导向。") == ()


def test_a_companys_figure_needs_a_number_and_how_money_is_paid_out_is_a_procedure():
    shipped = shipped_kinds()
    kinds = tuple(shipped.values())
    assert "figure" in {kind.name for kind in asked_types(kinds, "足力健去年销售额是多少")}
    assert missing_types((shipped["figure"],), "足力健销售很火，主要是因为加大投入。") == ("figure",)
    assert missing_types((shipped["figure"],), "上缴税收仍超过1亿元") == ()
    assert "procedure" in {kind.name for kind in asked_types(kinds, "奖补资金是怎么发放的")}


@pytest.mark.parametrize(
    ("question", "kind", "entry"),
    [
        ("天津荣程钢铁去年利润多少", "profit", "tj-rongcheng-steel"),
        ("天津海特飞机去年营收多少", "revenue", "tj-haite-aircraft"),
    ],
)
def test_a_companys_profit_or_revenue_is_not_another_of_its_figures(question, kind, entry):
    """The entry about the company gives a figure of another measure (water saved, a technical gap
    filled): the documents do not state the one asked for."""
    assert kind in asked_in_shipped(question)
    answer = shipped_answerer().ask(question)
    assert answer.outcome.value == "not_stated" and answer.related is not None and answer.related.id == entry


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("清欠在绩效考核里占多少分", {"points"}),
        ("会议开了多少分钟", set()),  # minutes are no score
        ("商丘推进会在哪开的", {"venue"}),
        ("智能化诊断在哪开展的", set()),  # where work is carried out is no meeting's venue
        ("海特飞机改了几架", {"units"}),
    ],
)
def test_scores_venues_and_units_are_asked_by_their_own_words(question, kinds):
    assert asked_in_shipped(question) == kinds


def test_tax_asked_by_how_much_was_paid_and_a_condition_answers_when():
    shipped = shipped_kinds()
    assert "tax" in asked_in_shipped("那家企业今年给国家交了多少税")
    assert "tax" not in asked_in_shipped("那家企业今年交了多少份材料")
    date = (shipped["date"],)
    assert missing_types(date, "在土地性质完成变更、土地附加值提升以后，可以给予企业资金鼓励。") == ()
    assert missing_types(date, "可以从土地出让金和收益中给予企业一定的资金鼓励。") == ("date",)


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("各县多长时间研判一次", {"frequency"}),
        ("诊断要多长时间", {"duration"}),
        ("多久通报一次", {"frequency"}),
        ("多长时间能一次性拨付", {"duration"}),  # 一次性 is a lump sum, not how often
    ],
)
def test_how_often_is_a_frequency_not_a_duration(question, kinds):
    assert asked_in_shipped(question) == kinds


@pytest.mark.parametrize(
    ("answer", "gives"),
    [
        ("月督导、季通报、年度大排名", True),
        ("每周调度研判", True),
        ("一年两次的全省智能制造观摩点评活动", True),
        ("行动方案（2024-2027年）", False),
        ("上月通报", False),
    ],
)
def test_a_frequency_is_a_period_of_recurring_work(answer, gives):
    missing = missing_types((shipped_kinds()["frequency"],), answer)
    assert (missing == ()) is gives


def test_an_amount_with_a_subject_must_be_in_a_sentence_that_names_it():
    """The answer names 甲公司 in one sentence and gives another fund's sum in the next: that sum is not
    甲公司's investment. Where the answer does not name the subject, any sentence's amount still counts."""
    money = compile_types((QuestionType(name="money", asks=["投了多少"], answer_pattern="万元", with_subject=True),))
    answer = "甲公司、乙公司被列入示范企业。全市争取专项资金2233万元。"
    assert missing_types(money, answer, ("甲公司",)) == ("money",)
    assert missing_types(money, "甲公司投资2233万元。", ("甲公司",)) == ()
    assert missing_types(money, answer, ("丙公司",)) == ()  # not named: the answer's sum stands
    assert missing_types(money, answer) == ()


def test_a_company_named_beside_another_sum_has_no_stated_investment():
    """A company listed among an answer's demonstration enterprises, the answer's sums being a fund's."""
    for question in ("东方碳素技改项目投了多少钱", "广达铝业技术改造项目花了多少钱"):
        assert shipped_answerer().ask(question).outcome.value == "not_stated", question


def test_the_documents_own_timing_word_answers_when():
    """A document that gives no date but says 适时 or 尽快 has said what it says of when."""
    date = shipped_kinds()["date"]
    assert missing_types((date,), "下一步将适时启动新一批重点项目") == ()
    assert missing_types((date,), "将尽快出台实施细则") == ()
    assert missing_types((date,), "将启动新一批重点项目") == ("date",)


def test_who_does_it_is_answered_by_an_organisation():
    """靠谁来推广 asks who does it: 三大运营商 answers it, as a government office answers who pays."""
    person = shipped_kinds()["person"]
    assert missing_types((person,), "靠三大运营商推广") == ()
    assert missing_types((person,), "推广数改绿转方案，形成示范效应") == ("person",)


def test_which_projects_asks_for_their_names():
    """都支持了哪些项目 wants the projects named: an answer giving only the fund's size does not name them."""
    assert "names" in asked_in_shipped("那笔专项资金都支持了哪些项目")
    names = shipped_kinds()["names"]
    assert missing_types((names,), "安排专项资金3亿元，支持企业技术改造") == ("names",)
    assert missing_types((names,), "支持了甲公司、乙公司的技改项目") == ()


@pytest.mark.parametrize(
    ("question", "absent", "present"),
    [
        # several things asked by what they are is not a count
        ("今年要上的几个大项目是啥", "count", None),
        ("今年要上几个大项目", None, "count"),
        ("西南几个铝项目投产后面临哪两种问题", "count", None),
        # which two of the things asked about (哪两项) is not a list of names; which two companies is
        ("具体是哪两项要翻一倍", "names", None),
        ("具体是哪两家企业", None, "names"),
        # what an event is called asks for a term, not a list of names; how many are on a list is a count
        ("那次培训活动叫什么名字", "names", "term"),
        ("获奖企业的名字", None, "names"),
        ("那几个园区都叫什么", None, "names"),
        ("那6个国家重大工程项目叫什么", None, "names"),
        ("那6个国家绿色制造重大工程项目分别是啥", None, "names"),
        ("讲的那四项重点任务分别是什么", "names", None),
        ("那6个国家重大工程项目都是啥项目", None, "names"),
        # ... but not when a new clause names one thing (这个), or when several go by one name (合起来)
        ("再创业的两个抓手这个提法原话叫啥", "names", "term"),  # compact, as the matcher reads it
        ("那两个翻番目标合起来叫什么", "names", "term"),
        ("入库企业名单里一共有多少家", "names", "count"),
        # how much interest is subsidised asks for a rate of interest subsidy, not an amount of money
        ("央行帮企业补多少利息", "money", "interest_subsidy"),
        ("技改项目补多少", None, "money"),
        # 花钱 asks the cost only as a question, not where it says who pays
        ("政府花钱请专家上门诊断是怎么回事", "money", None),
        ("请专家上门诊断要不要花钱", None, "money"),
        # a kind named in passing asks for nothing: what the speaker saw, a share raised or judged, a list
        # drawn up, a deadline met
        ("讲话人去外地考察看到了什么", "speaker", None),
        ("那次会的讲话人是谁", None, "speaker"),
        ("方案要提高哪些产品的比重", "share", None),
        ("高端产品的比重是多少", None, "share"),
        ("行业比例不合理是怎么说的", "share", None),
        ("要县里列名单是啥意思", "names", None),
        ("为啥要赶在期限前完成", "duration", None),
        ("贷款期限是多久", None, "duration"),
        ("那种特别长期限的国债按多少比例给", "duration", None),
        ("国家发的那种期限特别长的债按多少比例给支持", "duration", None),
        # what someone earns is an amount of money
        ("工厂流水线上的工人一般一个月能挣多少", None, "money"),
        ("每家诊断费多少", None, "money"),
        ("服务费是多少", None, "money"),
        ("贷款期限很短吗，是几年", None, "duration"),
        # what standing something is given is no place
        ("企业在工作格局里被放在什么位置", "location", None),
        ("项目建在什么位置", None, "location"),
        ("项目放在哪个园区", None, "location"),
        # what is to be done now (当前要抓好几件事) is no progress made so far
        ("当前重中之重要抓好几件事", "status", None),
        ("目前已经完成了多少户", None, "status"),
        # how a sum is shared out is a procedure
        ("试点拿到的资金怎么分配", None, "procedure"),
    ],
)
def test_what_a_question_asks_for_by_its_words(question, absent, present):
    kinds = asked_in_shipped(question)
    assert absent is None or absent not in kinds
    assert present is None or present in kinds


def test_a_division_head_answers_who():
    """哪位处长: the interview names its guest by his post, 处长, as it names others 局长."""
    shipped = shipped_kinds()
    answer = "市工业和信息化局信息化处处长毛继华介绍了数字化转型的进展。"
    assert missing_types((shipped["person"],), answer) == ()
    assert missing_types((shipped["speaker"],), answer) == ()


def test_a_person_called_mister_and_from_the_start_are_answers():
    shipped = shipped_kinds()
    assert missing_types((shipped["speaker"],), "这是网友王先生提出的问题。") == ()
    assert missing_types((shipped["date"],), "新项目要从一开始就同步规划数字化。") == ()


def test_a_batch_is_no_count_but_one_household_is():
    shipped = shipped_kinds()
    assert missing_types((shipped["count"],), "遴选一批优质服务商，谋划一个具体项目") == ("count",)
    assert missing_types((shipped["count"],), "每个县区打造一户头部企业的典型场景") == ()
    assert missing_types((shipped["count"],), "累计培育十一个示范项目") == ()
    assert missing_types((shipped["count"],), "访谈分三部分") == ()
    assert missing_types((shipped["count"],), "解决一部分问题") == ("count",)


def test_a_penalty_is_asked_by_its_words_and_given_only_by_one():
    shipped = shipped_kinds()
    assert "penalty" in asked_in_shipped("被通报的单位会受到什么处分")
    assert "penalty" not in asked_in_shipped("企业有三种难处，分别是哪三种")
    assert missing_types((shipped["penalty"],), "继续加大约谈问责等措施") == ("penalty",)
    assert missing_types((shipped["penalty"],), "对责任人给予警告处分") == ()


@pytest.mark.parametrize("question", ["年初定的那100户到开会时完成了多少", "改造任务完成得怎么样", "这项工作进度咋样"])
def test_how_much_is_done_asks_where_things_stand(question):
    """完成了多少 asks for progress: an answer that gives only the target (年初既定目标) does not hold it."""
    assert "status" in asked_in_shipped(question)
    target = "要紧紧盯住年初确定的100户数字化改造任务，高质量完成年初既定目标。"
    assert missing_types((shipped_kinds()["status"],), target) == ("status",)


def test_a_letter_is_a_material_and_a_company_answers_who():
    """A letter (承诺函) is a document handed in; who was commended is answered by the companies named
    with a company suffix the names kind reads too (鞋业), not only by 公司 or a person's title."""
    shipped = shipped_kinds()
    assert "materials" in asked_in_shipped("约谈之后下级要交什么材料")
    assert missing_types((shipped["materials"],), "下级政府出具承诺函，作出书面承诺。") == ()
    assert missing_types((shipped["materials"],), "下级政府作出书面承诺。") == ("materials",)
    assert missing_types((shipped["person"],), "对阿诗丹顿、嘉鸿鞋业进行了表彰奖励。") == ()
    assert missing_types((shipped["person"],), "对先进企业进行了表彰奖励。") == ("person",)
    assert missing_types((shipped["person"],), "钢铁、化工行业要加快改造。") == ("person",)  # industries


def test_whether_there_is_a_subsidy_is_asked_of_an_entry_that_speaks_of_money():
    """买新能源车有补贴吗 was answered with the entry on new-energy-vehicle theme parks, which says nothing of
    a subsidy; the documents mention the topic but not the fact asked."""
    shipped = shipped_kinds()
    assert "subsidy" in asked_in_shipped("现在买新能源汽车还有补贴吗")
    assert "subsidy" not in asked_in_shipped("补贴标准是多少")
    assert missing_types((shipped["subsidy"],), "天津将打造新能源汽车等绿色低碳主题园区。") == ("subsidy",)
    assert missing_types((shipped["subsidy"],), "市财政拿出1000万元奖补资金。") == ()
    assert shipped_answerer().ask("天津买新能源汽车有补贴吗").outcome.value != "answered"
    assert shipped_answerer().ask("东北那个市企业数字化转型有奖补吗").entry_id == "ne-10-million-subsidy"


@pytest.mark.parametrize(
    ("question", "asks"),
    [("每家企业能拿到多少财政补贴", True), ("一家能领到多少", True), ("产业项目占比得到多少", False)],
)
def test_what_one_gets_asks_an_amount(question, asks):
    assert ("money" in asked_in_shipped(question)) is asks


@pytest.mark.parametrize(("question", "asks"), [("存款和贷款的比例算高还是低", False), ("存贷比例是多少", True)])
def test_a_share_judged_asks_for_none(question, asks):
    """比例算高还是低 asks for a judgement the entry gives (存贷比仍然较低), not a figure."""
    assert ("share" in asked_in_shipped(question)) is asks


@pytest.mark.parametrize(
    ("question", "kind"),
    [("天津对新能源汽车还有地方财政补贴吗", "subsidy"), ("足力健是商丘哪个县的企业", "location")],
)
def test_a_subsidy_of_a_kind_and_the_county_of_a_company_are_asked(question, kind):
    """Both were answered with an entry that mentions the topic and not the fact (a theme park, a company
    named as an example)."""
    assert kind in asked_in_shipped(question)
    assert shipped_answerer().ask(question).outcome.value == "not_stated"
