"""Certificates for serving the test server over TLS: a good one and three a client must refuse.

Everything is generated on the spot with ``cryptography`` (no files in the repository, no
network). ``server_context(kind, folder)`` gives the server's SSL context and the path of the
certificate authority that signed it, so a test can trust that authority and meet the one
failure it is after:

- ``self-signed``: a certificate nobody vouches for (the classic man-in-the-middle);
- ``expired``: signed by the trusted authority, but past its end date;
- ``wrong-host``: signed by the trusted authority, but for another host name;
- ``valid``: signed by the trusted authority, for 127.0.0.1 and localhost.
"""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["TLS_KINDS", "client_context", "server_context"]

TLS_KINDS = ("self-signed", "expired", "wrong-host", "valid")

_LOOPBACK_NAMES = [
    x509.DNSName("localhost"),
    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
]


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    *,
    issuer: tuple[str, ec.EllipticCurvePrivateKey] | None,
    names: list[x509.GeneralName],
    not_after: datetime,
    authority: bool = False,
) -> x509.Certificate:
    issuer_name, issuer_key = issuer if issuer is not None else (subject, key)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(min(now - timedelta(days=30), not_after - timedelta(days=1)))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(
    folder: Path, stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> Path:
    cert_path = folder / f"{stem}.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path = folder / f"{stem}.key"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path


def server_context(kind: str, folder: Path) -> tuple[ssl.SSLContext, Path]:
    """The server's SSL context for a certificate of ``kind``, and the trusted authority's path.

    Raises:
        ValueError: ``kind`` is not one of :data:`TLS_KINDS`.
    """
    if kind not in TLS_KINDS:
        raise ValueError(f"unknown certificate kind {kind!r}; known: {', '.join(TLS_KINDS)}")
    folder.mkdir(parents=True, exist_ok=True)
    later = datetime.now(UTC) + timedelta(days=30)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(
        "tracker test authority", ca_key, issuer=None, names=[], not_after=later, authority=True
    )
    ca_path = _write(folder, "authority", ca, ca_key)
    key = ec.generate_private_key(ec.SECP256R1())
    signer = ("tracker test authority", ca_key)
    if kind == "self-signed":
        cert = _certificate("127.0.0.1", key, issuer=None, names=_LOOPBACK_NAMES, not_after=later)
    elif kind == "expired":
        past = datetime.now(UTC) - timedelta(days=2)
        cert = _certificate("127.0.0.1", key, issuer=signer, names=_LOOPBACK_NAMES, not_after=past)
    elif kind == "wrong-host":
        elsewhere: list[x509.GeneralName] = [x509.DNSName("clockify.example.invalid")]
        cert = _certificate(
            "clockify.example.invalid", key, issuer=signer, names=elsewhere, not_after=later
        )
    else:
        cert = _certificate("127.0.0.1", key, issuer=signer, names=_LOOPBACK_NAMES, not_after=later)
    cert_path = _write(folder, "server", cert, key)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, folder / "server.key")
    return context, ca_path


def client_context(authority: Path) -> ssl.SSLContext:
    """A client context that trusts only the test authority (and checks host names)."""
    return ssl.create_default_context(cafile=str(authority))
