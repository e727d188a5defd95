"""Figures on the pages: the reader's locale, through the helpers the emails use."""

from datetime import UTC, datetime

from services.portal.rendering import Formatter


def test_money_numbers_and_moments_follow_the_locale():
    nl = Formatter("nl", "Europe/Copenhagen")
    en = Formatter("en", "Europe/Copenhagen")
    balance = {"amount_minor": 123456, "currency": "EUR"}
    assert (nl.money(balance), en.money(balance)) == ("€ 1.234,56", "€1,234.56")
    assert nl.money(None) is None
    assert (nl.number(50000), en.number(50000), en.number(7)) == ("50.000", "50,000", "7")
    at = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
    assert nl.moment(at) == "maandag 6 april 2026, 10:00"
    assert en.moment(at.isoformat()) == "Monday, 6 April 2026, 10:00"
