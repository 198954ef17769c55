"""Where the API key may go: https anywhere, plain http only to this machine or by opt-in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tracker.api import InsecureServerError, Servers
from tracker.sync.servers import (
    ALLOW_INSECURE_VAR,
    API_URL_VAR,
    AUDIT_URL_VAR,
    REPORTS_URL_VAR,
    servers_for,
)


@dataclass(frozen=True)
class Choice:
    server: str = "custom"
    api_url: str = ""
    reports_url: str = ""


@pytest.mark.parametrize(
    "url",
    [
        "http://clockify.example.com/api",
        "http://192.168.1.20:8080/api",
        "http://10.0.0.1/api",
        "http://[2001:db8::1]/api",
        "http://localhost.example.com/api",
        "http://127.0.0.1.nip.io/api",
        "HTTP://clockify.example.com/api",
    ],
)
def test_plain_http_elsewhere_is_refused_and_says_why(url: str) -> None:
    with pytest.raises(InsecureServerError) as caught:
        Servers.custom(url)
    message = str(caught.value)
    assert "plain http" in message
    assert "API key unencrypted" in message
    assert "TRACKER_ALLOW_INSECURE_HTTP=1" in message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/api",
        "http://127.1.2.3/api",
        "http://localhost:9000/api/",
        "http://LOCALHOST/api",
        "http://[::1]:8080/api",
        "http://[::ffff:127.0.0.1]/api",
        "https://clockify.example.com/api",
        "https://192.168.1.20/api",
    ],
)
def test_https_anywhere_and_http_to_this_machine_are_accepted(url: str) -> None:
    servers = Servers.custom(url)
    assert servers.api == url.rstrip("/")
    assert servers.reports == url.rstrip("/").removesuffix("/api") + "/report"


def test_the_reports_url_is_checked_too() -> None:
    with pytest.raises(InsecureServerError, match=r"http://reports\.example\.com"):
        Servers.custom("https://clockify.example.com/api", "http://reports.example.com")


def test_the_opt_in_allows_plain_http_elsewhere() -> None:
    servers = Servers.custom("http://192.168.1.20/api", allow_insecure=True)
    assert servers.api == "http://192.168.1.20/api"


@pytest.mark.parametrize(
    "url", ["", "clockify.example.com/api", "ftp://x/api", "https://", "http:// x", "https://a b"]
)
def test_what_is_not_a_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        Servers.custom(url)


def test_the_environment_url_is_refused_with_its_name() -> None:
    env = {API_URL_VAR: "http://clockify.example.com/api"}
    with pytest.raises(InsecureServerError, match=rf"^{API_URL_VAR}: .*unencrypted"):
        servers_for(None, env)
    allowed = servers_for(None, {**env, ALLOW_INSECURE_VAR: "1"})
    assert allowed.api == "http://clockify.example.com/api"


@pytest.mark.parametrize("value", ["", "0", "yes please", "true"])
def test_only_an_explicit_one_opts_in(value: str) -> None:
    env = {API_URL_VAR: "http://clockify.example.com/api", ALLOW_INSECURE_VAR: value}
    with pytest.raises(InsecureServerError):
        servers_for(None, env)


def test_the_saved_url_is_refused_with_where_it_came_from() -> None:
    choice = Choice(api_url="http://clockify.example.com/api")
    with pytest.raises(InsecureServerError, match=r"^the custom server in the settings: "):
        servers_for(choice, {})
    assert servers_for(choice, {ALLOW_INSECURE_VAR: "1"}).api == choice.api_url


def test_the_saved_choice_alone_is_checked_without_the_override() -> None:
    env = {API_URL_VAR: "https://elsewhere.example.com/api", REPORTS_URL_VAR: ""}
    choice = Choice(api_url="http://192.168.1.20/api")
    assert servers_for(choice, env).api == "https://elsewhere.example.com/api"
    with pytest.raises(InsecureServerError):
        servers_for(choice, env, override=False)
    assert servers_for(choice, {**env, ALLOW_INSECURE_VAR: "1"}, override=False).api == (
        "http://192.168.1.20/api"
    )


def test_regional_reports_use_the_singular_report_path() -> None:
    """FACTS §1: ``https://{prefix}.clockify.me/report`` (not ``reports``) on regional hosts."""
    eu = Servers.region("euc1")
    assert eu.api == "https://euc1.clockify.me/api"
    assert eu.reports == "https://euc1.clockify.me/report"
    assert Servers().reports == "https://reports.api.clockify.me"


@pytest.mark.parametrize("name", ["acme", "Acme-Studio", " team42 "])
def test_a_subdomain_workspace_has_its_own_hosts(name: str) -> None:
    servers = Servers.subdomain(name)
    label = name.strip().lower()
    assert servers.api == f"https://{label}.clockify.me/api"
    assert servers.reports == f"https://{label}.clockify.me/report"


@pytest.mark.parametrize(
    "name", ["", "acme.evil.com", "evil.com/x", "-acme", "acme-", "a b", "euc1", "x" * 64]
)
def test_what_is_not_one_subdomain_label_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not a Clockify subdomain"):
        Servers.subdomain(name)


def test_the_audit_log_has_its_own_host() -> None:
    """The spec's ``servers`` of the audit-log operation: a host of its own, also in regions
    (the spec names no regional one); a custom server serves it under ``/audit``."""
    assert Servers().audit == "https://auditlog-api.api.clockify.me"
    assert Servers.region("euc1").audit == "https://auditlog-api.api.clockify.me"
    assert Servers.custom("http://127.0.0.1:8080/api").audit == "http://127.0.0.1:8080/audit"
    assert Servers().base("audit") == Servers().audit


def test_tracker_audit_url_goes_beside_the_api_url_and_is_checked() -> None:
    env = {API_URL_VAR: "https://clockify.example.com/api"}
    assert servers_for(None, env).audit == "https://clockify.example.com/audit"
    env[AUDIT_URL_VAR] = "https://audit.example.com/"
    assert servers_for(None, env).audit == "https://audit.example.com"
    env[AUDIT_URL_VAR] = "http://audit.example.com"
    with pytest.raises(InsecureServerError, match=r"^TRACKER_API_URL: .*audit\.example\.com"):
        servers_for(None, env)
