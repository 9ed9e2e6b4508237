"""Triage engine behaviour (lexicon side; the Rasa side is exercised with a parse result)."""

import pytest

from bot.triage import Lexicon, LexiconError, assess, compile_pattern


@pytest.mark.parametrize(
    "text",
    ["bố em đang đánh em", "bo em dang danh em", "bme e dag đánh e", "em không muốn sống nữa"],
)
def test_urgent_in_every_orthography(text):
    verdict = assess(text)
    assert verdict.urgency == "urgent"
    assert verdict.signals and verdict.signals[0].source == "lexicon"


@pytest.mark.parametrize(
    "text",
    ["bố em không bao giờ đánh em", "cười muốn chết 😂", "phim này có cảnh đánh nhau", "xin chào"],
)
def test_hard_negatives_are_not_urgent(text):
    assert assess(text).urgency != "urgent"


def test_rasa_urgent_intent_wins_when_the_lexicon_is_silent():
    nlu = {"intent": {"name": "urgent_danger", "confidence": 0.93}, "intent_ranking": []}
    verdict = assess("có chuyện rất tệ xảy ra với em", nlu=nlu, model=None)
    assert verdict.urgency == "urgent"
    assert [s.source for s in verdict.signals] == ["rasa"]


def test_low_confidence_rasa_does_not_raise_alone():
    nlu = {"intent": {"name": "urgent_danger", "confidence": 0.3}, "intent_ranking": []}
    assert assess("hôm nay trời đẹp", nlu=nlu, model=None).urgency == "none"


def test_topic_comes_from_category_or_rasa_intent():
    assert assess("bố em đang đánh em").topic == "abuse_prevention"
    nlu = {"intent": {"name": "traffic", "confidence": 0.9}, "intent_ranking": []}
    assert assess("đội mũ bảo hiểm thế nào", nlu=nlu, model=None).topic == "traffic"
    fallback = {
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "intent_ranking": [{"name": "nlu_fallback"}, {"name": "injury", "confidence": 0.4}],
    }
    verdict = assess("bị bỏng", nlu=fallback, model=None)
    assert verdict.intent == "injury" and verdict.topic == "injury"


def test_pattern_language():
    rx = compile_pattern("bo|me * danh em")
    assert rx.search("bo no lai danh em")
    assert not rx.search("bo a b c d danh em")
    assert compile_pattern("chet+").search("em chettt")
    with pytest.raises(LexiconError):
        compile_pattern("* danh")
    with pytest.raises(LexiconError):
        compile_pattern("đánh")


def test_a_malformed_lexicon_is_refused():
    with pytest.raises(LexiconError):
        Lexicon({"signals": [{"category": "nope", "level": "urgent", "patterns": ["x"]}]})


def test_explicit_harmless_wording_outranks_the_classifier():
    nlu = {"intent": {"name": "urgent_danger", "confidence": 0.97}, "intent_ranking": []}
    assert assess("phim này có cảnh đánh nhau ghê lắm", nlu=nlu).urgency == "none"
    assert assess("bố em không bao giờ đánh em", nlu=nlu).urgency == "none"
    # but a real risk phrase keeps Rasa's urgent verdict alongside the lexicon's
    assert assess("bố em đang đánh em", nlu=nlu).urgency == "urgent"


def test_context_raises_a_story_the_lexicon_reads_over_several_messages():
    assert assess("ông ấy cầm dao", model=None).urgency != "urgent"
    verdict = assess("ông ấy cầm dao", context=["bố em say rượu về"], model=None)
    assert verdict.urgency == "urgent"
    assert "context" in {s.source for s in verdict.signals}


@pytest.mark.parametrize(
    "text",
    [
        # everyday sentences that share folded words with round-7 patterns (để/đè, sợ/sờ,
        # rửa, bột, túi, "nó" for a thing, "bên ngoại", "nửa viên", "off", "dẫn đi khách sạn")
        "ông để em ra về sớm vì em ốm",
        "mẹ để em ra sân chơi",
        "mẹ em sợ em bị ốm nhiều lắm",
        "mẹ pha bột vào sữa của em",
        "mẹ mua quần áo lót cho em",
        "nếu không gửi bài thì cô phạt",
        "em gửi rồi mà cô lại bảo gửi lại video bài tập",
        "bạn gửi em cái link web có clip em thích lắm",
        "tìm cái bút mãi không thấy nó đâu",
        "nhét nó vào túi rồi",
        "xin lỗi mọi người, em off nhé",
        "uống nửa viên thuốc hạ sốt được không",
        "thuốc này uống được không ạ",
        "mẹ bố em ở quê 2 tháng nay",
        "em thi trượt nên không đi chơi được",
        "chị em lấy chồng, nhà nhận sính lễ hôm qua",
        "em bị bạn gọi là chó",
        "em đang ngồi ở trên cầu thang chơi điện thoại",
    ],
)
def test_everyday_words_are_not_urgent_for_the_lexicon(text):
    assert assess(text, model=None).urgency != "urgent"


def test_a_fathers_old_stories_do_not_silence_a_beating():
    # "ba" is the father in the South: no "grandparent's story of the old days" suppressor
    assert assess("ba em hay kể hồi xưa rồi đánh em nếu em cãi", model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "bé bị điện giật ở ổ cắm, giờ không tỉnh",
        "con tôi uống nhầm nước tẩy bồn cầu",
        "em bé sốt 40 độ, người mềm nhũn, gọi không dậy",
        "thằng bé hóc hạt nhãn, ho không ra tiếng",
        "vừa vớt lên, môi tím tái",
    ],
)
def test_medical_emergencies_happening_now_are_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "làm gì khi trẻ bị co giật",
        "em học hát mà nghẹt mũi",
        "em uống thuốc trừ giun rồi",
        "than tổ ong đốt trong bếp",
        "kéo lên lớp tìm tài liệu",
        "bé đi lạc ở Vũng Tàu hôm qua, tìm được rồi",
        "bé trai mất tích tuần trước đã được tìm thấy an toàn",
        # round 12: same subjects as real reports, harmless
        "em lạc ở siêu thị có xíu, chú bảo vệ dẫn em về gặp ba rồi",
        "báo nói bé trai bị bắt cóc đã được giải cứu, mừng quá",
        "Tại sao không được cho ai chạm vào chỗ kín vậy ạ?",
        "bé 5t hay tự sờ chỗ kín khi ngủ có bth k mn",
        "Em bị cảm hơi khó thở nhưng uống thuốc xong giờ khỏe rồi ạ",
        "đt t rớt từ lầu 2 xuống, màn nát bét 😭",
        "Bố bắt lên giường ngủ sớm, chán ghê",
        "cầm kiếm chém boss mà lag đứng hình",
        "gửi mọi người ảnh nóng hổi vừa chụp ở buổi văn nghệ nè",
        "bị cô gọi lên bảng, tim như ngừng đập",
        "bố mẹ dẫn em vào khách sạn ở Đà Lạt chơi",
    ],
)
def test_first_aid_questions_and_found_children_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


