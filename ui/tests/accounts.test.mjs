// Tests of the modules behind adding, finding, importing and exporting accounts, with Node's
// test runner and the bridge replaced by a fake:
//   node --test ui/tests/

import { test } from "node:test";
import assert from "node:assert/strict";

import { setBridge } from "../js/bridge.js";
import { setLanguage, t } from "../js/i18n.js";
import { describe } from "../js/errors.js";
import * as accounts from "../js/accounts.js";
import * as backup from "../js/backup.js";
import { SEARCH_AFTER, matches, offersSearch } from "../js/search.js";
import { DEFAULTS, entryFrom, fieldsFor } from "../js/manual.js";
import { details, formatCode, hiddenCode, kindName, subtitle, title } from "../js/account-text.js";
import { doneText, headings, unsupportedLines } from "../js/import-view.js";
import { exportRequest, isPlain, leftOutLines, svgUrl } from "../js/export-form.js";

/** A fake bridge that records each call and answers from `answers` by command. */
function recordCalls(answers = {}) {
  const calls = [];
  setBridge(async (command, args) => {
    calls.push([command, args]);
    return answers[command] ?? null;
  });
  return calls;
}

test("the search field appears only after more than five accounts", () => {
  assert.equal(SEARCH_AFTER, 5);
  assert.equal(offersSearch(5), false);
  assert.equal(offersSearch(6), true);
});

test("search matches issuer or name, regardless of case and accents, word by word", () => {
  const github = { issuer: "GitHub", name: "erika@example.org" };
  const mueller = { issuer: "Müller Bank", name: "erika" };
  const plain = { issuer: null, name: "Portal" };
  assert.ok(matches(github, "git"));
  assert.ok(matches(github, "ERIKA"));
  assert.ok(matches(github, "hub erika"));
  assert.ok(!matches(github, "gitlab"));
  assert.ok(matches(mueller, "mul"));
  assert.ok(matches(mueller, "MÜLLER"));
  assert.ok(matches(plain, "port"));
  assert.ok(matches(plain, "   "), "an empty search shows everything");
});

test("the manual form shows the fields each type needs", () => {
  assert.deepEqual(fieldsFor("totp"), { otp: true, period: true, counter: false });
  assert.deepEqual(fieldsFor("hotp"), { otp: true, period: false, counter: true });
  assert.deepEqual(fieldsFor("steam"), { otp: false, period: false, counter: false });
});

const form = (values) => ({
  issuer: "", name: "", secret: "", type: "totp", algorithm: "SHA1", digits: "6", period: "30", counter: "0",
  ...values,
});

test("a manual entry keeps the secret as typed and fills the usual defaults", () => {
  const { entry } = entryFrom(form({ issuer: " GitHub ", name: " erika ", secret: "jbsw y3dp ehpk 3pxp", period: "" }));
  assert.deepEqual(entry, {
    issuer: "GitHub", name: "erika", secret: "jbsw y3dp ehpk 3pxp", type: "totp", algorithm: "SHA1", digits: 6, period: 30,
  });
  assert.deepEqual(DEFAULTS, { type: "totp", algorithm: "SHA1", digits: 6, period: 30, counter: 0 });
  const hotp = entryFrom(form({ name: "bank", secret: "GEZDGNBV", type: "hotp", digits: "8", counter: "" })).entry;
  assert.equal(hotp.counter, 0);
  assert.equal(hotp.digits, 8);
  assert.equal(hotp.period, undefined);
  assert.equal(hotp.issuer, null);
  const steam = entryFrom(form({ name: "gabe", secret: "GEZDGNBV", type: "steam", algorithm: "SHA512" })).entry;
  assert.equal(steam.algorithm, "SHA1", "Steam is always SHA-1");
  assert.equal(steam.period, undefined);
});

