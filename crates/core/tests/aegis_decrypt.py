#!/usr/bin/env python3
"""Decrypts an Aegis vault file and prints each entry with its code: an independent reader.

Written from Aegis's published description of its vault ("Aegis Vault", docs/vault.md in
github.com/beemdevelopment/Aegis), not from Zweifaktor's code, so that a test can check that
Zweifaktor's encrypted backup opens the way Aegis opens it:

  * the password slot (type 1) gives scrypt(password, salt, n, r, p) -> a 256-bit key;
  * that key opens the slot's "key" with AES-256-GCM ("key_params": nonce and tag, hex);
  * the master key so obtained opens "db" (base64) with AES-256-GCM ("header.params");
  * the contents are JSON with "entries", each with "type", "issuer", "name" and "info".

Codes follow RFC 4226 (HOTP) and RFC 6238 (TOTP) with hashlib and hmac. Steam entries get no
code here (vault.md gives no specification for them) and are printed with "-".

Usage: aegis_decrypt.py FILE UNIX_TIME, the password on standard input (one line).
Output: one line per entry, tab-separated:
  type  issuer  name  algo  digits  period-or-counter  base32-secret  code
Needs Debian's python3-cryptography.
"""

import base64
import hashlib
import hmac
import json
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def open_gcm(key, params, ciphertext):
    """AES-256-GCM with vault.md's detached hex nonce and tag."""
    nonce = bytes.fromhex(params["nonce"])
    tag = bytes.fromhex(params["tag"])
    return AESGCM(key).decrypt(nonce, ciphertext + tag, None)


def master_key(header, password):
    """The master key from the first password slot the password opens."""
    for slot in header["slots"]:
        if slot["type"] != 1:
            continue
        derived = hashlib.scrypt(
            password,
            salt=bytes.fromhex(slot["salt"]),
            n=slot["n"],
            r=slot["r"],
            p=slot["p"],
            maxmem=256 * 1024 * 1024,
            dklen=32,
        )
        return open_gcm(derived, slot["key_params"], bytes.fromhex(slot["key"]))
    raise SystemExit("no password slot")


def hotp(secret, algo, digits, counter):
    """RFC 4226 section 5.3, with the hash Aegis names."""
    digest = hmac.new(secret, struct.pack(">Q", counter), algo.lower()).digest()
    offset = digest[-1] & 0x0F
    binary = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def b32decode(text):
    """Base32 as Aegis writes it: upper case, padding left out."""
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def main():
    path, now = sys.argv[1], int(sys.argv[2])
    password = sys.stdin.readline().rstrip("\n").encode("utf-8")
    with open(path, "rb") as file:
        vault = json.loads(file.read().decode("utf-8"))
    if vault["version"] != 1:
        raise SystemExit("unknown vault version")
    header = vault["header"]
    key = master_key(header, password)
    contents = json.loads(open_gcm(key, header["params"], base64.b64decode(vault["db"])))
    for entry in contents["entries"]:
        info = entry["info"]
        secret = b32decode(info["secret"])
        if entry["type"] == "totp":
            moving = info["period"]
            code = hotp(secret, info["algo"], info["digits"], now // moving)
        elif entry["type"] == "hotp":
            moving = info["counter"]
            code = hotp(secret, info["algo"], info["digits"], moving)
        else:
            moving = info.get("period", "-")
            code = "-"
        fields = [
            entry["type"],
            entry["issuer"],
            entry["name"],
            info["algo"],
            str(info["digits"]),
            str(moving),
            info["secret"],
            code,
        ]
        print("\t".join(fields))


if __name__ == "__main__":
    main()
