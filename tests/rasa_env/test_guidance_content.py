"""Guidance content (data/guidance/) is complete, sourced and follows the safeguarding rules."""

import re

import pytest

from actions.guidance_library import AUDIENCES, MAX_MESSAGE_CHARS, TOPICS, load_library

EMERGENCY_NUMBERS = {"111", "113", "114", "115"}


@pytest.fixture(scope="module")
def library():
    return load_library()


def all_text(article):
    return "\n".join([article.title, *article.messages, *(b.title for b in article.buttons)])


def test_every_topic_has_a_child_and_a_parent_entry(library):
    for topic in TOPICS:
        for audience in AUDIENCES:
            article = library.entry(topic, audience)
            assert article.messages and article.sources


def test_messages_fit_a_chat_screen(library):
    for article in library.articles.values():
        assert 1 <= len(article.messages) <= 3, article.id
        assert all(len(m) <= MAX_MESSAGE_CHARS for m in article.messages), article.id
        assert all(len(b.title) <= 30 for b in article.buttons), article.id
        payload = f'/show_article{{"article_id":"{article.id}"}}'
        assert len(payload.encode()) <= 64, article.id  # fits Telegram callback_data


def test_every_article_cites_sources_with_a_url(library):
    for article in library.articles.values():
        assert article.sources, article.id
        for source in article.sources:
            assert source.url.startswith("https://") or source.url.startswith("http://"), source


def test_only_the_real_emergency_numbers_appear(library):
    for article in library.articles.values():
        for number in re.findall(r"(?<!\d)11\d(?!\d)", all_text(article)):
            assert number in EMERGENCY_NUMBERS, (article.id, number)


def test_hotline_111_is_offered_to_children_in_risk_topics(library):
    for topic in ("abuse_prevention", "online_safety", "bullying", "mental_health"):
        articles = [
            a for a in library.articles.values() if a.topic == topic and a.audience == "child"
        ]
        assert any("111" in all_text(a) for a in articles), topic


@pytest.mark.parametrize(
    "forbidden",
    [
        # never ask a child for images (warning about strangers who ask is fine)
        r"(hãy|bạn có thể|vui lòng|em hãy) gửi (ảnh|hình)",
        r"gửi (cho mình|cho chúng tôi|cho trợ lý|vào đây) (ảnh|hình)",
        r"chụp ảnh (vết thương|cơ thể)",
        r"giữ bí mật tuyệt đối",  # never promise secrecy
        r"tuyệt đối bí mật",
        r"không ai biết đâu",
    ],
)
def test_no_article_asks_for_images_or_promises_secrecy(library, forbidden):
    for article in library.articles.values():
        if article.audience == "child":
            assert not re.search(forbidden, all_text(article), re.IGNORECASE), article.id


def test_menu_greetings_say_it_is_a_bot(library):
    for key in ("greeting_child", "greeting_parent", "greeting_unknown"):
        assert "tự động" in library.menu[key]
        assert "111" in library.menu[key]


def test_broken_content_is_refused(tmp_path):
    from actions.guidance_library import GuidanceError, default_directory

    for path in default_directory().glob("*.yml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "drowning.yml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("audience: parent", "audience: teacher", 1),
        encoding="utf-8",
    )
    with pytest.raises(GuidanceError, match="audience"):
        load_library(tmp_path)
