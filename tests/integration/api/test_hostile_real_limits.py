"""The hostile cases with the client's real defaults (30 s deadline, 32 MiB cap), in a child
process that measures its own peak memory: each ends in a clear error, and what the hostile
answer costs stays near the cap however big the attack.

The trickle case takes the whole 30 s deadline; ``test_hostile_cli.py`` runs it through the
real ``tracker check``, and the ``hostile_server`` benchmark measures it here too.
"""

from __future__ import annotations

import pytest

from tracker.api.body import MAX_RESPONSE_BYTES

from .hostile_child import hostile_server, run_case

CAP_MIB = MAX_RESPONSE_BYTES / (1024 * 1024)

# (case, error class, words in the message, most extra MiB, most seconds)
BOUNDS = [
    ("huge_body", "ResponseFormatError", "is larger than 32 MiB", CAP_MIB + 24, 5),
    ("gzip_bomb", "ResponseFormatError", "is larger than 32 MiB", CAP_MIB + 24, 10),
    ("nested_json", "ResponseFormatError", "nested too deeply", 16, 5),
    ("bad_ids", "ResponseFormatError", "not a Clockify id", 16, 5),
    ("redirect", "ApiStatusError", "never follows redirects", 16, 5),
    ("tls", "TlsError", "self-signed certificate", 16, 5),
]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "error", "words", "most_mib", "most_seconds"), BOUNDS)
def test_real_limits_bound_time_and_memory(
    case: str, error: str, words: str, most_mib: float, most_seconds: float
) -> None:
    with hostile_server(case) as server:
        outcome = run_case(case, server)
    assert outcome.error == error, outcome.message
    assert words in outcome.message
    assert outcome.extra_mib < most_mib, outcome
    assert outcome.seconds < most_seconds, outcome
