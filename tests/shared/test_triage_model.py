"""The statistical half of the triage (bot/triage_model.py) and how assess() combines it."""

import json
from pathlib import Path

import pytest

from bot.triage import assess, reported_intent, triage_text
from bot.triage_model import DEV_DIR, ModelScore, default_model, load_rows, topic_rows

ROOT = Path(__file__).resolve().parents[2]


class FixedModel:
    """A model that always answers the same score: to test how assess() combines sides."""

    def __init__(self, **score):
        self.result = ModelScore(
            **{"urgent": 0.0, "concern": 0.0, "category": None, "category_confidence": 0.0} | score
        )

    def score(self, text):
        return self.result


def test_trained_only_on_development_data():
    assert DEV_DIR == ROOT / "data" / "triage"
    rows = load_rows()
    assert len(rows) > 3000
    # Every message of three words or more in the labelled sets is absent from what the
    # model learns from ("xin chào" may well be in both: greetings are greetings).
    texts = {
        json.loads(line)["text"]
        for path in (ROOT / "tests" / "triage_eval").glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    texts = {t for t in texts if len(t.split()) >= 3}
    assert len(texts) > 700
    assert not texts & {r["text"] for r in rows}, "an evaluation message is in the training data"
    assert not texts & {t for t, _ in topic_rows()}
    nlu = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("- "):
                nlu.add(line.strip()[2:])
    assert not texts & nlu, "an evaluation message is in the NLU training data"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("dượng đang cầm gậy đập cửa phòng em, em sợ lắm", "physical_violence"),
        (
            "có người trên mạng đòi em gửi ảnh không mặc gì, không thì tung clip",
            "online_sexual_abuse",
        ),
        ("em gai toi di hoc tu sang den gio chua ve, goi khong duoc", "missing_child"),
    ],
)
def test_model_reads_urgent_messages(text, category):
    score = default_model().score(text)
    assert score.urgent >= 0.5
    assert score.category == category


@pytest.mark.parametrize(
    "text", ["em đang học đánh đàn piano", "cach day con boi an toan", "cảm ơn bạn nhiều nha"]
)
def test_model_reads_harmless_messages(text):
    assert default_model().score(text).urgent < 0.5


def test_model_names_the_topic_of_an_accident():
    score = default_model().score("bạn em bị chìm dưới sông mãi không thấy nổi lên")
    assert score.topic == "drowning"
    assert assess("bạn em bị chìm dưới sông mãi không thấy nổi lên").topic == "drowning"


def test_model_alone_raises_a_message_the_lexicon_misses():
    text = "có chuyện rất tệ xảy ra với em"
    assert assess(text, model=None).urgency == "none"
    verdict = assess(text, model=FixedModel(urgent=0.9, category="other", category_confidence=0.3))
    assert verdict.urgency == "urgent"
    assert [s.source for s in verdict.signals] == ["model"]
    assert verdict.category == "other"


def test_a_risk_the_model_is_sure_is_sexual_is_urgent():
    text = "từ hôm ở nhà bác về em cứ thấy mình bẩn thế nào ấy"
    assert assess(text, model=None).urgency == "none"
    sexual = FixedModel(
        urgent=0.2, concern=0.6, category="sexual_violence", category_confidence=0.8
    )
    verdict = assess(text, model=sexual)
    assert verdict.urgency == "urgent"
    assert verdict.category == "sexual_violence"
    assert "sexual_violence p=0.80" in verdict.signals[0].evidence
    # the same risk in another category, or a category the model is unsure of, stays a concern
    bullying = FixedModel(urgent=0.2, concern=0.6, category="bullying", category_confidence=0.8)
    assert assess(text, model=bullying).urgency == "concern"
    unsure = FixedModel(
        urgent=0.2, concern=0.6, category="sexual_violence", category_confidence=0.5
    )
    assert assess(text, model=unsure).urgency == "concern"
    # and a fiction the lexicon recognises still holds it back
    film = "phim này có cảnh cô bé bị xâm hại, xem xong em buồn"
    assert assess(film, model=sexual).urgency != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "kkk t mua dao lam r",
        "t uống hết lọ thuốc an thần của bà r, giờ buồn ngủ ghê =))",
        "Mình nghĩ đến cái chết suốt, hôm nay mình đã tích đủ thuốc rồi =))",
        "t ngồi trên lan can tầng 8 r =))",
        # r16: the model read these as harmless (none 0.93-1.00) and vetoed the lexicon
        "lam sao de ngu mai mai",
        "ba doi giet ca nha",
        "ong noi dang ngoi an com thi nga ra, meo mieng, noi ko dc",
        "con toi 4 tuoi an mat nua vi thuoc tranh thai cua me, chau van choi binh thuong",
        "sorry ba ma, con di truoc",
        "hnay cắt tay nữa r kkk",
        "xin cách chết k đau 🥺",
        "t nhịn ăn 4 ngày r cho chết luôn, ai hỏi thì bảo diet kkk",
    ],
)
def test_a_laugh_does_not_mask_a_self_harm_act(text):
    # a laugh caps hyperbole at concern, not an act or a means; nor does a model sure of "none"
    calm = FixedModel(urgent=0.0, concern=0.0, category="other", category_confidence=0.9)
    assert assess(text, model=calm).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "mún chết vì crush k rep 🤣",
        "mẹ t mua dao lam để cạo lông mày kkk",
        "haha t đang ngồi trên sân thượng hóng gió",
        "t không tích thuốc đâu =))",
    ],
)
def test_hyperbole_and_harmless_means_stay_below_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