def test_a_child_still_missing_stays_urgent():
    assert assess("con tôi bị lạc ở chợ, chưa tìm thấy", model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # the round-12 harmless phrases must not swallow a real report next to them
        "chú ấy bảo không được cho ai biết, rồi chú chạm vào chỗ kín của em",
        "đừng cho ai chạm vào chỗ kín của em, nhưng thầy đã chạm rồi",
        "ông ấy bắt em lên giường ngủ cùng rồi sờ vào người em",
        "anh ấy bắt em tự sờ vào chỗ kín rồi quay video",
        "em bị lạc, có chú lạ dẫn em về nhà chú",
        "bạn em bị ngã cầu thang, khó thở lắm",
        "bé nhà tôi bị bắt cóc đi rồi, chưa tìm thấy",
        "bố dượng dẫn em vào khách sạn rồi khóa cửa",
        "bố mẹ em đi làm, chú hàng xóm dẫn em vào khách sạn",
    ],
)
def test_harmless_phrases_leave_real_reports_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # a dream frames only what follows it
        "hồi nhỏ e bị ông hàng xóm xâm hại. h e 16t r mà vẫn hay mơ thấy, đêm nào cũng giật mình",
        # farewells, "why should I go on living", a blade in hand, a child bride
        "Chắc đây là tin nhắn cuối của em. Cảm ơn mọi người thời gian qua. Mong bố mẹ đừng buồn.",
        "Răng con phải sống nữa, ai cũng chê con hết",
        "Cam luoi lam roi, xin loi",
        # "mở thấy" (opened and saw) folds like "mơ thấy" (dreamt): no dream without the night
        "em mở thấy bố cầm dao đuổi mẹ",
        "bố đánh em chảy máu, đêm qua em mơ thấy bố giết em",
        "cứa tay xong thấy nhẹ ng kkk, mà máu chảy hơi nhiều",
        "Nhà bên cạnh đang tổ chức cưới cho đứa con gái 14 tuổi, con bé khóc suốt",
        "Bố mẹ bắt em nghỉ học để lấy chồng vào tháng sau, em mới 15 tuổi",
        "người lạ cho kẹo em có lấy đâu, mà ông ấy kéo em đi",
        "em sợ quá, em bị lạc rồi",
        "chú ấy chạm vào người em, nếu em kể thì nên nói sao",
        # an unresponsive baby or grandmother, poison bait, a swimmer gone under
        "Em be nha em ngu day mem nhun, keu khong thua, moi tai",
        "Ba noi em te trong nha ve sinh, keu hoai khong tra loi",
        "Con toi an nham vien diet gian, gio mat tai met",
        "đang bơi ở hồ thủy lợi, thg Huy lặn mất tiêu r, tụi t kêu k ai nghe",
    ],
)
def test_round_13_reports_are_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "em nằm mơ thấy bố đánh em",
        "tối qua mơ thấy chết đuối, tỉnh dậy mồ hôi đầy người",
        "tin nhắn cuối cùng của năm, cảm ơn mọi người đã đồng hành",
        "em phải sống tiếp sao cho tốt",
        "đám cưới chị họ em có bé 14 tuổi làm phù dâu",
        "nó mượn tiền rồi lặn mất tiêu",
        "sáng nay gọi nó mãi không dậy đi học",
        "Năm ngoái con tôi ngã xe đạp gãy tay, giờ lành hẳn rồi",
        "hôm qua con t lạc ở Đầm Sen, may bảo vệ tìm đc sau 20p. giờ ổn r",
        # round 15: questions and play on the same subjects
        "Người lạ cho kẹo có lấy không ạ?",
        "Nếu bạn chạm vào người mình mà mình không thích thì nên nói sao ạ?",
        "thằng bạn bắt cóc ổ bánh mì của t r chạy mất",
        "nhóm e lm poster chống buôn bán ng, ai có slogan hay hok",
        "mạ cứ sợ e bị lạc nên k cho đi phố đi bộ 1 mình",
    ],
)
def test_round_13_harmless_neighbours_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


