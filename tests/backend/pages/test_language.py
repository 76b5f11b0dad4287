"""Tests for backend.pages.language: which articles and headlines are refused."""

import pytest

from backend.errors import UnsupportedLanguage
from backend.pages.language import (
    article_language,
    check_article,
    detect,
    headline_language,
    language_name,
)


@pytest.mark.parametrize(
    ("headline", "code"),
    [
        pytest.param("Открытие новой станции метро перенесли на весну", "ru", id="ru"),
        pytest.param("시립도서관, 다음 달부터 밤 11시까지 문 연다", "ko", id="ko"),
        pytest.param("大雪で在来線が終日運休　高速バスも運行見合わせ", "ja", id="ja"),
        pytest.param(
            "Tarifa da balsa entre Santos e Guarujá sobe a partir de janeiro",
            "pt",
            id="pt",
        ),
        pytest.param(
            "Stadtrat stimmt für Radweg an der Uferstraße, Parkplätze fallen weg",
            "de",
            id="de",
        ),
    ],
)
def test_a_headline_surely_in_another_language_is_refused(headline, code):
    found = headline_language(headline)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    "headline",
    [
        # The detector's first guess for each is another language (Welsh,
        # Nigerian Pidgin, Polish, Latin, German), from the shared English sets.
        "Watch A Weatherman Flawlessly Pronounce "
        "llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
        "Nigerian gunmen kidnap three-year-old British girl",
        "Polish writer Tomasz Pacyński dies",
        "First quantum byte created",
        "Kimi Räikkönen wins 2007 Belgian Grand Prix",
        "Grand Ayatollah Hossein Ali Montazeri dies",
        "Berlin",
        "Obama",
        "BREAKING: Merkel",
        "Père Lachaise",
        "17 Things You Need",
        "<img src=x onerror=alert(1)> Shocking",
        "???",
        "2024",
    ],
)
def test_an_english_headline_is_never_refused(headline):
    assert headline_language(headline) is None


@pytest.mark.parametrize("headline", ["Ponte chiuso", "Ponte chiuso per lavori"])
def test_a_short_ambiguous_headline_is_let_through(headline):
    # Too little to be sure, so the scorer says what it can.
    assert headline_language(headline) is None


def test_a_long_text_is_judged_by_the_detector():
    body = (
        "Il ponte che collega i due quartieri della città resterà chiuso al traffico "
        "fino alla fine di febbraio, ha comunicato martedì il Comune dopo le verifiche."
    )
    found = article_language("Ponte chiuso", body)
    assert (found.code, found.name) == ("it", "Italian")


def test_an_english_article_with_a_foreign_quote_passes():
    body = (
        "The mayor opened the new bridge on Tuesday. Visitors from the twin town "
        "held a banner that read 'Willkommen in der Partnerstadt', and the band "
        "played for an hour while the council handed out leaflets about the new "
        "bus routes that will cross the bridge from next month."
    )
    assert article_language("Mayor opens new bridge", body) is None


def test_the_declared_language_only_confirms_what_the_text_suggests():
    # Short text: the declared language settles it when the detector agrees ...
    assert article_language("Ponte chiuso per lavori", "", "it-IT").code == "it"
    # ... and never turns English into another language.
    assert article_language("Bridge closed for repairs", "", "it") is None


def test_a_wrong_declared_language_does_not_refuse_an_english_article():
    body = " ".join(["The council approved the tram depot on Tuesday night."] * 5)
    assert article_language("Tram depot approved", body, "fr") is None


def test_check_article_raises_the_contract_error():
    with pytest.raises(UnsupportedLanguage) as info:
        check_article("Открытие новой станции метро перенесли на весну", "")
    assert info.value.status == 422
    assert info.value.to_dict() == {
        "error": {
            "code": "unsupported_language",
            "message": "This page is in Russian; the scorer reads English only.",
            "language": "ru",
            "language_name": "Russian",
        }
    }


@pytest.mark.parametrize(
    ("code", "name"), [("ru", "Russian"), ("ko", "Korean"), ("zxx", "zxx")]
)
def test_language_name(code, name):
    assert language_name(code) == name


def test_detect_reads_a_bounded_prefix():
    text = "Das ist ein deutscher Satz über den Radweg. " * 2000
    assert detect(text).code == "de"