def test_model_names_the_category_when_confident():
    weak = assess("bố em đang đánh em", model=FixedModel(urgent=0.9, category="neglect"))
    assert weak.category == "physical_violence"  # the lexicon's, the model is not sure
    sure = FixedModel(urgent=0.9, category="sexual_violence", category_confidence=0.8)
    assert assess("bố em đang đánh em", model=sure).category == "sexual_violence"


def test_negation_and_fiction_hold_back_an_unsure_model_but_not_a_sure_one():
    unsure = FixedModel(urgent=0.55, category="physical_violence", category_confidence=0.9)
    assert assess("bố em không bao giờ đánh em", model=unsure).urgency != "urgent"
    assert assess("phim này có cảnh bố đánh con", model=unsure).urgency != "urgent"
    sure = FixedModel(urgent=0.95, category="sexual_violence", category_confidence=0.9)
    verdict = assess("ông ấy rủ em qua nhà xem phim rồi bắt em cởi đồ", model=sure)
    assert verdict.urgency == "urgent" and verdict.category == "sexual_violence"


def test_real_model_reads_negations_as_harmless():
    for text in [
        "bố em không bao giờ đánh em",
        "em không bị ai bắt nạt cả",
        "phim này có cảnh đánh nhau",
    ]:
        assert assess(text).urgency != "urgent", text


def test_short_answers_are_not_alarms():
    for text in ["không biết", "vẫn còn", "chưa", "bé trai", "Bình Dương", "k bít"]:
        assert assess(text).urgency == "none", text
    sure = FixedModel(urgent=0.9, category="other", category_confidence=0.3)
    assert assess("em sợ", model=sure).urgency == "concern"  # too few words for the model alone


def test_a_long_message_keeps_its_danger():
    text = ("hôm nay ở lớp em học toán rồi ra chơi với các bạn " * 30) + "bố em đang đánh em"
    assert assess(text).urgency == "urgent"


def test_rasa_alone_is_a_concern_when_the_model_is_sure_it_is_harmless():
    nlu = {"intent": {"name": "urgent_danger", "confidence": 0.99}, "intent_ranking": []}
    text = "cá bảy màu trong bể của em chết hai con"
    calm = assess(text, nlu=nlu, model=FixedModel())  # P(none) = 1
    assert calm.urgency == "concern"
    unsure = assess(text, nlu=nlu, model=FixedModel(urgent=0.2, concern=0.2))
    assert unsure.urgency == "urgent"


def test_a_joke_caps_the_message_at_concern_unless_help_is_asked():
    verdict = assess("mún chết vì crush k rep tin nhắn 🤣", model=None)
    assert verdict.urgency == "concern"
    assert any("joke" in s.evidence for s in verdict.signals)
    assert assess("cứu em, bố em đang đánh em =))", model=None).urgency == "urgent"


def test_a_laugh_next_to_i_mean_it_is_no_joke():
    # typed laughter is a joke marker ("kkk" is no longer read as "không")
    assert assess("chém 1 phát chết luôn 3 đứa kkk", model=None).urgency != "urgent"
    for text in (
        "kkk đùa chứ t mua dao lam r, tối nay t thử",
        "haha chắc t biến mất luôn, t viết thư để lại r, nói thật đó",
    ):
        assert assess(text, model=None).urgency == "urgent", text


