#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/: small valid examples of each input.

The files are committed; run this again (`python3 fuzz/make_corpus.py`, needs the
`cryptography` package for Ed25519) only when a message format changes. Output is
deterministic: fixed keys, Ed25519's deterministic signatures, fixed ids and times.
"""

import base64
import json
import pathlib
import shutil

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"

# The targets' fixed keys: envelope.rs PORTAL_KEY, api_bodies.rs DEVICE_KEY.
PORTAL = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32))
DEVICE = Ed25519PrivateKey.from_private_bytes(bytes([3] * 32))

# RFC 6238 Appendix B's SHA-1 seed "12345678901234567890" in base32.
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
NOW = 1_700_000_000
CHALLENGE_ID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
DEVICE_ID = "11111111-2222-4333-8444-555555555555"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_key(key: Ed25519PrivateKey) -> str:
    return b64url(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def compact(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def envelope(payload: bytes, key: Ed25519PrivateKey) -> dict:
    return {"payload": b64url(payload), "sig": b64url(key.sign(payload))}


CONTEXT = {
    "time": NOW,
    "ip": "192.0.2.1",
    "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "portal": "https://portal.example/",
}
CHALLENGE = {
    "v": 1,
    "id": CHALLENGE_ID,
    "account": "ada@example.org",
    "nonce": "ab" * 32,
    "issued_at": NOW,
    "expires_at": NOW + 300,
    "context": CONTEXT,
}
ANSWERS = [
    {
        "v": 1,
        "challenge_id": CHALLENGE_ID,
        "device_id": DEVICE_ID,
        "decision": decision,
        "timestamp": NOW,
        "answer_nonce": "05" * 16,
    }
    for decision in ("seen", "deny")
]
REGISTER = {
    "enroll_token": "e1Hc3y5pX2b9Qw0vYk7sTz4uRm6aLn8d",
    "device_key": public_key(DEVICE),
    "label": "Pixel 8",
    "platform": "android",
    "push_token": None,
}
REGISTER_PUSH = dict(REGISTER, label="Annas iPhone", platform="ios", push_token="fcm:abc123")
REGISTERED = {"device_id": DEVICE_ID, "device_token": "dT0k3n-9f8e7d6c5b4a"}

PORTAL_KEY = public_key(PORTAL)
URIS = [
    "otpauth://totp/Beispiel-Portal:ada@example.org?secret=" + SECRET
    + "&issuer=Beispiel-Portal&algorithm=SHA1&digits=6&period=30"
    + "&zf_url=https://portal.example/&zf_enroll=one-time-token&zf_key=" + PORTAL_KEY,
    "otpauth://totp/alice?secret=" + SECRET,
    "otpauth://hotp/ACME%20Co:john.doe@email.com?secret=" + SECRET
    + "&issuer=ACME+Co&algorithm=SHA256&digits=8&counter=42",
    "OTPAUTH://TOTP/Example%3A%20alice%40google.com?secret=" + SECRET.lower()
    + "&issuer=Example&algorithm=SHA512&period=60",
    # Issue 10: an 80-bit secret (the README's), Steam in Aegis's and in KeePassXC's form.
    "otpauth://totp/Portal:erika@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Portal",
    "otpauth://steam/Steam:gaben?period=30&digits=5&algorithm=SHA1&secret=" + SECRET
    + "&issuer=Steam",
    "otpauth://totp/Valve:gaben?secret=" + SECRET + "&issuer=Valve&digits=5&encoder=steam",
]


def vault_files() -> list[bytes]:
    example = (ROOT.parent / "crates/core/src/vault/example.json").read_bytes()
    locked = example.replace(b'"failed": 0', b'"failed": 7').replace(
        b'"last_failure": null', b'"last_failure": 1700000000'
    )
    other_slot = example.replace(
        b'"slots":[', b'"slots":[{"kind":"biometric","blob":"AAAA"},'
    )
    return [example, locked, other_slot]


def corpora() -> dict[str, list[bytes]]:
    challenge = compact(CHALLENGE)
    answers = [compact(a) for a in ANSWERS]
    return {
        "otpauth_uri": [uri.encode() for uri in URIS],
        "envelope": [b"\x00" + compact(envelope(challenge, PORTAL))]
        + [b"\x01" + payload for payload in [challenge, *answers]],
        "messages": [
            challenge,
            *answers,
            compact(CONTEXT),
            compact({"challenges": [envelope(challenge, PORTAL)]}),
            compact(REGISTER),
            compact(REGISTER_PUSH),
            compact(REGISTERED),
        ],
        "vault_file": vault_files(),
        "api_bodies": [b"\x00" + compact(REGISTER), b"\x00" + compact(REGISTER_PUSH)]
        + [b"\x01" + compact(envelope(a, DEVICE)) for a in answers]
        + [b"\x02" + a for a in answers],
    }


def main() -> None:
    for target, seeds in corpora().items():
        folder = CORPUS / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for index, seed in enumerate(seeds, start=1):
            (folder / f"seed-{index:02}").write_bytes(seed)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
