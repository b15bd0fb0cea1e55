// The fingerprint unlock's UI logic with Node's test runner (no browser, no shell):
//   node --test ui/tests/
// The bridge is replaced by a fake, as the modules are built to allow.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import * as biometric from "../js/biometric.js";
import { setBridge } from "../js/bridge.js";
import { describe } from "../js/errors.js";
import { setLanguage, t } from "../js/i18n.js";

const html = readFileSync(fileURLToPath(new URL("../index.html", import.meta.url)), "utf8");

test("the commands the fingerprint module calls", async () => {
  const calls = [];
  setBridge(async (command, args) => {
    calls.push([command, args]);
    return null;
  });
  await biometric.status();
  await biometric.enable();
  await biometric.disable();
  await biometric.unlock();
  assert.deepEqual(
    calls.map(([command]) => command),
    ["biometric_status", "enable_biometric", "disable_biometric", "unlock_biometric"],
  );
});

test("the fingerprint comes first only where a bound key exists and the slot is on", () => {
  assert.equal(biometric.offered({ available: true, enabled: true }), true);
  assert.equal(biometric.offered({ available: false, enabled: true }), false, "iOS, desktop");
  assert.equal(biometric.offered({ available: true, enabled: false }), false);
  assert.equal(biometric.offered(undefined), false);
});

test("after a cancel or a miss the fingerprint stays; when the PIN is due it goes", () => {
  assert.equal(biometric.offerAgain("biometric_cancelled"), true);
  assert.equal(biometric.offerAgain("biometric_failed"), true);
  for (const code of ["pin_due", "pin_after_restart", "biometric_key_invalidated", "biometric_off", "locked"]) {
    assert.equal(biometric.offerAgain(code), false, code);
  }
});

test("the fingerprint's texts in German and English", () => {
  setLanguage("de");
  assert.equal(t("settings.biometric"), "Mit Fingerabdruck entsperren");
  assert.match(describe({ code: "biometric_key_invalidated" }), /Fingerabdrücke .* geändert/);
  assert.match(describe({ code: "pin_due" }), /72 Stunden/);
  setLanguage("en");
  assert.equal(t("login.fingerprint"), "Unlock with fingerprint");
  assert.match(describe({ code: "pin_after_restart" }), /restarted/);
  setLanguage("de");
});

test("the switch and the login button start hidden, the button above the PIN", () => {
  assert.match(html, /id="settings-biometric-card" hidden/);
  assert.match(html, /id="login-fingerprint"[^>]* hidden/);
  assert.ok(html.indexOf('id="login-fingerprint"') < html.indexOf('id="login-pin"'));
});