def test_a_laugh_does_not_cap_sexual_abuse():
    verdict = assess("ông hàng xóm sờ vào chỗ kín của em kkk", model=None)
    assert verdict.urgency == "urgent"
    assert verdict.category == "sexual_violence"


def test_thinking_of_how_to_die_is_urgent():
    assert (
        assess("đêm nào e cũng nghĩ tới cách chết, e tra cách rồi", model=None).urgency == "urgent"
    )
    assert assess("bài văn nghị luận về cách chết đuối", model=None).urgency == "none"


def test_the_model_reads_the_diacritics_as_typed():
    from bot.triage import triage_tokens
    from bot.triage_model import SEPARATOR, model_input

    pairs = triage_tokens("bé chìm dưới ao, e k bít 💊")
    assert [f for f, _ in pairs] == "be chim duoi ao em khong biet thuoc".split()
    assert [a for _, a in pairs] == "bé chìm dưới ao em khong biet thuoc".split()
    assert model_input(pairs).split(SEPARATOR) == [
        "be chim duoi ao em khong biet thuoc",
        "bé chìm dưới ao em khong biet thuoc",
    ]


def test_a_sure_model_softens_the_lexicon_except_for_sexual_abuse():
    calm = FixedModel()  # P(none) = 1
    # a physical-violence word in what the model is sure is harmless: kept as a concern
    softened = assess("bài kiểm tra toán giết em rồi", model=calm)
    assert softened.urgency == "concern"
    assert any("model: none" in s.evidence for s in softened.signals)
    # sexual abuse is urgent whatever the model says (safeguarding: past abuse included)
    assert assess("em bị hiếp hồi năm ngoái", model=calm).urgency == "urgent"
    assert assess("có người đòi ảnh nóng của em", model=calm).urgency == "urgent"


def test_a_report_followed_by_a_question_is_not_silenced():
    # a child tells, then asks what to do: the question must not read as a hypothetical
    for text in [
        "chú hàng xóm sờ vào người em, nếu em kể với mẹ thì có nên không",
        "em bị chú ấy sờ, bằng cách nào để em thoát",
        "chú hàng xóm sờ vào người em, nếu em kể với mẹ thì em phải làm sao",
    ]:
        assert assess(text, model=None).urgency == "urgent", text
    # a hypothetical still frames what follows it
    for text in [
        "nếu có người lạ cho kẹo thì con nên làm gì",
        "nếu bố đánh em thì em phải làm sao",
    ]:
        assert assess(text, model=None).urgency == "none", text


def test_emoji_and_smileys_are_read():
    assert triage_text("e uống hết 💊 r") == "em uong het thuoc roi"
    assert triage_text("buồn cười :)) 😂").endswith("haha haha")
    assert assess("e uống hết 💊 r", model=None).urgency == "urgent"


def test_reported_intent_vocabulary():
    assert reported_intent("greet") == "greet"
    assert reported_intent("drowning") == "drowning"
    assert reported_intent("urgent_danger") == "urgent_danger"
    assert reported_intent("thank") == "out_of_scope"
    assert reported_intent("affirm") == "out_of_scope"
    assert reported_intent(None) is None


def test_model_cache_is_used_and_a_broken_one_is_replaced(tmp_path, monkeypatch, caplog):
    import bot.triage_model as triage_model

    default_model()  # makes sure the real cache exists
    fingerprint = triage_model.fingerprint()
    cached = triage_model.CACHE_DIR / f"triage-model-{fingerprint}.pickle"
    monkeypatch.setattr(triage_model, "CACHE_DIR", tmp_path)
    (tmp_path / cached.name).write_bytes(cached.read_bytes())
    loaded = triage_model._load_or_train()
    assert loaded.score("bố em đang đánh em").urgent >= 0.5

    (tmp_path / cached.name).write_bytes(b"not a pickle")
    retrained = triage_model._load_or_train()
    assert "unreadable" in caplog.text
    assert retrained.score("bố em đang đánh em").urgent >= 0.5
    assert triage_model._load_or_train().score("xin chào").urgent < 0.5  # cached again