# A review of the round 12-15 patterns (a red team writing sentences against each one) found
# idioms that hid real danger through wide gaps and folding collisions (thà/tha, lạnh/lành,
# "Linh", "trùm chăn", "làm sao"), and signals that fired on everyday sentences.
@pytest.mark.parametrize(
    "text",
    [
        "con tôi bị bắt cóc ở trường, cô giáo vừa báo",
        "con toi bi bat coc mat roi co ai thay k",
        "em bị bắt cóc, hết cách rồi, có ai giúp không",
        "em thà chết còn hơn phải về nhà",
        "con tôi bị bắt cóc 2 ngày rồi vẫn chưa được tìm thấy",
        "cháu tôi mất tích 3 ngày, chưa được giải cứu",
        "có người gửi ảnh nóng hỏi em có thích không",
        "bố cầm dao đánh mẹ, em trùm chăn trốn",
        "thằng đó cầm dao chém bạn Linh",
        "bố say rượu đánh chết bé Linh rồi",
        "bé ngã cầu thang gãy cổ, người lạnh hẳn rồi",
        "em bị lạc rồi, có chú lạ bảo sẽ dẫn em đi gặp mẹ",
        "con lên cơn hen khó thở mà ống xịt hết rồi",
        "con tôi tim ngừng đập 30 giây rồi",
        "dượng bắt em lên giường ngủ sớm với dượng",
        "chú ấy hay tự sờ vào chỗ kín trước mặt em",
        "em phải làm sao đừng cho người ta sờ vào người em nữa",
        "người lạ cho tiền bắt em cởi áo, lấy không?",
        "cháu bị bắt cóc trên đường vào lớp",
        "chú ấy bảo sợ em bị lạc nên dắt em về nhà chú ngủ",
        "có ai bắt cóc em đi ăn, giờ em đang ở đâu không biết",
        "chồng mua bán người, bắt con gái tôi đi",
        "hôm nay trường diễn tập PCCC, về nhà bố lại đánh em chảy máu",
        "em không biết cách nào cứu bạn em, nó uống thuốc ngủ rồi",
        "nếu bố lại đánh em thì em nên nói gì",
        "em giấu dao lam dưới gối, tối nào cũng cào lòng bàn tay",
        "con bị lạc, vẫn chưa tìm thấy sau 3 tiếng",
        "bố mẹ bán em cho ông ấy, ông dẫn em vào khách sạn",
        "bà nội té xỉu kêu hoài không thưa",
        "Chắc đây là tin nhắn cuối của em. Cảm ơn mọi người thời gian qua. Mong bố mẹ đừng buồn.",
        "Răng con phải sống nữa, ai cũng chê con hết",
        "Cam luoi lam roi, xin loi",
        "cứa tay xong thấy nhẹ ng kkk, mà máu chảy hơi nhiều",
        "Nhà bên cạnh đang tổ chức cưới cho đứa con gái 14 tuổi, con bé khóc suốt",
        "Em be nha em ngu day mem nhun, keu khong thua, moi tai",
        "Ba noi em te trong nha ve sinh, keu hoai khong tra loi",
        "Con toi an nham vien diet gian, gio mat tai met",
        "đang bơi ở hồ thủy lợi, thg Huy lặn mất tiêu r, tụi t kêu k ai nghe",
        "sao mình phải sống tiếp trong cái nhà này",
    ],
)
def test_reviewed_reports_stay_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "tin nhắn cuối của em tối nay thôi, cảm ơn ạ",
        "dù sao thì cuộc sống vẫn phải sống tiếp",
        "chị tôi phải sống nửa năm ở bệnh viện",
        "trường cấm lưỡi lam và dao rọc giấy",
        "sắp cuối tuần rồi, nên cho bé 12 tuổi đi đâu chơi",
        "anh trai em sắp cưới, cho em gái 15 tuổi làm phù dâu",
        "bố mẹ tổ chức kỷ niệm ngày cưới, con 14 tuổi tặng hoa",
        "mở cửa tay bị xước, máu chảy ra một chút",
        "gọi mãi không thưa, mẹ mới tìm thấy nó ngủ trong gầm giường",
        "chị Nga gọi mãi không trả lời tin nhắn của em",
        "cô dặn uống phải đun sôi, diệt muỗi diệt ruồi",
        "mẹ mua cho con bịch bánh tráng để lâu mềm nhũn",
        "con uống hết thuốc của bác sĩ kê rồi, khỏi bệnh rồi hihi",
        "con uống hết vỉ thuốc kháng sinh rồi mà vẫn ho haha",
        "mẹ mua dao làm bếp mới, sắc ghê kkk",
        "nhà nhiều chuột quá, bố mua thuốc chuột rồi kkk",
        "em viết thư từ biệt cô giáo trước khi chuyển trường hihi",
        "Gửi mọi người ảnh nóng hổi vừa chụp ở buổi văn nghệ nè!",
        "Tối qua cầm kiếm chém boss mà lag quá, tức điên",
        "chém chết con boss r, drop đồ xịn vl 🔥",
        "em lạc ở siêu thị có xíu, chú bảo vệ dẫn em về gặp ba rồi",
        "báo nói bé trai bị bắt cóc đã được giải cứu, mừng quá",
        "Tại sao không được cho ai chạm vào chỗ kín vậy ạ?",
        "bé 5t hay tự sờ chỗ kín khi ngủ có bth k mn",
        "Em bị cảm hơi khó thở nhưng uống thuốc xong giờ khỏe rồi ạ",
        "Bố bắt lên giường ngủ sớm, chán ghê",
        "bố mẹ dẫn em vào khách sạn ở Đà Lạt chơi",
        "Người lạ cho kẹo có lấy không ạ?",
        "thằng bạn bắt cóc ổ bánh mì của t r chạy mất",
        "nhóm e lm poster chống buôn bán ng, ai có slogan hay hok",
        "mạ cứ sợ e bị lạc nên k cho đi phố đi bộ 1 mình",
        "Năm ngoái con tôi ngã xe đạp gãy tay, giờ lành hẳn rồi",
        "hôm qua con t lạc ở Đầm Sen, may bảo vệ tìm đc sau 20p. giờ ổn r",
        "mẹ t mua dao lam để cạo lông mày kkk",
        "bị cô gọi lên bảng, tim như ngừng đập",
    ],
)
def test_reviewed_everyday_sentences_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # round 16 (plain, held out): what the lexicon missed
        "e bi bo cua ban e so soan luc ngu lai nha ban",
        "ba cam bua dung ngoai cua",
        "nhieu khi em nghi neu em mat di chac ba ma nhe nguoi hon, do ton tien nuoi em",
        "me bat em nghi hoc lop 9 de cuoi anh kia vi nha da nhan sinh le, em ko muon",
        "hom nay minh cho het acc game, cai xe dap, ca con meo cho ban than roi. "
        "ko con gi de tiec nua",
        "ba doi giet ca nha",
        "lam sao de ngu mai mai",
        "em ho toi moi 12 tuoi ma lich su tim kiem toan la cach treo co va uong thuoc gi "
        "chet nhanh",
        "day thung buoc xong roi",
        "ong noi dang ngoi an com thi nga ra, meo mieng, noi ko dc",
        "em bi gia chong tuan sau",
        "con toi 4 tuoi an mat nua vi thuoc tranh thai cua me, chau van choi binh thuong",
        "thầy bảo cháu gửi ảnh mặc đồ ngủ, không được kể với bố mẹ",
        # real reports next to the round's harmless phrases
        "Thầy sờ soạng em trong phòng học",
        "bé bị rắn cắn hồi trưa, giờ chân sưng to",
        "con tôi đi lạc ở chợ 2 tiếng chưa tìm thấy con",
        "bé bị lạc, chưa đón được con",
        "con bé mất tích 2 ngày, hóa ra bị người lạ dụ đi, giờ vẫn chưa về",
        "ông ta cầm dao đuổi theo em",
        "xin giai cuu em, em bi bat coc",
        "em doc tin nhan cua ban, no noi se tu tu toi nay",
    ],
)
def test_round_16_reports_are_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "ong em hoi tre bi ran can, ong ke hoai chuyen do",
        "ban tuong em bi bat coc vi em tat dien thoai, thuc ra em ngu quen",
        "bao dua tin duong day mua ban tre so sinh vua bi triet pha, doc ma rung minh",
        "luc nay em bi lac trong sieu thi nhung gap me lien roi",
        "thang ban tui nhay tu cau truot xuong ho boi, dinh lam",
        "doc tin mot be 3 tuoi nuot pin da duoc cuu kip, toi di cat het pin len cao roi",
        "em sờ soạng tìm công tắc trong bóng tối",
        "Bé nhà tôi lạc ở siêu thị, bảo vệ đưa về quầy thông tin, tôi đón con rồi.",
        "Hôm nay con học khắc gỗ, được cầm dao trổ dưới sự hướng dẫn của thầy.",
        "tuan truoc thang con toi nga xe dap gay tay. gio da bo bot 3 tuan",
        "luc chieu be Bi mat tich 1 tieng, hoa ra ngu quen o nha hang xom, gio ve roi",
        "cô dạy khi ai chạm vào vùng kín thì phải hét lên, chạy đi và kể ngay cho người lớn",
        "cho em hỏi trẻ 5 tuổi sốt uống thuốc gì",
        "con uống hết vỉ thuốc kháng sinh rồi mà vẫn ho haha",
    ],
)
def test_round_16_harmless_neighbours_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