test("the manual form refuses what it can see is missing or no whole number", () => {
  assert.deepEqual(entryFrom(form({ secret: "GEZDGNBV" })), { error: "manual.nameMissing" });
  assert.deepEqual(entryFrom(form({ name: "x", secret: "  " })), { error: "manual.secretMissing" });
  assert.deepEqual(entryFrom(form({ name: "x", secret: "A", period: "0" })), { error: "manual.periodInvalid" });
  assert.deepEqual(entryFrom(form({ name: "x", secret: "A", period: "2.5" })), { error: "manual.periodInvalid" });
  assert.deepEqual(entryFrom(form({ name: "x", secret: "A", type: "hotp", counter: "-1" })), { error: "manual.counterInvalid" });
  for (const key of ["manual.nameMissing", "manual.secretMissing", "manual.periodInvalid", "manual.counterInvalid"]) {
    assert.notEqual(t(key), key);
  }
});

test("accounts are named and described in both languages", () => {
  const totp = { issuer: "GitHub", name: "erika", algorithm: "SHA1", digits: 6, kind: { type: "totp", period: 30 } };
  const hotp = { issuer: null, name: "bank", algorithm: "SHA256", digits: 8, kind: { type: "hotp", counter: 7 } };
  const steam = { issuer: "Steam", name: "gabe", algorithm: "SHA1", digits: 5, kind: { type: "steam" } };
  setLanguage("de");
  assert.equal(title(totp), "GitHub");
  assert.equal(subtitle(totp), "erika");
  assert.equal(title(hotp), "bank");
  assert.equal(subtitle(hotp), "");
  assert.equal(details(totp), "SHA1, 6 Stellen, alle 30 Sekunden neu");
  assert.equal(details(hotp), "SHA256, 8 Stellen, Zähler 7");
  assert.equal(kindName(steam.kind), "Steam Guard");
  setLanguage("en");
  assert.equal(details(totp), "SHA1, 6 digits, new every 30 seconds");
  assert.equal(kindName(hotp.kind), "Counter-based (HOTP)");
  setLanguage("de");
});

test("Steam codes are shown as Steam shows them, digits in two groups", () => {
  assert.equal(formatCode("2BCDF", { type: "steam" }), "2BCDF");
  assert.equal(formatCode("123456", { type: "totp", period: 30 }), "123\u2009456");
  assert.equal(hiddenCode({ kind: { type: "steam" } }).length, 5);
});

test("the import preview counts each list and names what is not supported", () => {
  setLanguage("de");
  const preview = {
    format: "aegis",
    to_add: [{ label: "GitHub:erika" }, { label: "Bank:erika" }],
    already_present: [{ label: "Portal:erika" }],
    unsupported: [{ label: "Yandex:erika", kind: "yandex", reason: "Yandex codes are not supported" }],
    missing_parts: [],
  };
  assert.deepEqual(headings(preview), {
    add: "Wird hinzugefügt (2)",
    present: "Schon vorhanden (1)",
    unsupported: "Nicht unterstützt (1)",
    confirm: "2 Konten importieren",
    nothing: "",
  });
  assert.deepEqual(unsupportedLines(preview), ["Yandex:erika: Yandex codes are not supported"]);
  const single = { ...preview, to_add: [{ label: "x" }] };
  assert.equal(headings(single).confirm, "1 Konto importieren");
  const none = { ...preview, to_add: [] };
  assert.equal(headings(none).nothing, "Diese Datei enthält kein neues Konto.");
  const partial = { ...preview, unsupported: [], missing_parts: [{ number: 2, of: 3 }] };
  assert.deepEqual(unsupportedLines(partial), ["QR-Code 2 von 3 fehlt; scannen Sie alle Codes der Übertragung."]);
  assert.equal(doneText(1), "1 Konto importiert.");
  assert.equal(doneText(3), "3 Konten importiert.");
});

test("the export form checks the PIN and the password typed twice before the shell", () => {
  const title = "Sicherung speichern";
  assert.deepEqual(exportRequest({ format: "aegis", pin: "27495", password: "x", repeat: "x" }, title), { error: "error.pin_format" });
  assert.deepEqual(exportRequest({ format: "aegis", pin: "274951", password: "a", repeat: "b" }, title), { error: "export.passwordMismatch" });
  assert.deepEqual(exportRequest({ format: "aegis", pin: "274951", password: "lang genug", repeat: "lang genug" }, title), {
    request: { format: "aegis", pin: "274951", title, password: "lang genug" },
  });
  assert.deepEqual(exportRequest({ format: "uris", pin: "274951", password: "a", repeat: "b" }, title), {
    request: { format: "uris", pin: "274951", title },
  });
  assert.equal(exportRequest({ format: "evil", pin: "274951", password: "p", repeat: "p" }, title).request.format, "aegis");
  assert.ok(isPlain("uris") && isPlain("google") && !isPlain("aegis"));
  assert.ok(svgUrl("<svg a='1'/>").startsWith("data:image/svg+xml;charset=utf-8,%3Csvg"));
});

