#!/usr/bin/env python3
"""Prepares a demo portal for scripts/schemathesis.sh: registers a device and opens a login.

Usage: device_api_setup.py BASE_URL ENROLLMENT_URI EMAIL PASSWORD

Registers a device with the enrollment URI's single-use enroll token (POST /api/v1/devices),
so that the authenticated endpoints are exercised too. Then it logs in through the login form
with the password, so that one challenge is open and the challenge list and stream have
content to check. Prints the device token, the device id and the open challenge's id, one
per line. Standard library only.
"""

import base64
import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

# RFC 8032 §7.1, test 1: a valid Ed25519 public key whose private key is public, which is all
# a device registered only for these checks needs.
DEVICE_KEY = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"


def register(base: str, uri: str) -> dict:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(uri).query)
    body = json.dumps(
        {
            "enroll_token": query["zf_enroll"][0],
            "device_key": DEVICE_KEY,
            "label": "schemathesis",
            "platform": "headless",
        }
    ).encode()
    request = urllib.request.Request(
        base + "/api/v1/devices",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 201:
            sys.exit(f"registration answered {response.status}")
        return json.load(response)


def open_login(base: str, email: str, password: str) -> None:
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(base + "/login", timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    if not match:
        sys.exit("the login form has no CSRF field")
    form = urllib.parse.urlencode(
        {"csrf": match.group(1), "email": email, "password": password}
    ).encode()
    with browser.open(base + "/login", data=form, timeout=30) as response:
        if response.status != 200 or urllib.parse.urlsplit(response.url).path == "/login":
            sys.exit(f"the password step did not pass ({response.status} at {response.url})")


def open_challenges(base: str, token: str) -> list[str]:
    """The ids of the open challenges (the envelopes' payloads, unverified)."""
    request = urllib.request.Request(
        base + "/api/v1/device/challenges", headers={"Authorization": "Bearer " + token}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        envelopes = json.load(response)["challenges"]
    payloads = (base64.urlsafe_b64decode(e["payload"] + "==") for e in envelopes)
    return [json.loads(payload)["id"] for payload in payloads]


def main() -> None:
    base, uri, email, password = sys.argv[1:5]
    device = register(base, uri)
    open_login(base, email, password)
    challenges = open_challenges(base, device["device_token"])
    if not challenges:
        sys.exit("no challenge is open after the password step")
    print(device["device_token"], device["device_id"], challenges[0], sep="\n")


if __name__ == "__main__":
    main()