def test_an_idiom_can_span_the_place_of_an_earlier_one():
    # "tắt điện" is deleted first; the "tưởng … bị bắt cóc … thực ra" idiom spans its place
    verdict = assess(
        "ban tuong em bi bat coc vi em tat dien thoai, thuc ra em ngu quen", model=None
    )
    assert verdict.urgency == "none"


@pytest.mark.parametrize(
    "text",
    [
        # round 17 (plain, southern and central wording; night-time first messages), held out
        "ma noi lay chong som cho do kho. tui 14 tuoi ma, tui ko muon bo hoc",
        "em moi 15 tuoi ma bi ep lay chong",
        "ba sap danh nua, tron dau",
        "be Su sang nay di chan bo khong ve, ca xom di tim ngoai dong, be 8 tuoi",
        "hoc sinh em nghi hoc 3 ngay, gia dinh noi no di choi voi ban ma gio khong ai biet o dau",
        "Cô giáo gọi báo bé nhà tôi không có ở lớp sau giờ ngủ trưa, cả trường đang đi tìm",
        "met qua, toi nay di luon",
        "cai dien thoai nay chac cung ko can nua, mai tui de lai cho em",
        "ong ay lam chuyen ky cuc",
        "noi ma con thuong ma nghen",
        "noi voi me em xin loi",
        "ba lay dien chich em",
        "neu mai tui ko ra khoi phong thi dung buon nha",
        "em noc het chai dau hoa",
        "minh xin loi vi da ton tai. khi moi nguoi doc duoc dong nay thi minh da di roi",
        "làm sao để nói với mẹ là chú hàng xóm sờ vào vùng kín em",
    ],
)
def test_round_17_reports_are_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "nay trong xom co dam ma ong Tu, ong 92 tuoi ra di nhe nhang",
        "sang nay chu tui chem cay chuoi bam cho heo an",
        "con toi hay bi sot cao, ba noi ke chuyen co chau bi co giat do sot",
        "Bé nhà mình bị chảy máu cam lúc ngủ dậy, cầm máu sao cho đúng ạ",
        "Ông nội em mất tuần trước. Đi đám thì mặc áo màu gì cho đúng ạ?",
        "Con mèo nhà tôi nằm đè lên điện thoại của thằng cu, cả nhà cười muốn xỉu",
        "làm sao để nói với mẹ em xin lỗi vì làm vỡ bình",
        "con xin lỗi mẹ, con đi học trước nha",
        "chị tôi lấy chồng năm 17 tuổi",
        "hai năm nay em ăn gì cũng đau bụng",
        "be nha ben di lac o cho, ca xom nhao di kiem. cong an phuong tim duoc dua ve roi",
    ],
)
def test_round_17_harmless_neighbours_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


