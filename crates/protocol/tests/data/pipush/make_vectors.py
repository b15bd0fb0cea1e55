"""Makes the expected signatures in crates/protocol/src/pipush/test_keys.rs, independently of
the Rust code: Python's `cryptography` signs as privacyIDEA does (PKCS1v15, SHA256, then
base64.b32encode; privacyidea/lib/tokens/pushtoken.py and lib/utils b32encode_and_unicode).

Run from this folder: python3 make_vectors.py
"""
import base64
import json

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

NONCE = "GZUKJHN4U5JYVGCLWQ5BPCRXDNJQ3TNH"
SERIAL = "PIPU0001A2B3"
URL = "https://pi.example.org/ttype/push"
QUESTION = "Do you want to confirm the login?"
TITLE = "privacyIDEA"


def key(name):
    with open(name, "rb") as f:
        return serialization.load_der_private_key(f.read(), None)


def sign(k, message):
    raw = message if isinstance(message, bytes) else message.encode("utf8")
    return base64.b32encode(k.sign(raw, padding.PKCS1v15(), hashes.SHA256())).decode()


device = key("device-key.pk8")
server = key("server-key.pk8")

print("device signatures:")
for message in [
    f"{SERIAL}|2026-12-02T03:37:44Z",
    f"{NONCE}|{SERIAL}",
    f"{NONCE}|{SERIAL}|decline",
    f"{NONCE}|{SERIAL}|decline|unknown_trigger",
    f"{NONCE}|{SERIAL}|07",
]:
    print(f'    ("{message}", "{sign(device, message)}"),')

print("server signatures:")
base = f"{NONCE}|{URL}|{SERIAL}|{QUESTION}|{TITLE}|1"
print(f'    (None, "{sign(server, base)}"),')
print(f'    (Some("B,Q,X"), "{sign(server, base + "|B,Q,X")}"),')

# rfc8785.dumps of this object equals sorted, separator-free json.dumps: it holds only ASCII
# strings and booleans.
capabilities = json.dumps(
    {"capabilities": {"decline_reason": True}, "nonce": NONCE},
    sort_keys=True,
    separators=(",", ":"),
)
print("capabilities signature:")
print(f'    "{sign(server, capabilities)}"')
