// Tests of the interface's pure modules with Node's test runner (no browser, no shell):
//   node --test ui/tests/
// The bridge is replaced by a fake, as the modules are built to allow.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { keys, setLanguage, t } from "../js/i18n.js";
import { call, errorCode, setBridge } from "../js/bridge.js";
import { describe } from "../js/errors.js";
import { groupDigits, isSixDigits } from "../js/dom.js";
import * as vault from "../js/vault.js";
import * as accounts from "../js/accounts.js";
import * as settings from "../js/settings.js";
import * as push from "../js/push.js";
import * as inbox from "../js/inbox.js";
import { describeUserAgent } from "../js/useragent.js";
import { acceptCall, layout } from "../js/challenge-view.js";

const html = readFileSync(fileURLToPath(new URL("../index.html", import.meta.url)), "utf8");

test("German and English have the same keys", () => {
  assert.deepEqual([...keys("en")].sort(), [...keys("de")].sort());
});

test("every key the page names exists", () => {
  const named = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
  const attrs = [...html.matchAll(/data-i18n-attr="[^:]+:([^"]+)"/g)].map((m) => m[1]);
  assert.ok(named.length > 40);
  for (const key of [...named, ...attrs]) {
    assert.ok(keys("de").includes(key), `missing key ${key}`);
  }
});

test("the login screen has the portal guide's German texts", () => {
  setLanguage("de");
  assert.equal(t("login.title"), "Zweifaktor App Login");
  assert.equal(t("login.pinLabel"), "PIN für Zweifaktor App");
  assert.equal(t("login.submit"), "Anmelden");
  assert.equal(t("login.forgot"), "Code (PIN) vergessen");
});

test("placeholders are filled and unknown languages fall back to German", () => {
  setLanguage("en");
  assert.equal(t("error.wrong_pin", { tries: 3 }), "Wrong PIN. 3 tries left.");
  setLanguage("fr");
  assert.equal(t("error.wrong_pin", { tries: 2 }), "Falsche PIN. Noch 2 Versuche.");
});

test("typed errors become sentences; untyped ones a generic sentence", () => {
  setLanguage("de");
  assert.equal(describe({ code: "wrong_pin", triesLeft: 4 }), "Falsche PIN. Noch 4 Versuche.");
  assert.match(describe({ code: "wrong_pin", triesLeft: 1 }), /Noch ein Versuch/);
  const inAMinute = Date.now() / 1000 + 60;
  assert.match(describe({ code: "locked", waitUntil: inAMinute }), /warten Sie (59|60) Sekunden/);
  assert.match(describe({ code: "invalid_uri" }), /kein gültiger Einrichtungslink/);
  assert.equal(describe("boom"), t("error.generic"));
  assert.equal(describe({ code: "something_new" }), t("error.generic"));
  assert.equal(errorCode(undefined), "generic");
});

test("codes are grouped for reading, PINs must be six digits", () => {
  assert.equal(groupDigits("123456"), "123\u2009456");
  assert.equal(groupDigits("12345678"), "1234\u20095678");
  assert.equal(groupDigits("1234"), "1234");
  assert.ok(isSixDigits("274951"));
  assert.ok(!isSixDigits("27495"));
  assert.ok(!isSixDigits("27495a"));
});

test("domain modules call the shell's commands with camelCase arguments", async () => {
  const calls = [];
  setBridge(async (command, args) => {
    calls.push([command, args]);
    return { ok: command };
  });
  await vault.status();
  await vault.startEnrollment("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP");
  await vault.finishEnrollment("274951");
  await vault.unlock("274951");
  await vault.changePin("274951", "580316");
  await vault.lock();
  await vault.resetApp();
  await accounts.listCodes();
  await accounts.removeAccount("ab12");
  await settings.setSettings({ autoLockSeconds: 60, language: "en" });
  assert.deepEqual(calls.map(([c]) => c), [
    "vault_status", "start_enrollment", "finish_enrollment", "unlock", "change_pin",
    "lock", "reset_app", "list_codes", "remove_account", "set_settings",
  ]);
  assert.deepEqual(calls[4][1], { currentPin: "274951", newPin: "580316" });
  assert.deepEqual(calls[9][1], { settings: { autoLockSeconds: 60, language: "en" } });
  assert.deepEqual(await call("anything"), { ok: "anything" });
});

test("a login's code shows at once on the codes screen and waits elsewhere", () => {
  inbox.clear();
  const soon = Date.now() / 1000 + 120;
  const first = { id: "a", code: "123456", expiresAt: soon };
  const second = { id: "b", code: "654321", expiresAt: soon };
  assert.equal(inbox.challengeArrived(first, "codes"), true);
  assert.equal(inbox.challengeArrived(first, "challenge"), true);
  assert.equal(inbox.takeChallenge(), null, "shown ones are not kept");
  assert.equal(inbox.challengeArrived(first, "login"), false);
  assert.equal(inbox.challengeArrived(second, "done"), false);
  assert.deepEqual(inbox.takeChallenge(), second, "the newest waits");
  assert.equal(inbox.takeChallenge(), null, "taken once");
});

test("an expired waiting login is not shown after the PIN", () => {
  inbox.clear();
  inbox.challengeArrived({ id: "a", code: "123456", expiresAt: 1000 }, "login");
  assert.equal(inbox.takeChallenge(1000 * 1000), null);
  inbox.challengeArrived({ id: "a", code: "123456", expiresAt: 1000 }, "login");
  assert.equal(inbox.takeChallenge(999 * 1000)?.id, "a");
});

