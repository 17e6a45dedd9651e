"""ContentCipher: key handling, rotation, and round-tripping arbitrary content."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.storage import HALT_KEYS, CheckinContent, ContentCipher, DecryptionError, generate_key, parse_keys

SAMPLE = CheckinContent(mood=4, cravings=1, halt=frozenset({"hungry"}), note="secret note")


@pytest.mark.parametrize(
    "bad_key",
    ["not-a-key-at-all", "c2hvcnQ=", "x" * 44, "!" * 44, generate_key()[:-2]],
)
def test_invalid_key_is_rejected_without_echoing_it(bad_key: str) -> None:
    with pytest.raises(ValueError, match="not a valid key") as info:
        ContentCipher([bad_key])
    assert bad_key not in str(info.value)
    assert bad_key not in repr(info.value)
    # The original exception is suppressed so tracebacks stay clean too.
    assert info.value.__suppress_context__


def test_invalid_second_key_is_named_by_position() -> None:
    with pytest.raises(ValueError, match="key #2"):
        ContentCipher([generate_key(), "nope"])


def test_no_keys_is_rejected() -> None:
    with pytest.raises(ValueError, match="no encryption key"):
        ContentCipher([])
    with pytest.raises(ValueError, match="no encryption key"):
        ContentCipher(" , ")


def test_comma_separated_setting_is_accepted() -> None:
    a, b = generate_key(), generate_key()
    assert parse_keys(f" {b} , {a} ") == [b, a]
    token = ContentCipher([a]).encrypt(SAMPLE)
    assert ContentCipher(f"{b},{a}").decrypt(token) == SAMPLE


def test_repr_hides_keys() -> None:
    key = generate_key()
    assert key not in repr(ContentCipher([key]))


def test_token_does_not_contain_plaintext() -> None:
    token = ContentCipher([generate_key()]).encrypt(SAMPLE)
    assert b"secret note" not in token
    assert b"mood" not in token


def test_rotation_and_is_current() -> None:
    old, new = generate_key(), generate_key()
    token = ContentCipher([old]).encrypt(SAMPLE)
    both = ContentCipher([new, old])
    assert not both.is_current(token)
    assert both.decrypt(token) == SAMPLE
    rotated = both.rotate(token)
    assert both.is_current(rotated)
    assert ContentCipher([new]).decrypt(rotated) == SAMPLE
    with pytest.raises(DecryptionError):
        ContentCipher([new]).decrypt(token)


def test_tampered_token_is_rejected() -> None:
    cipher = ContentCipher([generate_key()])
    token = bytearray(cipher.encrypt(SAMPLE))
    token[20] ^= 1
    with pytest.raises(DecryptionError):
        cipher.decrypt(bytes(token))


def test_generated_keys_are_distinct_and_valid() -> None:
    keys = {generate_key() for _ in range(10)}
    assert len(keys) == 10
    ContentCipher(sorted(keys))


contents = st.builds(
    CheckinContent,
    mood=st.integers(min_value=1, max_value=5),
    cravings=st.integers(min_value=0, max_value=4),
    halt=st.frozensets(st.sampled_from(HALT_KEYS)),
    note=st.text(max_size=1000),
    answers=st.dictionaries(st.text(max_size=100), st.text(max_size=500), max_size=3),
)

_CIPHER = ContentCipher([generate_key(), generate_key()])


@given(contents)
def test_any_valid_content_round_trips(content: CheckinContent) -> None:
    assert CheckinContent.from_json(content.to_json()) == content
    assert _CIPHER.decrypt(_CIPHER.encrypt(content)) == content


@given(st.text(alphabet=st.characters(), max_size=50))
def test_notes_with_any_code_point_round_trip(note: str) -> None:
    # Includes lone surrogates, which Discord's JSON can deliver but UTF-8 cannot encode.
    content = CheckinContent(mood=3, cravings=0, halt=frozenset(), note=note)
    assert _CIPHER.decrypt(_CIPHER.encrypt(content)) == content
