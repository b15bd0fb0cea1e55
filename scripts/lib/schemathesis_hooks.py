"""Schemathesis hooks for scripts/schemathesis.sh: answers signed with the registered device key.

Schemathesis cannot sign, so every answer it writes fails the signature check (400) and the
checks behind it never run. This hook turns two in three positive test cases of
`POST /api/v1/challenges/{id}/answer` into answers signed with the device's key (RFC 8032
§7.1 test 1, whose public key device_api_setup.py registered): for the path's challenge or the
open one, `seen` or `deny`, with a timestamp now or an hour off, and a nonce that sometimes
repeats. So 204, 404 and 409 are reached and checked against the description too. Negative
cases stay as generated. The choices are derived from the generated case, so runs with the
same seed repeat.
"""

import base64
import hashlib
import json
import os
import random
import time

import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from schemathesis.generation.modes import GenerationMode

# RFC 8032 §7.1, test 1: the secret key of DEVICE_KEY in device_api_setup.py.
DEVICE_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
KEY = Ed25519PrivateKey.from_private_bytes(DEVICE_SECRET)
DEVICE_ID = os.environ["ZF_DEVICE_ID"]
OPEN_CHALLENGE = os.environ["ZF_OPEN_CHALLENGE"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@schemathesis.hook("map_case").apply_to(method="POST", path="/api/v1/challenges/{id}/answer")
def sign_answers(context, case):
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return case
    seed = hashlib.sha256(json.dumps([case.path_parameters, case.body], sort_keys=True, default=str).encode())
    choice = random.Random(seed.digest())
    if choice.randrange(3) == 0:
        return case
    challenge = OPEN_CHALLENGE if choice.randrange(2) == 0 else case.path_parameters["id"]
    answer = {
        "v": 1,
        "challenge_id": challenge,
        "device_id": DEVICE_ID,
        "decision": choice.choice(["seen", "seen", "deny"]),
        "timestamp": int(time.time()) + choice.choice([0, 0, 0, -3600, 3600]),
        "answer_nonce": choice.choice(["00" * 16, choice.randbytes(16).hex()]),
    }
    payload = json.dumps(answer, separators=(",", ":")).encode()
    case.path_parameters = {**case.path_parameters, "id": challenge}
    case.body = {"payload": b64url(payload), "sig": b64url(KEY.sign(payload))}
    return case