# A red-team review of the round 16-17 patterns (about 280 sentences of the reviewer's own): each
# sentence below was answered wrongly before the fixes it led to.
@pytest.mark.parametrize(
    "text",
    [
        "Em bị lạc rồi gấp lắm mẹ ơi cứu em ngay",
        "em bi lac, chu la bao dan di gap me ngay",
        "con bị lạc, ông kia nói chở con đi gặp má liền",
        "Làm ơn giải cứu em, em bị bắt cóc rồi, em muốn về với mẹ",
        "giai cuu em di, em bi bat coc, em muon ve nha",
        "Hãy giải cứu em, bọn bắt cóc nhốt em, em muốn về nhà",
        "Chú ấy sờ soạng em, em tìm cách chạy",
        "anh ta so soang nguoi em roi tim cach om em",
        "con đi lạc về muộn, bố cho ăn đòn con bầm tím hết rồi",
        "bé đi lạc 2 ngày, tìm thấy nó trong xe một người đàn ông lạ",
        "chú bắt con cho chú nằm đè lên người con",
        "ông ấy ép con cho ông ấy nằm đè lên",
        "Con tôi ba tuổi ra đi chơi một mình giờ không thấy đâu",
        "Em đọc tin về bạo lực gia đình, nhà em cũng vậy, bố đánh mẹ và em hàng ngày",
        "em đọc báo thấy giống em quá, chú em cũng hay sờ vào chỗ kín em",
        "Ba đọc tin về điểm thi xong đánh em chảy máu đầu",
        "Em bị anh ta dọa tung ảnh nóng, khi ai dọa như vậy thì nên báo công an không",
        "chú ấy hay sờ vào chỗ kín em, khi người lớn làm vậy thì phải kể cho ai",
        "Bố em say như Chí Phèo, về nhà đánh mẹ con em chảy máu",
        "ông ấy như chí phèo, cầm dao dọa giết cả nhà",
        "Ông nội kể chuyện với em rồi ông sờ vào chỗ kín em",
        "Bà ngoại kể chuyện cho mẹ là dượng hay sờ vào người em",
        "ông ngoại kể chuyện xong bắt em cởi quần",
        "cho chuột uống gì chết nhanh nhất",
        "uống gì để chết nhanh",
        "neu em bien mat thi bo me hanh phuc hon",
        "Mẹ em ngày xưa bị gả chồng năm 16 tuổi",
        "Em bị gả chồng tuần sau",
        "xin lỗi má, tui đi trước nghen",
        "sorry ba má, tui đi trước",
        "nói má tui thương má nhiều nghen",
        "nói với má tui xin lỗi",
        "tui 14 tuổi bị gả cho người ta",
        "em moi 14 tuoi ma bi ga cho nha trai",
        "bị gã chồng năm 15 tuổi",
        "Uống gì chết nhanh không đau",
        "uong gi de chet khong dau vay",
        "nếu em biến mất thì bố mẹ sẽ hạnh phúc hơn",
        "Mẹ luộc nấm hái trong rừng, cả nhà bị ói",
        "nướng nấm rừng ăn xong cả nhà nôn liên tục",
        "nam rung luoc an xong be bi non",
        "anh ta hứa cho em nhận vật phẩm trong game nếu em bật camera cởi áo",
        "Chồng tôi lắc con mạnh lắm, lúc tôi tìm thấy con thì bé không thở",
        "Ba em nhậu về như Chí Phèo, chửi rồi lấy roi đánh em",
        "ông hàng xóm như lão hạc, hay gọi em vào nhà rồi sờ người em",
        "Bố dọa giết mẹ 😂",
        "bo doa giet het ca nha kkk",
        "cô ơi e bj lạc r, gấp lắm, mẹ ơi cứu e ngay",
        "nấm rừng luộc ăn xong cả nhà bị ói",
    ],
)
def test_reviewed_r17_reports_stay_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "Mất điện, em sờ soạng lấy cái đèn pin",
        "thằng cu 4 tuổi ra đi từ trưa giờ không thấy đâu",
        "Bé nhà tôi ba tuổi ra đi đâu mất rồi",
        "Cách treo cờ Tổ quốc đúng quy định",
        "tra cach treo co do sao vang",
        "Thuốc gì diệt chuột chết nhanh mà an toàn cho trẻ nhỏ",
        "thuoc gi tri bo chet nhanh cho cho",
        "Có thuốc gì cho cây cỏ chết nhanh không",
        "Chó nhà em ốm nặng, thuốc gì cho nó chết không đau",
        "Em đang tìm cách từ từ nói với bố mẹ chuyện điểm kém",
        "tim cach tu tu lam quen voi ban moi",
        "Em mua dây thừng về buộc võng xong rồi",
        "day thung buoc thuyen roi",
        "Em đang cười méo miệng vì bị điểm 3 😂",
        "dang cuoi meo mom vi bi co mang",
        "Em bé đang khóc méo miệng đòi bú",
        "Ông em mới bị đột quỵ năm ngoái, giờ tập đi được rồi",
        "Học nhiều quá chắc bị tai biến mất",
        "Con 2 tuổi, làm sao để an toàn, nên cất lọ thuốc ở đâu",
        "Bé 2 tháng, mẹ đang cho con bú, mẹ uống vỉ thuốc kháng sinh có sao không",
        "Xin lỗi cả nhà, con đi trước nha, con có hẹn",
        "thôi em xin lỗi, em đi trước nha, mẹ gọi rồi",
        "Xin lỗi mọi người, mình đi trước đây, mai gặp",
        "Em muốn nói mẹ em yêu mẹ lắm nhân ngày 8/3, viết thiệp sao ạ",
        "Em muốn nói với mẹ là em xin lỗi vì làm vỡ bình",
        "Em muốn nói với mẹ là em yêu mẹ lắm",
        "Khi mọi người đọc được tin nhắn này thì em đã đi ngủ rồi nha",
        "khi moi nguoi doc thi minh da di da lat roi hihi",
        "Mấy cuốn sách này em không cần nữa, để lại cho em gái",
        "Mẹ để lại cho em cái điện thoại cũ, mẹ không cần nữa",
        "Nếu mai thi trượt thì đừng buồn nha",
        "neu mai troi mua thi dung buon nhe",
        "Mệt quá mà bạn rủ đi chơi, tối nay đi luôn",
        "Nếu em đi học nghề thì bố mẹ đỡ tốn tiền",
        "Nếu mình đi xe buýt thì đỡ tốn xăng",
        "neu minh di picnic thi vui hon",
        "Nếu con đi làm thêm thì mẹ đỡ khổ",
        "Mẹ cho em đi Đà Lạt, đời này không còn gì để tiếc",
        "Được cho đi xem concert idol, em không còn gì để tiếc nữa",
        "Bố cầm búa đứng ngoài cửa sửa bản lề",
        "Bất ngờ được nghỉ học, cả lớp cười ầm lên",
        "Hôm nay bất ngờ được nghỉ học nên em lấy vở ra vẽ",
        "Bố bắt em nghỉ học ở nhà nuôi gà",
        "Cô bắt cả lớp nghỉ học, cuối tuần học bù",
        "Mẹ bảo chụp ảnh bộ đồ ngủ mới gửi bà ngoại xem",
        "Mẹ bảo em gửi anh hai bộ đồ ngủ",
        "Bạn em bảo gửi ảnh bài tập, em nói đồ ngu tự làm đi",
        "Chị bảo gửi ảnh mẫu đồ tắm để chọn mua",
        "Em bị ép cười khi chụp ảnh kỷ yếu",
        "Hôm nay em thấy con mèo làm chuyện kỳ cục lắm",
        "Anh em hay làm chuyện kỳ cục như nhảy múa trong nhà tắm 🤣",
        "Ba em dùng điện chích con cá ở mương",
        "ong hang xom lay dien giat con chuot",
        "Em ăn năm cái bánh nên đau bụng",
        "Em nằm dài cả ngày vì đau bụng kinh",
        "Mẹ uống thuốc xong đau đầu hoa mắt",
        "Mẹ bảo em uống axit folic mỗi ngày",
        "Hè này em không về quê, đi kiếm tiền làm thêm",
        "Em không vẽ đẹp, đang tìm thầy dạy vẽ",
        "Tết này em không về quê, mẹ đi tìm trường mới cho em",
        "Sách không có ở thư viện, em phải đi tìm ở nhà sách",
        "Chị em lấy chồng năm nay, em 14 tuổi được làm phù dâu",
        "em moi 14 tuoi ma bi ep di hoc 3 ca",
        "Mẹ em lấy chồng khác khi em 12 tuổi",
        "Nếu mai em không ra khỏi phòng thì mẹ gọi em dậy đi học nhé",
        "mk muốn nói vs mẹ là mk yêu mẹ lắm",
        "cach treo co to quoc",
        "thuốc gì trị bọ chét chết nhanh",
        "e ko về quê tết nay, đang tìm việc làm thêm",
    ],
)
def test_reviewed_r17_everyday_sentences_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


