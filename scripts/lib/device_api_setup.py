#!/usr/bin/env python3
"""Prepares a demo portal for scripts/schemathesis.sh: registers a device and opens a login.

Usage: device_api_setup.py BASE_URL ENROLLMENT_URI EMAIL PASSWORD

Registers a device with the enrollment URI's single-use enroll token (POST /api/v1/devices)
and prints its device token, so that the authenticated endpoints are exercised too. Then it
logs in through the login form with the password, so that one challenge is open and the
challenge list and stream have content to check. Standard library only.
"""

import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

# RFC 8032 §7.1, test 1: a valid Ed25519 public key whose private key is public, which is all
# a device registered only for these checks needs.
DEVICE_KEY = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"


def register(base: str, uri: str) -> str:
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
        return json.load(response)["device_token"]


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


def open_challenges(base: str, token: str) -> int:
    request = urllib.request.Request(
        base + "/api/v1/device/challenges", headers={"Authorization": "Bearer " + token}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(json.load(response)["challenges"])


def main() -> None:
    base, uri, email, password = sys.argv[1:5]
    token = register(base, uri)
    open_login(base, email, password)
    if open_challenges(base, token) < 1:
        sys.exit("no challenge is open after the password step")
    print(token)


if __name__ == "__main__":
    main()
