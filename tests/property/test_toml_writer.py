"""The policy's own TOML writer: every key and string reads back exactly with ``tomllib``."""

from __future__ import annotations

import tomllib

from hypothesis import given
from hypothesis import strategies as st

from ejournal.core.grading._toml import _key, toml_value


def test_a_key_ending_in_a_newline_is_quoted() -> None:
    # "$" in a regular expression also matches before a trailing newline: "a\n" must not pass as bare.
    assert tomllib.loads(f"{_key('a' + chr(10))} = 1") == {"a\n": 1}


@given(st.text(min_size=1), st.text())
def test_keys_and_strings_round_trip_through_tomllib(key: str, value: str) -> None:
    assert tomllib.loads(f"{_key(key)} = {toml_value(value)}") == {key: value}