test("account commands reach the shell with camelCase arguments", async () => {
  const calls = recordCalls();
  await accounts.readLink("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP");
  await accounts.readLinkFromPicture("Bild wählen");
  await accounts.previewManual({ name: "erika", secret: "jbsw" });
  await accounts.confirmAdd();
  await accounts.discardAdd();
  await accounts.renameAccount("ab12", "GitHub", "erika");
  await accounts.moveAccount("ab12", 0);
  await accounts.copyCode("123456");
  await accounts.nextCode("ab12");
  assert.deepEqual(calls, [
    ["read_link", { uri: "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP" }],
    ["read_link_from_picture", { title: "Bild wählen" }],
    ["preview_manual", { entry: { name: "erika", secret: "jbsw" } }],
    ["confirm_add", undefined],
    ["discard_add", undefined],
    ["rename_account", { id: "ab12", issuer: "GitHub", name: "erika" }],
    ["move_account", { id: "ab12", toIndex: 0 }],
    ["copy_code", { code: "123456" }],
    ["next_code", { id: "ab12" }],
  ]);
});

test("import and export commands reach the shell with their arguments", async () => {
  const calls = recordCalls({ pick_import_file: { format: "Aegis", needsPassword: true } });
  assert.deepEqual(await backup.pickImportFile("Datei wählen"), { format: "Aegis", needsPassword: true });
  await backup.openImport("geheim");
  await backup.confirmImport();
  await backup.discardImport();
  await backup.exportAccounts({ format: "aegis", pin: "274951", password: "pw", title: "Speichern" });
  assert.deepEqual(calls.map(([c]) => c), ["pick_import_file", "open_import", "confirm_import", "discard_import", "export_accounts"]);
  assert.deepEqual(calls[1][1], { password: "geheim" });
  assert.deepEqual(calls[4][1], { request: { format: "aegis", pin: "274951", password: "pw", title: "Speichern" } });
});

test("the new error codes have German and English sentences, with the file's format", () => {
  const codes = [
    "wrong_password", "password_required", "unknown_format", "import_damaged", "import_too_costly", "file_too_large",
    "file_unreadable", "file_not_saved", "weak_password", "nothing_pending", "invalid_secret", "invalid_account",
    "empty_name", "unknown_account", "duplicate_account", "clipboard_unavailable", "not_on_this_device", "storage",
    "invalid_issuer", "empty_secret", "invalid_digits", "invalid_period", "invalid_position", "invalid_algorithm",
  ];
  for (const lang of ["de", "en"]) {
    setLanguage(lang);
    for (const code of codes) {
      assert.notEqual(describe({ code }), t("error.generic"), `${lang} ${code}`);
    }
  }
  setLanguage("de");
  assert.equal(describe({ code: "import_damaged", format: "2FAS" }), "Die Datei (2FAS) ist beschädigt oder unvollständig.");
  assert.match(describe({ code: "wrong_password", format: "Aegis" }), /Falsches Passwort/);
});

test("accounts left out of an export are named with why, portal-bound ones flagged", () => {
  setLanguage("de");
  const { lines, portalBound } = leftOutLines([
    { id: "a", label: "Portal:erika", reason: "portal_bound", portal_url: "https://portal.example.org/" },
    { id: "b", label: "Steam:gabe", reason: "steam_not_in_format" },
    { id: "c", label: "Bank:erika", reason: "period_not_in_format", period: 60 },
  ]);
  assert.deepEqual(lines, [
    "Portal:erika: mit dem Portal https://portal.example.org/ verbunden",
    "Steam:gabe: Google Authenticator kennt kein Steam Guard",
    "Bank:erika: Google Authenticator kennt nur Codes, die 30 Sekunden gelten, nicht 60",
  ]);
  assert.equal(portalBound, true);
  assert.equal(leftOutLines([]).portalBound, false);
});