@pytest.mark.parametrize(
    "text",
    ["ba em cầm dao đi đâm má rồi", "ba đi đấm mẹ rồi", "bố đâm mẹ rồi", "bo dam me roi"],
)
def test_stabbing_mother_is_not_read_as_passion_or_a_funeral(text):
    # "đâm mẹ"/"đâm má" fold like "đam mê" (passion) and "đám ma" (a funeral)
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text", ["em có niềm đam mê ca hát", "em đam mê âm nhạc", "mai em đi đám ma ông ngoại"]
)
def test_passion_and_funerals_stay_harmless(text):
    assert assess(text, model=None).urgency != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # round 18 (teencode, held out): self-harm acts told with a laugh, which the model read as
        # harmless; a teacher making boys undress in a martial-arts class; more photos demanded
        "hnay cắt tay nữa r kkk",
        "uống hết vỉ thuốc r =))",
        "t tính r, thi xong mà rớt là t nhảy cầu luôn. đỡ phải nhìn mặt ông bô =))",
        "t tự rạch đùi để k ai thấy, tuần nào cũng z kkk",
        "t nhịn ăn 4 ngày r cho chết luôn, ai hỏi thì bảo diet kkk",
        "xin cách chết k đau 🥺",
        "t đứng trên cầu Long Biên nè, nước chảy xiết ghê =)) chụp cho m xem lần cuối",
        "hnay lại rạch 😶",
        "kkk t treo sẵn dây ở trần nhà r, chụp cho m xem nè",
        'con trai e 10t đi học võ về kể thầy bắt tụi nó cởi quần "kiểm tra", nhiều lần r',
        "nó bảo gửi thêm 3 tấm nữa là xoá hết 😭 có nên k",
    ],
)
def test_round_18_reports_are_urgent(text):
    # a model sure of "none" does not soften them either (firm acts)
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        '"anh đã lạc mất em rồi" 🎶 nghe bài này hoài k chán, nhạc buồn mà cuốn ghê',
        "uống hết vỉ sữa chua 🤤",
        "con uống hết vỉ thuốc kháng sinh rồi mà vẫn ho haha",
        "chụp cho bà xem lần cuối trước khi bán nhà",
        "hôm nay học võ bị thầy bắt chống đẩy 50 cái",
    ],
)
def test_round_18_harmless_neighbours_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


def test_the_lexicon_reads_text_with_stray_spaces():
    # a context window joins messages with spaces (an empty one leaves two): idioms still match
    from bot.triage import default_lexicon

    signals, harmless = default_lexicon().analyse(
        "be mat tich 1 tieng  hoa ra ngu quen o nha hang xom"
    )
    assert signals == [] and harmless


def test_the_lexicon_writes_no_pattern_twice():
    # a pattern written twice in one list adds nothing but a second, identical signal on record
    from collections import Counter
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "data" / "triage" / "lexicon.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    twice = []
    for key in ("idioms", "suppressors", "present_markers", "humour", "firm_acts"):
        twice += [p for p, n in Counter(raw.get(key) or []).items() if n > 1]
    signals = Counter(
        (group["category"], group["level"], pattern)
        for group in raw["signals"]
        for pattern in group["patterns"]
    )
    twice += [key for key, n in signals.items() if n > 1]
    assert twice == []


@pytest.mark.parametrize(
    "text",
    [
        # round 19 (plain and teencode, held out), and what its review kept urgent
        "ho noi em lam o tiem mat xa de tra tien an o, khong cho em ra duong, em 16 tuoi",
        "ban em bo nha 3 ngay",
        "ai bik cách nào chết k đau k 🙂 hỏi thiệt á",
        "cắt chồng lên vết cũ r 😂",
        "uống hết vỉ paracetamol r 🤪",
        "hihi tui viết thư để lại cho mẹ r, để trên bàn học á 🙂 tối nay mn đừng nhắn nha",
        "bị tụi nó 'chơi tập thể' 🥲 e k mún về nhà",
        "chú e dọa lấy rựa chém nếu e còn khóc 😣",
        "mẹ dí bàn ủi vô tay 😭",
        "tụi nó dí đầu lọc thuốc lá vô cổ e 3 chỗ r",
        "tay em toan vet cat, em mac ao dai tay suot nen khong ai biet",
        "Em bị bỏng nặng, bố say rượu cầm nồi canh đang sôi đổ lên người em",
        "Vì sao không nên để anh họ chạm vào vùng kín ạ, anh ấy làm vậy với em mấy lần rồi",
        "Thuốc ngủ của mẹ em uống mấy viên một lần thì đi luôn ạ",
        "Con bị lạc, mấy người lạ hứa đưa về với gia đình, giờ con ở trên xe với họ",
        # a cast told after the push, and a man dressed up as a cartoon character (the cast idiom
        # and the fiction suppressors used to hide them from the lexicon)
        "dượng đẩy em ngã cầu thang gãy tay phải bó bột",
        "ông ấy giả làm nhân vật hoạt hình rồi bắt em cởi đồ",
    ],
)
def test_round_19_reports_are_urgent(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "panadol uống mấy viên 1 lần v mn, e sốt nhẹ thôi",
        "anh hai e đi xkld Nhật đàng hoàng, ảnh tự giữ hộ chiếu, công ty có hợp đồng rõ ràng",
        "tôi vừa thấy 1 bé đi lạc ở siêu thị, đã đưa cho bảo vệ phát loa r",
        "hồi nãy lạc mẹ ở hội chợ mà gặp lại r 😮‍💨 hết hồn",
        "con toi hoi vi sao khong duoc de nguoi khac cham vao vung kin, toi nen tra loi sao",
        "tay em bi phong vi cam noi, me boi kem roi",
        "Điện lại cắt rồi mẹ ơi, con không làm bài được",
        "Bò nhà em ăn 2 ngày hết một xe cỏ",
        "Chị hai dọa lấy kéo cắt tóc búp bê của em",
        "Hôm nay con bị phân nhóm chơi tập thể kéo co, nhóm con thua",
        "Bác sĩ bảo lần mổ này sẽ cắt chồng lên vết sẹo cũ",
        "Mấy chú vét cát ngoài bãi mặc áo dài tay cho đỡ nắng",
        "Làm sao để chó già chết không đau hả chị, nó 16 tuổi rồi",
        "Quán bia nhà mình Tết đông khách, bố không cho con đi chơi",
        "em bị ngã xe đạp gãy tay phải bó bột 1 tháng",
        "hôm qua xem phim hoạt hình có nhân vật bị bắt cởi đồ",
    ],
)
def test_round_19_harmless_neighbours_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # round 20 (diacritics and teencode, held out): indirect farewells and plans that the
        # model, sure of "none", used to soften (firm acts)
        "cho em hỏi uống bao nhiêu viên paracetamol một lúc thì là quá nhiều ạ, em hỏi giùm bạn em thôi",
        "uống nước tẩy bồn cầu thì bao lâu mới chết z, đừng hỏi sao t hỏi 😅",
        "tòa chung cư nhà t cao bn mét z mn, để làm j thì kệ t 🙃",
        "chung cư tầng 25 thì cao khoảng bao nhiêu mét ạ, rơi từ đó xuống thì có kịp đau không",
        "làm sao để lên sân thượng tòa nhà 30 tầng mà bảo vệ không chặn lại ạ",
        "vết cắt k phải mèo cào 🙃",
        "mấy nay t hay lấy compa cào tay, đeo vòng che lại nên mẹ k thấy 🙂",
        "cắt tay xong thấy nhẹ ng ghê, nghiện r hay sao á 🥲",
        "nhờ cậu nói với bố mẹ tớ là tớ không trách ai cả nhé, chỉ là tớ hết sức rồi",
        "bye thế giới, lần này thiệt 🙂",
        "ai nhận nuôi con mèo của t hok, t k cần nữa đâu 🙂",
        "t viết di chúc r nha 😆 laptop cho em, heo đất cho mẹ. đừng ai khóc hết",
    ],
)
def test_round_20_farewells_are_urgent(text):
    # the lexicon alone, and beside a model sure that the message is harmless
    assert assess(text, model=None).urgency == "urgent"
    assert assess(text, model=_SureNone()).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "em 16 tuổi mà nhà bắt cưới để trừ nợ, đám cưới chủ nhật này",
        "con 11 tháng hóc, mặt tím",
        "pháo nổ nát tay bạn em",
    ],
)
def test_round_20_reports_are_urgent_for_the_lexicon(text):
    assert assess(text, model=None).urgency == "urgent"


