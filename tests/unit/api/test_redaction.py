"""The API key never shows in messages, logs or errors."""

import logging

import pytest

from tracker.api import ApiConnectionError, BadRequestError
from tracker.api.redaction import RedactingFilter, redact, register_secret, sanitize_server_text

KEY = "ZmFrZS1rZXktZm9yLXJlZGFjdGlvbi10ZXN0cw"


def test_registered_key_is_masked_everywhere() -> None:
    register_secret(KEY)
    assert KEY not in redact(f"url?x={KEY}&y=1")
    assert KEY not in str(ApiConnectionError(f"boom {KEY}", maybe_committed=False))
    error = BadRequestError(
        f"bad {KEY}", status=400, code=3000, server_message=f"echo {KEY}", method="GET", path="/x"
    )
    assert KEY not in str(error)
    assert error.server_message is not None
    assert KEY not in error.server_message


def test_header_shaped_secrets_are_masked_even_unregistered() -> None:
    text = redact("{'X-Api-Key': 'abcdefghijklmnop', 'other': 1} x-addon-token=qwertyuiop")
    assert "abcdefghijklmnop" not in text
    assert "qwertyuiop" not in text


def test_log_filter_masks_formatted_records(caplog: pytest.LogCaptureFixture) -> None:
    register_secret(KEY)
    logger = logging.getLogger("tracker.test.redaction")
    handler_filter = RedactingFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.INFO, logger="tracker.test.redaction"):
            logger.info("key is %s", KEY)
    finally:
        caplog.handler.removeFilter(handler_filter)
    assert KEY not in caplog.text
    assert "key is ***" in caplog.text


def test_server_text_is_cleaned_and_bounded() -> None:
    text = sanitize_server_text("line\x00one\x1b[31m" + "x" * 500)
    assert "\x00" not in text
    assert "\x1b" not in text
    assert len(text) <= 300
