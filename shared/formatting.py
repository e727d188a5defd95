"""Money, numbers and dates as the reader's locale writes them (Babel).

Shared by the notifier's emails and the portal's pages, so both write `€ 1.234,56` alike.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, get_currency_precision, get_group_symbol

DEFAULT_LOCALE = "en"
# Parsed once: Babel parses a locale name on every call otherwise, half the cost of a format.
BABEL_LOCALES = {"nl": Locale.parse("nl_NL"), "en": Locale.parse("en_GB")}
# A probe amount whose digits are all told apart: 1,234,567 and the fraction .891...
_PROBE_UNITS = 1234567


def babel_locale(locale: str | None) -> Locale:
    """The Babel locale of one of our locales; English when we do not know it."""
    return BABEL_LOCALES.get(locale or DEFAULT_LOCALE, BABEL_LOCALES[DEFAULT_LOCALE])


def format_money(amount_minor: int, currency: str, locale: str | None) -> str:
    """`€ 1.234,56` in nl, `€1,234.56` in en, from an amount in minor units."""
    return _money_writer(currency, locale or DEFAULT_LOCALE)(amount_minor)


def babel_money(amount_minor: int, currency: str, locale: str | None) -> str:
    """The same through Babel on every call (slow; the reference `format_money` matches)."""
    amount = Decimal(amount_minor).scaleb(-get_currency_precision(currency))
    # CLDR puts a no-break space after the Dutch euro sign; PRODUCT writes a plain one.
    return format_currency(amount, currency, locale=babel_locale(locale)).replace("\xa0", " ")


@lru_cache(maxsize=256)
def _money_writer(currency: str, locale: str) -> Callable[[int], str]:
    """A formatter for one (currency, locale), laid out once by Babel on probe amounts.

    Babel's pattern machinery costs ~20 us a call; a digest has a handful of amounts and a
    Monday tens of thousands of digests. Our locales group by threes (checked by the tests
    against Babel itself).
    """
    digits = get_currency_precision(currency)
    fraction = "891234"[:digits]
    probe = _PROBE_UNITS * 10 ** digits + (int(fraction) if digits else 0)
    shapes = {}
    for sign in (1, -1):
        # text = head "1" group "234" group "567" decimal fraction tail
        text = babel_money(sign * probe, currency, locale)
        head, _, rest = text.partition("1")
        group, _, rest = rest.partition("234")
        rest = rest.partition("567")[2]
        decimal, _, tail = rest.partition(fraction) if digits else ("", "", rest)
        shapes[sign] = (head, tail)
    return lambda minor: _write(minor, digits, group, decimal, shapes)


def _write(minor: int, digits: int, group: str, decimal: str, shapes: dict) -> str:
    head, tail = shapes[1 if minor >= 0 else -1]
    units, cents = divmod(abs(minor), 10 ** digits)
    grouped = f"{units:,}".replace(",", group)
    number = f"{grouped}{decimal}{cents:0{digits}d}" if digits else grouped
    return f"{head}{number}{tail}"


def format_day(at: datetime, *, tz: str, locale: str | None) -> str:
    """The local calendar day of `at`, written out (`maandag 30 maart 2026`)."""
    return _day(at.astimezone(ZoneInfo(tz)).date(), locale or DEFAULT_LOCALE)


@lru_cache(maxsize=64)
def _day(day: date, locale: str) -> str:
    return format_date(day, format="full", locale=babel_locale(locale))


def format_number(value: int, locale: str | None) -> str:
    """A whole number grouped by thousands: `1.234` in nl, `1,234` in en."""
    return f"{value:,}".replace(",", _group_symbol(locale or DEFAULT_LOCALE))


@lru_cache(maxsize=16)
def _group_symbol(locale: str) -> str:
    # A page shows a hundred counts; Babel's format_decimal costs ~20 us each.
    return get_group_symbol(babel_locale(locale))


def format_moment(at: datetime, *, tz: str, locale: str | None) -> str:
    """Day and time of `at` in `tz`: `maandag 6 april 2026, 10:00`, `Monday, 6 April 2026, 10:00`."""
    local, where = at.astimezone(ZoneInfo(tz)), babel_locale(locale)
    return f"{format_date(local, format='full', locale=where)}, " \
           f"{format_time(local, format='short', locale=where)}"