test("a removed device is noted once per account and forgotten on reset", () => {
  inbox.clear();
  inbox.deviceRevoked("Portal:erika@example.org");
  inbox.deviceRevoked("Portal:erika@example.org");
  assert.deepEqual(inbox.revokedAccounts(), ["Portal:erika@example.org"]);
  setLanguage("de");
  assert.match(t("push.revoked", { account: "Portal:erika@example.org" }), /„Portal:erika@example.org“ entfernt/);
  inbox.clear();
  assert.deepEqual(inbox.revokedAccounts(), []);
});

test("push errors have German and English sentences", () => {
  for (const lang of ["de", "en"]) {
    setLanguage(lang);
    for (const code of [
      "no_challenge", "unknown_challenge", "portal_unreachable", "enroll_refused", "no_portal", "app_locked",
      "portal_refused", "portal_malformed", "portal_answer_too_large", "bad_signature", "challenge_stale",
      "wrong_account", "sign_failed", "not_enrolled", "challenge_expired", "number_not_offered", "answer_not_offered",
    ]) {
      assert.notEqual(describe({ code }), t("error.generic"), `${lang} ${code}`);
    }
  }
  setLanguage("de");
  assert.equal(describe({ code: "no_challenge" }), "Keine Anmeldung wartet.");
  setLanguage("en");
  assert.equal(describe({ code: "no_challenge" }), "No login is waiting.");
});

test("push calls latest_challenge and deny_challenge with the id", async () => {
  const calls = [];
  setBridge(async (command, args) => {
    calls.push([command, args]);
    return null;
  });
  await push.latestChallenge();
  await push.denyChallenge("c0ffee");
  assert.deepEqual(calls, [["latest_challenge", undefined], ["deny_challenge", { id: "c0ffee" }]]);
});

test("push accepts with the id, and with the number only when one was picked", async () => {
  const calls = [];
  setBridge(async (command, args) => {
    calls.push([command, args]);
    return null;
  });
  await push.acceptChallenge("n1");
  await push.acceptChallenge("n2", "42");
  assert.deepEqual(calls, [
    ["accept_challenge", { id: "n1" }],
    ["accept_challenge", { id: "n2", answer: "42" }],
  ]);
});

const base = { id: "c1", portal: "Firma", time: 1, expiresAt: 2, numbers: [] };

test("a Zweifaktor security code shows the code, the browser and Akzeptieren", () => {
  const parts = layout({ ...base, ask: "security_code", code: "804217", browser: "Firefox", address: "203.0.113.42" });
  assert.equal(parts.titleKey, "challenge.title");
  assert.equal(parts.code, "804217");
  assert.equal(parts.title, null);
  assert.equal(parts.question, null);
  assert.deepEqual(parts.numbers, []);
  assert.equal(parts.showAccept, true);
  assert.equal(parts.showBrowser, true);
  assert.equal(parts.showAddress, true);
  assert.deepEqual(layout({ ...base, code: "804217" }).code, "804217", "no ask is a security code");
});

test("a privacyIDEA question shows title and question, no code and no browser", () => {
  const parts = layout({ ...base, ask: "approve", title: "privacyIDEA", question: "Anmeldung bei VPN?" });
  assert.equal(parts.titleKey, "challenge.titleConfirm");
  assert.equal(parts.title, "privacyIDEA");
  assert.equal(parts.question, "Anmeldung bei VPN?");
  assert.equal(parts.code, "");
  assert.equal(parts.showAccept, true);
  assert.equal(parts.showBrowser, false);
  assert.equal(parts.showAddress, false);
});

test("presence offers one button per number and no plain Akzeptieren", () => {
  const parts = layout({ ...base, ask: "pick_number", question: "?", numbers: ["17", "42", "93"] });
  assert.deepEqual(parts.numbers, ["17", "42", "93"]);
  assert.equal(parts.showAccept, false);
  assert.equal(parts.hintKey, "challenge.pickNumber");
});

test("code_to_phone shows the server's code large with a hint to type it", () => {
  const parts = layout({ ...base, ask: "show_code", code: "918273", question: "Code für die Anmeldung" });
  assert.equal(parts.code, "918273");
  assert.equal(parts.hintKey, "challenge.typeCode");
  assert.equal(parts.showAccept, true);
  assert.equal(layout({ ...base, ask: "approve", code: "1" }).code, "", "a code shows only where one is asked");
});

test("Akzeptieren fetches the newest security code, answers other questions by id", () => {
  assert.deepEqual(acceptCall({ ...base, ask: "security_code" }), { command: "latest" });
  assert.deepEqual(acceptCall({ ...base, ask: "approve" }), { command: "accept", id: "c1" });
  assert.deepEqual(acceptCall({ ...base, ask: "pick_number" }, 42), { command: "accept", id: "c1", answer: "42" });
});

test("the browser of a login is named briefly, the unknown left as it is", () => {
  const cases = [
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Chrome 156 · Linux"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Edge 131 · Windows"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 · Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15", "Safari 18 · macOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1", "Safari 18 · iOS"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome 131 · Android"],
    ["curl/8.5.0", "curl/8.5.0"],
  ];
  for (const [agent, expected] of cases) {
    assert.equal(describeUserAgent(agent), expected, agent);
  }
});
