// Tests of how privacyIDEA push tokens are shown and removed (ui/js/push-token-text.js and
// the two commands in ui/js/accounts.js), with Node's test runner and a fake bridge:
//   node --test ui/tests/

import { test } from "node:test";
import assert from "node:assert/strict";

import { setBridge } from "../js/bridge.js";
import { setLanguage, t } from "../js/i18n.js";
import * as accounts from "../js/accounts.js";
import { removal, serverHost, tokenRow } from "../js/push-token-text.js";
import { PUSH_TOKENS } from "./a11y/screens.js";

/** A push token as the shell lists it (the core's PushTokenSummary). */
const TOKEN = {
  id: "9f2c41d07a3b5e68",
  label: "privacyIDEA: PIPU0001A2B3",
  issuer: "privacyIDEA",
  name: "PIPU0001A2B3",
  serial: "PIPU0001A2B3",
  server: "https://pi.firma.example/ttype/push",
  kind: "privacyIDEA push",
  avatar: { initial: "P", colour: "#283593" },
};

test("a push token's row shows issuer and label, the Push marker, serial and server host, no code", () => {
  setLanguage("de");
  assert.deepEqual(tokenRow(TOKEN), {
    title: "privacyIDEA",
    subtitle: "PIPU0001A2B3",
    marker: "Push",
    details: "Seriennummer PIPU0001A2B3 · pi.firma.example",
    openLabel: "Push-Token „privacyIDEA: PIPU0001A2B3“ verwalten",
  });
  setLanguage("en");
  assert.equal(tokenRow(TOKEN).details, "Serial PIPU0001A2B3 · pi.firma.example");
  assert.equal(tokenRow(TOKEN).openLabel, "Manage push token “privacyIDEA: PIPU0001A2B3”");
  setLanguage("de");
  const noIssuer = { ...TOKEN, issuer: "" };
  assert.equal(tokenRow(noIssuer).title, "PIPU0001A2B3", "the label stands in for a missing issuer");
  assert.equal(tokenRow(noIssuer).subtitle, "");
});

test("the server is named by its host, with a port if it has one", () => {
  assert.equal(serverHost("https://pi.firma.example/ttype/push"), "pi.firma.example");
  assert.equal(serverHost("http://127.0.0.1:5001/ttype/push"), "127.0.0.1:5001");
  assert.equal(serverHost("https://[::1]:8443/ttype/push"), "[::1]:8443");
  assert.equal(serverHost("not a url"), "not a url");
});

test("the removal says in both languages that the server keeps the token and who deletes it there", () => {
  setLanguage("de");
  const de = removal(TOKEN);
  assert.match(de.question, /„privacyIDEA: PIPU0001A2B3“ von diesem Gerät entfernen\?/);
  assert.match(de.note, /bleibt auf dem privacyIDEA-Server pi\.firma\.example registriert/);
  assert.match(de.note, /Administration muss ihn auf dem Server löschen/);
  assert.match(de.done, /entfernt/);
  setLanguage("en");
  const en = removal(TOKEN);
  assert.match(en.question, /Remove the push token “privacyIDEA: PIPU0001A2B3” from this device\?/);
  assert.match(en.note, /stays registered on the privacyIDEA server pi\.firma\.example/);
  assert.match(en.note, /administrator must delete it on the server/);
  setLanguage("de");
  for (const key of ["push.title", "push.remove", "push.removeYes", "push.marker"]) {
    assert.notEqual(t(key), key);
  }
});

test("listing and removing push tokens reach the shell's commands", async () => {
  const calls = [];
  setBridge(async (command, args) => {
    calls.push([command, args]);
    return command === "list_push_tokens" ? [TOKEN] : TOKEN;
  });
  assert.deepEqual(await accounts.listPushTokens(), [TOKEN]);
  assert.deepEqual(await accounts.removePushToken(TOKEN.id), TOKEN);
  assert.deepEqual(calls, [
    ["list_push_tokens", undefined],
    ["remove_push_token", { id: TOKEN.id }],
  ]);
});

test("the accessibility check's fake push tokens have every field the shell sends", () => {
  for (const token of PUSH_TOKENS) {
    assert.deepEqual(Object.keys(token).sort(), Object.keys(TOKEN).sort(), token.id);
    assert.match(token.avatar.colour, /^#[0-9A-F]{6}$/);
  }
});