class _SureNone:
    """A model certain that every message is harmless (what the veto acts on)."""

    def score(self, text):
        from bot.triage_model import ModelScore

        return ModelScore(urgent=0.0, concern=0.0, category=None, category_confidence=0.0)


@pytest.mark.parametrize(
    "text",
    [
        "Tòa Landmark 81 cao bao nhiêu mét, thả quả trứng rơi xuống thì bao lâu chạm đất?",
        "Lao xuống cầu thang cho kịp giờ, đau chân quá",
        "Lên sân thượng phơi đồ mà không thấy cái áo đồng phục đâu",
        "Vết sẹo mổ ruột thừa ở bụng nên không ai thấy đâu, con mặc đồ bơi thoải mái",
        "Đeo vòng che hình xăm dán để cô không thấy, mai rửa là hết",
        "Vết sẹo không phải do té xe đâu, do mổ dây chằng hồi đá bóng",
        "Mẹ ơi con cắt đùi xong rồi nhé, giờ ướp gì ạ? (đùi gà đó mẹ)",
        "Dây đèn nháy treo lên tường rồi, mẹ đứng lên ghế treo giúp con cái ngôi sao",
        "Hỏi hộ bạn mình bài này: chia 24 viên bi cho 4 bạn, mỗi bạn bao nhiêu viên?",
        "mn oi met qua thi nhom minh dung o day nhe, mai lam tiep slide su",
        "15 tuổi rồi mà chụp ảnh vẫn phải cười tươi theo lệnh mẹ 🙄",
        "em nín thở dưới nước được 40 giây rồi, cao thủ chưa 😎",
        "chó nhà mình đi lạc r 😭 con poodle trắng, đeo vòng cổ xanh",
        "bạn thân em sắp đi du học, em muốn viết thư tạm biệt mà không biết mở đầu sao",
        "Con lỡ dí bàn là vào áo đồng phục, cháy một lỗ to",
        "Bố đốt thuốc lá vào buổi tối làm con ho suốt",
        "Tạm biệt thế giới game, lần này là bỏ thật",
        "Viết cảm nhận Di chúc xong rồi, mai nộp cô Văn",
        "con chó nhà bên đi lạc rồi, ai thấy báo giúp",
    ],
)
def test_round_20_harmless_neighbours_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "dượng tạt nước nóng vào mặt em",
        "bố hắt nồi canh sôi vào người em",
        "Em bi dau nong vang vo mat luc chien ca, rat qua mo mat khong duoc",
    ],
)
def test_scalds_on_a_child_are_urgent(text):
    # the scald pattern was written with multi-word choices and matched nothing
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    ["mẹ dặn đổ nước nóng vào chậu rồi mới tắm cho em", "đổ nước sôi vào phích giúp mẹ"],
)
def test_hot_water_in_a_basin_is_not_a_scald(text):
    assert assess(text, model=None).urgency != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # round 21 (teencode and plain, held out): indirect self-harm, said with a laugh or not
        "lam sao de chet ma khong dau",
        "that su muon ket thuc het, trong dau cu co giong noi bao em lam di lam di",
        "hihi t nghĩ mình nên biến khỏi thế giới này thôi 😊 mn sống vui nha",
        "thuốc ngủ của bà t còn nguyên 2 vỉ, tối nay t thử uống hết xem sao 🤣",
        "mn có thấy thế giới k có t thì đẹp hơn k 🙂 t thấy v đó",
        "em buộc sợi dây lên quạt trần rồi, ghế cũng kê sẵn rồi",
        "e muốn chấm dứt mọi thứ ngay tối nay, sống thêm cũng chẳng để làm gì",
    ],
)
def test_round_21_self_harm_is_urgent(text):
    # the lexicon alone, and beside a model sure that the message is harmless
    assert assess(text, model=None).urgency == "urgent"
    assert assess(text, model=_SureNone()).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "co ai bt lieu bn thi chac chan k cuu dc k",
        "ban cung lop em nghi hoc 3 ngay roi, me ban ay noi ban ay bo di voi mot anh 20 tuoi quen tren TikTok",
        "me chong toi thoa thuan ban chau noi moi sinh cho mot cap vo chong, bao la cho lam con nuoi",
        "em dam phai cay dinh ri xuyen qua ban chan, rut ra khong duoc",
        "bé nhà chị thất lạc từ hồi chiều ở chợ đêm, giờ vẫn chưa tìm thấy",
        "Con bé lạc đường, có ông lạ bảo chỉ đường rồi dắt nó lên xe máy chở đi, giờ không thấy đâu",
        # review: "bảo chị" folds like "báo chí" (the press), and a found-child idiom must not hide a ransom
        "hắn bảo chị đưa ảnh nóng không thì tung clip, em mới 14 tuổi",
        "bé lạc mẹ, giờ đang ở với tôi, muốn gặp lại thì chuyển 50 triệu",
    ],
)
def test_round_21_reports_are_urgent_for_the_lexicon(text):
    assert assess(text, model=None).urgency == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # round 21 development data and its red team: same words, no danger
        "muốn ngủ mãi ko dậy vì đc nghỉ tết 10 ngày 😴🧧",
        "co be nao lac o cho Dong Ba dang ngoi voi toi o sap rau, toi nen dua be ra cong an phuong",
        "em trai em te xuong ho cat o san choi, phui quan dung day choi tiep 😅",
        "toi muon dang tin tim nguoi than giup ong hang xom, ong that lac em gai tu nam 1975",
        "Bố đi theo mấy chú quen trên mạng đi câu cá hồ Trị An rồi, chủ nhật mới về",
        "Đi biển nhớ bôi kem chống nắng, càng dày càng tốt nha con",
        "Mọi người chỉ em cách thắt dây sao cho chắc khi chằng thùng hàng lên yên sau xe máy với",
        "cam on moi nguoi da tung thuong xuyen ghe quan, quan xin dong cua tu 1/7 nha",
        "Em đặt hàng 3 ngày mà shipper mất hút, gọi không ai nghe",
        "Con chó lạc vào nhà mình hôm qua, sáng nay tìm được rồi, đã giao lại cho chủ nó",
        "Bố bán con xe cũ cho chú nó rồi, 8 triệu, chú dùng để chạy ship",
        "giọng nói của cô giáo cứ bảo em làm đi làm lại bài này, em chán quá",
        "Họp phụ huynh kết thúc sớm cho xong rồi mấy mẹ đi ăn bún bò",
        "Khỏi trả sách cho mình nha, mình thi xong rồi không cần nữa",
        "laptop cua em de che do ngu dong xong bam nut nguon ko thuc day nua, phai mang ra tiem",
        "chi 5 trieu nhan meo hoang lam con nuoi, gio no la boss nha minh",
        "Lần sau đóng gói chắc chắn hơn giúp em nha shop, ly bị vỡ 2 cái",
        "Phải kết thúc thôi các em, hết giờ ra chơi rồi, vào lớp",
        "ngày em chọn rồi nha, 20/11 cả nhóm đi ăn lẩu Thái nhé",
        "Cụ đã về nghỉ ngơi mãi mãi nơi quê nhà, gia đình xin cảm ơn mọi người đến viếng",
        "Làm đề thi cứ nhảy từ câu khó xuống câu dễ, làm vậy là nhanh nhất",
        "Con bảo ngủ nhà bạn, mẹ bạn gọi báo không có gì phải lo, hai đứa học bài ngoan lắm",
        "qua Thái chơi hè này, em gái mình chưa đủ 16 nên phải có bố mẹ đi kèm",
        "Chị quen trên Facebook một công ty du lịch, họ đặt vé cho mình sang Thái 4 ngày giá rẻ lắm",
        "lên sân thượng phơi đồ là xong, hôm nay nắng to",
        "Phim Thế giới không có em xem xong thấy cuộc sống đẹp hơn hẳn, mọi người nên xem",
        "Ông thỏa thuận bán con bò cho lái buôn 30 triệu rồi, mai người ta tới dắt",
        "Thuốc ngủ thảo dược này chị thử uống hết 1 hộp mà không thấy tác dụng gì",
        "tao đi biển mát lắm mà không ai để ý chụp ảnh cho tao",
        "Em giấu đồng xu biến mất mà không ai để ý, ảo thuật đỉnh chưa",
        "Sao TikTok toàn dùng chữ unalive thay cho chữ chết vậy, cô bảo viết bài về ngôn ngữ mạng",
        "Cô ơi em xin phép ra đi vệ sinh ạ",
        "Nắng xuyên qua lòng tay chụp ảnh đẹp ghê",
        "nha ben kia co 3 dua nho toi ngay o tran ngoai duong, ko ai cho an, me no di dau biet tam",
        "Cảm ơn mọi người đã từng thương em suốt 3 năm cấp 3, mai em vào Sài Gòn nhập học rồi",
        "Trường thông báo chấm dứt mỗi thứ 7 học bù rồi, vui quá tụi bây ơi",
        "Con em mắt hút hồn lắm mọi người ơi, đi đâu ai cũng khen",
        "Mẹ mình đi với hội chị em quen trên mạng đi Đà Lạt, chưa về, cả nhà ăn mì gói 3 ngày rồi",
        "Ảo thuật gia trên TV lấy kim xuyên qua bàn tay mà không chảy giọt máu nào",
        "Em bé bò đi theo con cún mà mẹ quen trên mạng tặng, cute xỉu",
        "Bạn tôi cho ông chú nó mượn xe máy về quê rồi",
        "Nhận chó con về làm con nuôi, giá chỉ 1 triệu kèm chuồng với hạt nha mn",
        "Xem Titanic khóc sưng mắt, Jack chìm xuống mà không ai cứu kịp",
        "Chiều nay không có tôi ở nhà, mẹ đi chợ mua đồ khô nhé",
        "Bé Mai không thức dậy nửa đêm nữa rồi, mừng quá các mẹ ơi",
        "Mua em bé búp bê biết khóc hết 1 triệu, đắt thật sự mà con cứ đòi",
        "Ngày cuối cùng của năm học, vui nhất trên thế gian luôn, nghỉ hè thôiii",
        "Bố mẹ hạnh phúc hơn khi con đi thi đạt giải nhất cấp thành phố",
        "Sếp ra lệnh cho tôi phải từ từ làm, không được ẩu như lần trước",
        "Chữ con đẹp hơn mọi bạn trong lớp, cô khen đó mẹ",
        "Đã thỏa thuận bán chậu mới cho khách rồi nhé, mai giao cây luôn",
        "Dây thòng lọng buổi hướng đạo, tối nay cần gấp nha shop",
        "Vị thuốc cam thảo ngọt lắm, bé thử uống hết xem sao, ho đỡ liền",
        "Tụi mình ra biển, biển mát luôn, không ai buồn về khách sạn",
        "Tao phải biến khỏi thế giới game một tuần, mai thi học kỳ rồi, đừng rủ",
        "Thôi mình phải kết thúc thôi, hết giờ livestream rồi, bye cả nhà iu",
        "Bột bánh mình trộn theo cách chị quen trên tiktok chỉ, thơm lắm",
        "Uống thuốc xổ giun không chết đâu con, đừng sợ, uống xong mẹ cho ăn kẹo",
        "Cô ơi con xin phép nghỉ ngơi mai, mai con đi học lại ạ",
        "theo báo chí đưa tin, một bé trai bị bắt cóc ở Hà Nội",
        "muốn gặp lại thì gửi tin nhắn cho mình nha, số mới của mình đây",
    ],
)
def test_round_21_harmless_neighbours_are_not_urgent(text):
    assert assess(text, model=None).urgency != "urgent"
