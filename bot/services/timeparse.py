"""Read times of day, dates, timezones, weekdays and pause lengths as members and leaders type them."""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from datetime import date, time, timedelta

from bot.errors import UserFacingError
from bot.services.messages import DEFAULT_LANGUAGE, message, refusal

# Discord refuses an autocomplete answer with more than 25 choices.
MAX_AUTOCOMPLETE_CHOICES = 25
MIN_PAUSE_DAYS = 1
MAX_PAUSE_DAYS = 90
# Long enough to recognise what was typed, short enough to keep the reply to one line.
MAX_ECHO_CHARS = 30

UTC_NAME = "UTC"
# Present in `available_timezones()` on some systems but meaningless for a member: "localtime" is the
# host's own zone, "Factory" is a placeholder whose abbreviation is "-00".
_NOT_MEMBER_ZONES = frozenset({"localtime", "factory", "posixrules"})
# Used only when tzdata's zone.tab cannot be read: the IANA continents and oceans.
_CANONICAL_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)

ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
_DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SPANISH_DAY_NAMES = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
_SPANISH_DAY_ABBREVIATIONS = ("lun", "mar", "mie", "jue", "vie", "sab", "dom")
_DAY_SPELLINGS: dict[str, int] = {
    **{name: index for index, name in enumerate(_DAY_FULL_NAMES)},
    **{name + "s": index for index, name in enumerate(_DAY_FULL_NAMES)},
    **{name.lower(): index for index, name in enumerate(_DAY_ABBREVIATIONS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
    # Spanish, read without accents ("miércoles" and "miercoles" alike), full, plural or short.
    **{name: index for index, name in enumerate(_SPANISH_DAY_NAMES)},
    **{name + "s": index for index, name in enumerate(_SPANISH_DAY_NAMES) if not name.endswith("s")},
    **{name: index for index, name in enumerate(_SPANISH_DAY_ABBREVIATIONS)},
    "mier": 2,
    "juev": 3,
    "vier": 4,
}
_DAY_GROUPS: dict[str, frozenset[int]] = {
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "all": ALL_DAYS,
    "weekdays": WEEKDAYS,
    "weekday": WEEKDAYS,
    "weekends": WEEKEND,
    "weekend": WEEKEND,
    "diario": ALL_DAYS,
    "diariamente": ALL_DAYS,
    "todos": ALL_DAYS,
    "laborables": WEEKDAYS,
    "finde": WEEKEND,
    "findes": WEEKEND,
}


class TimeParseError(UserFacingError, ValueError):
    """A time of day we could not read; the message is shown to the member as it is."""


class TimezoneError(UserFacingError, ValueError):
    """A timezone name that is not in the IANA database; the message is shown as it is."""


class WeekdaysError(UserFacingError, ValueError):
    """Days of the week we could not read, or none at all; the message is shown as it is."""


class DateParseError(UserFacingError, ValueError):
    """A date we could not read, or one that cannot be used (in the future for a day count)."""


class PauseError(UserFacingError, ValueError):
    """A break length outside the allowed range; the message is shown as it is."""


def _echo(text: str) -> str:
    """What the person typed, on one line and short enough to quote back in a reply."""
    one_line = " ".join(text.split())
    if len(one_line) <= MAX_ECHO_CHARS:
        return one_line
    return one_line[: MAX_ECHO_CHARS - 1] + "…"


# --- times of day -------------------------------------------------------------------------------

# "a.m." and "p.m." lose their dots first so that the dot can also separate hours from minutes.
_MERIDIEM_WITH_DOTS = re.compile(r"(?<![a-z])([ap])\.\s*m\.?(?=\s|$)")
_CLOCK_TIME = re.compile(
    r"""
    (?P<hour>[0-9]{1,2})
    (?: (?:[:.h](?P<minute>[0-9]{2})) | (?P<hour_mark>h) )?
    \s*(?P<meridiem>am|pm)?
    """,
    re.VERBOSE | re.ASCII,
)
_COMPACT_TIME = re.compile(r"(?P<hour>[0-9]{1,2})(?P<minute>[0-9]{2})\s*(?P<meridiem>am|pm)?", re.ASCII)
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


def parse_time_of_day(text: str) -> time:
    """Read a time of day as people type it, on a 24-hour or 12-hour clock.

    Accepted, in any case and with spaces around: "21:00", "9:00", "09:30", "21.30", "21h30", "21h",
    "9pm", "9 pm", "9:30 am", "9.30pm", "9 p.m.", "12am" (midnight), "12pm" (noon), "noon", "midday",
    "midnight", and the compact 24-hour form "2130" / "0930" / "930" (also "930pm").
    Refused: a bare hour such as "9", because it could mean 9am or 9pm; "24:00", since the same moment
    is "00:00"; seconds; an hour of 0 or above 12 with am/pm ("0am", "13pm"); minutes above 59.
    """
    normalized = unicodedata.normalize("NFKC", text).strip().lower()
    normalized = _MERIDIEM_WITH_DOTS.sub(r"\1m", normalized)
    named = _NAMED_TIMES.get(normalized)
    if named is not None:
        return named
    match = _CLOCK_TIME.fullmatch(normalized) or _COMPACT_TIME.fullmatch(normalized)
    if match is None:
        raise _time_error(text)
    groups = match.groupdict()
    hour = int(groups["hour"])
    minute_text = groups["minute"]
    meridiem = groups["meridiem"]
    if minute_text is None and meridiem is None and groups.get("hour_mark") is None:
        raise _time_error(text)
    minute = int(minute_text) if minute_text is not None else 0
    if minute > 59:
        raise _time_error(text)
    if meridiem is None:
        if hour > 23:
            raise _time_error(text)
        return time(hour, minute)
    if not 1 <= hour <= 12:
        raise _time_error(text)
    # On a 12-hour clock, 12 starts the half-day: 12am is midnight and 12pm is noon.
    hour %= 12
    if meridiem == "pm":
        hour += 12
    return time(hour, minute)


def _time_error(text: str) -> TimeParseError:
    error = refusal("schedule", "bad_time", TimeParseError, typed=_echo(text))
    assert isinstance(error, TimeParseError)
    return error


def format_time_of_day(value: time) -> str:
    """A time of day the way Lantern shows it back: 24-hour, "21:00"."""
    return value.strftime("%H:%M")


# --- timezones ----------------------------------------------------------------------------------


@functools.cache
def _zones_by_lowercase_name() -> dict[str, str]:
    """Every IANA name a member may use, keyed by its lowercase spelling."""
    names = {name.lower(): name for name in zoneinfo.available_timezones()}
    for unusable in _NOT_MEMBER_ZONES:
        names.pop(unusable, None)
    names[UTC_NAME.lower()] = UTC_NAME
    return names


def _normalize_zone_text(text: str) -> str:
    """Lowercase, with spaces read as the underscores IANA names use ("new york" -> "new_york")."""
    parts = unicodedata.normalize("NFKC", text).strip().lower().split("/")
    return "/".join("_".join(part.split()) for part in parts)


def parse_timezone(text: str) -> str:
    """The canonical spelling of an IANA timezone name typed in any case ("europe/london" -> "Europe/London").

    Any name in the IANA database is accepted, including legacy aliases such as "US/Eastern" that the
    autocomplete does not offer, since they still name a real zone; spaces may stand for underscores.
    """
    canonical = _zones_by_lowercase_name().get(_normalize_zone_text(text))
    if canonical is None:
        raise TimezoneError(
            f'I don\'t know the timezone "{_echo(text)}". Start typing a city, like Europe/London or '
            "America/Chicago, and pick from the list."
        )
    return canonical


@functools.cache
def _choice_names() -> tuple[str, ...]:
    """The zones offered in autocomplete: UTC, then the zone.tab cities in alphabetical order.

    zone.tab lists at least one Area/City zone per country and leaves out legacy aliases ("US/Eastern",
    "Asia/Calcutta", "Europe/Kiev"), so each place appears once under its current name.
    """
    known = set(_zones_by_lowercase_name().values())
    try:
        table = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
        listed = {line.split("\t")[2] for line in table.splitlines() if line.strip() and not line.startswith("#")}
    except (ModuleNotFoundError, OSError, IndexError):
        listed = {name for name in known if name.split("/", 1)[0] in _CANONICAL_AREAS}
    return (UTC_NAME, *sorted((listed & known) - {UTC_NAME}))


@functools.cache
def _choice_index() -> tuple[tuple[str, str, str], ...]:
    """(name, lowercase name, lowercase city part) for each choice, so a keystroke costs one scan."""
    return tuple((name, name.lower(), name.rsplit("/", 1)[-1].lower()) for name in _choice_names())


def timezone_choices(partial: str, limit: int = MAX_AUTOCOMPLETE_CHOICES) -> list[str]:
    """Timezone names for autocomplete whose name contains what was typed so far, best matches first.

    Order: the city part starts with the text ("lon" -> Europe/London), then the whole name does
    ("europe/l"), then the text appears anywhere. Within each, shorter city names come first, since the
    text typed so far is closer to them ("lon" offers London before Longyearbyen), then alphabetical.
    Spaces match underscores.
    Only canonical Area/City names and UTC are offered; `limit` is capped at Discord's 25.
    """
    limit = min(limit, MAX_AUTOCOMPLETE_CHOICES)
    if limit <= 0:
        return []
    needle = _normalize_zone_text(partial)
    if not needle:
        return list(_choice_names()[:limit])
    ranked: list[tuple[int, int, str]] = []
    for name, lowered, city in _choice_index():
        if city.startswith(needle):
            tier = 0
        elif lowered.startswith(needle):
            tier = 1
        elif needle in lowered:
            tier = 2
        else:
            continue
        ranked.append((tier, len(city), name))
    ranked.sort()
    return [name for _, _, name in ranked[:limit]]


# --- days of the week ---------------------------------------------------------------------------

_EVERY_DAY_PHRASE = re.compile(r"\bevery\s+day\b")
# Spanish phrases for the groups, read before "a" can be taken for a range ("a diario", "de lunes a viernes").
_SPANISH_PHRASES = (
    (re.compile(r"\b(?:todos\s+los\s+dias|cada\s+dia|a\s+diario)\b"), "daily"),
    (re.compile(r"\b(?:entre\s+semana|(?:los\s+)?dias\s+(?:laborables|de\s+semana|habiles))\b"), "weekdays"),
    (re.compile(r"\b(?:los\s+)?fin(?:es)?\s+de\s+semana\b"), "weekends"),
)
# "mon to fri", "mon - fri", "mon–fri" and "lun a vie" all become "mon-fri" before the text is split into words.
_RANGE_JOINER = re.compile(r"\s*(?:[-‐‑‒–—]|\b(?:to|through|thru|until|a|al|hasta)\b)\s*")
_DAY_SEPARATORS = re.compile(r"(?:[\s,;/&+.]|\b(?:and|y|e|de|del|el|los)\b)+")


def _without_accents(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))


def parse_weekdays(text: str) -> frozenset[int]:
    """Days of the week (0 = Monday .. 6 = Sunday) from what a leader types, in any case.

    Understood: "daily", "every day", "weekdays", "weekends", full or short day names ("monday", "mon",
    "tues", "thurs", plurals like "mondays") separated by commas, spaces, "and", and ranges such as
    "monday-friday", "tue-thu" or "mon to fri". A range that runs past Sunday wraps: "fri-mon" is
    Friday, Saturday, Sunday and Monday. Pieces combine: "weekends, wed".
    In Spanish too, with or without accents: "a diario", "diario", "todos los días", "entre semana",
    "fines de semana", "lunes", "mié", "lun,mié,vie", "de lunes a viernes", "lun-vie", "sábados y domingos".
    """
    normalized = _without_accents(unicodedata.normalize("NFKC", text).strip().lower())
    normalized = _EVERY_DAY_PHRASE.sub("daily", normalized)
    for phrase, group in _SPANISH_PHRASES:
        normalized = phrase.sub(group, normalized)
    normalized = _RANGE_JOINER.sub("-", normalized)
    days: set[int] = set()
    for word in _DAY_SEPARATORS.split(normalized):
        if word:
            days |= _days_in_word(word)
    if not days:
        raise refusal("schedule", "pick_a_day", WeekdaysError)
    return frozenset(days)


def _days_in_word(word: str) -> frozenset[int]:
    group = _DAY_GROUPS.get(word)
    if group is not None:
        return group
    if "-" not in word:
        return frozenset({_day_number(word)})
    first_text, _, last_text = word.partition("-")
    if not first_text or not last_text:
        raise _unknown_day(word)
    first, last = _day_number(first_text), _day_number(last_text)
    span = (last - first) % 7
    return frozenset((first + step) % 7 for step in range(span + 1))


def _day_number(word: str) -> int:
    number = _DAY_SPELLINGS.get(word)
    if number is None:
        raise _unknown_day(word)
    return number


def _unknown_day(word: str) -> WeekdaysError:
    error = refusal("schedule", "unknown_day", WeekdaysError, typed=_echo(word))
    assert isinstance(error, WeekdaysError)
    return error


def day_names(language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Short day names, Monday first, in `language`."""
    return message("schedule", language, "day_names").split(",")


def format_weekdays(days: Iterable[int], language: str = DEFAULT_LANGUAGE) -> str:
    """Days of the week as Lantern shows them: "every day", "weekdays", "weekends" or "Mon, Wed, Fri"."""
    chosen = frozenset(days)
    if not chosen <= ALL_DAYS:
        raise ValueError(f"weekday numbers run from 0 (Monday) to 6 (Sunday), got {sorted(chosen)}")
    if chosen == ALL_DAYS:
        return message("schedule", language, "every_day")
    if chosen == WEEKDAYS:
        return message("schedule", language, "weekdays")
    if chosen == WEEKEND:
        return message("schedule", language, "weekends")
    if not chosen:
        return message("schedule", language, "no_days")
    names = day_names(language)
    return ", ".join(names[day] for day in sorted(chosen))


# --- pauses -------------------------------------------------------------------------------------


def parse_pause_days(value: int) -> int:
    """A break length in days, from 1 to 90."""
    if not MIN_PAUSE_DAYS <= value <= MAX_PAUSE_DAYS:
        raise refusal("settings", "pause_range", PauseError, low=MIN_PAUSE_DAYS, high=MAX_PAUSE_DAYS)
    return value


# --- dates --------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    start=1,
):
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9
# Spanish month names (read without accents), and the short forms not already English ones.
for _number, _name in enumerate(
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre"),
    start=1,
):
    _MONTHS[_name] = _number
_MONTHS.update({"diciembre": 12, "setiembre": 9, "set": 9, "ene": 1, "abr": 4, "ago": 8, "dic": 12})
_ISO_DATE = re.compile(r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})", re.ASCII)
_DAY_MONTH = re.compile(
    r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[a-z]+)\.?(?:,?\s+(?P<y>[0-9]{4}))?", re.ASCII
)
_MONTH_DAY = re.compile(r"(?P<mon>[a-z]+)\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>[0-9]{4}))?", re.ASCII)
_AGO = re.compile(r"(?P<n>[0-9]{1,4})\s+(?P<unit>day|week|month|year)s?\s+ago", re.ASCII)
_AGO_DAYS = {"day": 1, "week": 7}
# Spanish, once accents are set aside: "1 de marzo de 2024", "14 de febrero", "el 1º de marzo del 2024",
# "hace 3 días", "hace una semana".
_SPANISH_DAY_MONTH = re.compile(
    r"(?:el\s+)?(?P<d>[0-9]{1,2})o?\s+(?:de\s+)?(?P<mon>[a-z]+)\.?(?:,?\s+(?:del?\s+)?(?P<y>[0-9]{4}))?", re.ASCII
)
_SPANISH_AGO = re.compile(r"hace\s+(?P<n>[0-9]{1,4}|una?)\s+(?P<unit>dias?|semanas?|mes|meses|anos?)", re.ASCII)
_SPANISH_UNITS = {
    **{unit: "day" for unit in ("dia", "dias")},
    **{unit: "week" for unit in ("semana", "semanas")},
    **{unit: "month" for unit in ("mes", "meses")},
    **{unit: "year" for unit in ("ano", "anos")},
}
_SPANISH_DAYS = {"hoy": 0, "ahora": 0, "ayer": -1, "anteayer": -2, "antier": -2, "manana": 1, "pasado manana": 2}
EARLIEST_YEAR = 1900
MAX_DATE_CHARS = 40


def _date_error(text: str) -> DateParseError:
    return _date_refusal("date_unreadable", typed=_echo(str(text)))


def _date_refusal(key: str, **values: object) -> DateParseError:
    error = refusal("dates", key, DateParseError, **values)
    assert isinstance(error, DateParseError)
    return error


def _months_back(today: date, months: int) -> date:
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    raise ValueError("no such month")


def parse_date(text: str, today: date, *, future: bool = False) -> date:
    """A calendar date as people type it: "today", "yesterday", "2024-03-01", "1 March 2024",
    "March 1, 2024", "3 days ago"; in Spanish "hoy", "ayer", "mañana", "hace 3 días", "14 de febrero",
    "1 de marzo de 2024". Without a year, the nearest such date not after `today` (or, with
    `future`, not before it). Numbers only with the year first: 3/1/2024 means different days to different
    people, so it is refused with an example."""
    cleaned = " ".join(unicodedata.normalize("NFKC", text).lower().split()) if isinstance(text, str) else ""
    if not cleaned or len(cleaned) > MAX_DATE_CHARS:
        raise _date_error(str(text))
    cleaned = _without_accents(cleaned)
    if cleaned in ("today", "now"):
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    if cleaned in _SPANISH_DAYS:
        return today + timedelta(days=_SPANISH_DAYS[cleaned])
    try:
        if (match := _AGO.fullmatch(cleaned)) or (match := _SPANISH_AGO.fullmatch(cleaned)):
            n = 1 if match["n"] in ("un", "una") else int(match["n"])
            unit = _SPANISH_UNITS.get(match["unit"], match["unit"])
            if unit in _AGO_DAYS:
                return today - timedelta(days=n * _AGO_DAYS[unit])
            return _months_back(today, n * (12 if unit == "year" else 1))
        if match := _ISO_DATE.fullmatch(cleaned):
            found = date(int(match["y"]), int(match["m"]), int(match["d"]))
        elif (
            match := _DAY_MONTH.fullmatch(cleaned)
            or _MONTH_DAY.fullmatch(cleaned)
            or _SPANISH_DAY_MONTH.fullmatch(cleaned)
        ) and match["mon"] in _MONTHS:
            month, day = _MONTHS[match["mon"]], int(match["d"])
            found = date(int(match["y"]), month, day) if match["y"] else _nearest(month, day, today, future)
        else:
            raise _date_error(text)
    except (ValueError, OverflowError) as error:
        if isinstance(error, DateParseError):
            raise
        raise _date_refusal("date_impossible", typed=_echo(text)) from None
    if found.year < EARLIEST_YEAR:
        raise _date_refusal("date_too_early", year=EARLIEST_YEAR)
    return found


def _nearest(month: int, day: int, today: date, future: bool) -> date:
    # 29 February without a year: the nearest leap year's.
    for offset in range(0, 9):
        year = today.year + offset if future else today.year - offset
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if (candidate >= today) if future else (candidate <= today):
            return candidate
    raise ValueError("no such day")
