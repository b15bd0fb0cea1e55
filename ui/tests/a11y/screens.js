// Every screen of the app, and every dialog and message on it, for the accessibility check:
// tests/a11y.rs loads each entry in headless Chromium (ui/tests/a11y/harness.js replaces the
// bridge by a fake) and runs axe-core on it, light and dark, at the phone's width and at
// 320 CSS px. Run it with `bash scripts/a11y.sh`.
//
// Adding a screen: append an entry to SCREENS.
//   id       unique, kebab-case; the report names findings by it.
//   about    what is on show, in a few words.
//   answers  (optional) the fake's answers that differ from ANSWERS for this screen:
//            command name → a value (copied for each call), or a function of the command's
//            arguments that returns a value or throws the shell's error object ({code, …});
//            `fail(code, extra)` builds such a function.
//   steps    (optional) async (ui) => …: how a user gets there from the app's first screen.
//            ui.click(sel), ui.type(sel, text), ui.tick(sel), ui.choose(sel, value),
//            ui.shown(sel), ui.emit(event, payload), ui.settle(); every click settles.
// A new shell command needs an answer, here in ANSWERS (or in the screen's answers): the
// check fails on any command the fake cannot answer.

/** Unix time now, for fixtures that must lie in the future (a login's code expires). */
const now = () => Math.floor(Date.now() / 1000);

/** An answer that fails as the shell does, with the stable `code` the UI branches on. */
export const fail = (code, extra = {}) => () => {
  throw { code, message: code, ...extra };
};

const totp = (period = 30) => ({ type: "totp", period });

/** The accounts of a well-used vault: a portal account, long labels, HOTP, Steam, no issuer. */
export const ACCOUNTS = [
  {
    id: "portal",
    label: "Zweifaktor Portal:erika.mustermann@example.org",
    issuer: "Zweifaktor Portal",
    name: "erika.mustermann@example.org",
    algorithm: "SHA1",
    digits: 6,
    kind: totp(),
    portal_url: "https://portal.example.org/",
    code: "492039",
    secondsLeft: 17,
  },
  {
    id: "github",
    label: "GitHub:erika",
    issuer: "GitHub",
    name: "erika",
    algorithm: "SHA1",
    digits: 6,
    kind: totp(),
    portal_url: null,
    code: "118237",
    secondsLeft: 17,
  },
  {
    id: "long",
    label: "Techniker Krankenkasse Arbeitgeberportal:personalabteilung.lohnbuchhaltung@beispielunternehmen-gmbh.example.org",
    issuer: "Techniker Krankenkasse Arbeitgeberportal",
    name: "personalabteilung.lohnbuchhaltung@beispielunternehmen-gmbh.example.org",
    algorithm: "SHA256",
    digits: 8,
    kind: totp(60),
    portal_url: null,
    code: "30618924",
    secondsLeft: 44,
  },
  {
    id: "hotp",
    label: "Hausbank:erika",
    issuer: "Hausbank",
    name: "erika",
    algorithm: "SHA1",
    digits: 6,
    kind: { type: "hotp", counter: 4 },
    portal_url: null,
    code: null,
    secondsLeft: null,
  },
  {
    id: "steam",
    label: "Steam:erika_m",
    issuer: "Steam",
    name: "erika_m",
    algorithm: "SHA1",
    digits: 5,
    kind: { type: "steam" },
    portal_url: null,
    code: "7K2QX",
    secondsLeft: 17,
  },
  {
    id: "plain",
    label: "erika@mail.example",
    issuer: null,
    name: "erika@mail.example",
    algorithm: "SHA1",
    digits: 6,
    kind: totp(),
    portal_url: null,
    code: "055811",
    secondsLeft: 17,
  },
];

/**
 * The privacyIDEA push tokens next to the accounts: a plain one, and one with long labels
 * (the label privacyIDEA gives is the serial unless a policy sets another).
 */
export const PUSH_TOKENS = [
  {
    id: "pipush",
    label: "privacyIDEA: PIPU0001A2B3",
    issuer: "privacyIDEA",
    name: "PIPU0001A2B3",
    serial: "PIPU0001A2B3",
    server: "https://pi.firma.example/ttype/push",
    kind: "privacyIDEA push",
  },
  {
    id: "pipush-long",
    label: "Firma GmbH Zentrale Anmeldung: erika.mustermann-vpn-zugang-standort-nord",
    issuer: "Firma GmbH Zentrale Anmeldung",
    name: "erika.mustermann-vpn-zugang-standort-nord",
    serial: "PIPU00C4D5E6F7A8",
    server: "https://mehrfaktor-anmeldung.rechenzentrum.firma-gmbh.example:8443/ttype/push",
    kind: "privacyIDEA push",
  },
];

/** A privacyIDEA login asking for the number its login page shows. */
const presence = () => ({
  id: "PI7QK2",
  ask: "pick_number",
  protocol: "privacyidea",
  numbers: ["17", "42", "93"],
  account: "privacyIDEA:PIPU0001",
  title: "privacyIDEA",
  question: "Anmeldung am VPN bestätigen?",
  expiresAt: now() + 110,
  portal: "Firma GmbH",
  time: now() - 10,
});

/** A login waiting for its code, started 17 s ago in Chrome on Linux. */
const challenge = () => ({
  id: "c1",
  ask: "security_code",
  protocol: "zweifaktor",
  numbers: [],
  account: ACCOUNTS[0].label,
  code: "804217",
  expiresAt: now() + 283,
  portal: "Zweifaktor Portal",
  time: now() - 17,
  browser: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
  address: "203.0.113.42",
});

const LOCKED = { state: "locked", email: "erika.mustermann@example.org", triesLeft: 5, waitUntil: null };
const UNLOCKED = { state: "unlocked" };
const SETTINGS = { autoLockSeconds: 60, language: "de" };
const ENGLISH = { get_settings: { ...SETTINGS, language: "en" }, set_settings: (args) => args.settings };
const URI = "otpauth://totp/Zweifaktor%20Portal:erika.mustermann@example.org?secret=JBSWY3DPEHPK3PXP";

// The core's avatar palette (crates/core/src/accounts/avatar.rs) gives each account a colour.
const PALETTE = ["#C62828", "#AD1457", "#6A1B9A", "#283593", "#1565C0", "#0277BD", "#00695C", "#2E7D32", "#7B5E00", "#BF360C", "#5D4037", "#455A64"];
ACCOUNTS.forEach((account, index) => {
  account.avatar = { initial: (account.issuer || account.name)[0].toUpperCase(), colour: PALETTE[(index * 5) % PALETTE.length] };
  account.weak_secret = account.id === "github";
});
PUSH_TOKENS.forEach((token, index) => {
  token.avatar = { initial: token.issuer[0].toUpperCase(), colour: PALETTE[(index * 7 + 3) % PALETTE.length] };
});

/** The core's preview of a Zweifaktor set-up link of another portal, with a weak secret. */
const PREVIEW = {
  label: ACCOUNTS[0].label,
  issuer: ACCOUNTS[0].issuer,
  name: ACCOUNTS[0].name,
  algorithm: "SHA1",
  digits: 6,
  kind: totp(),
  weak_secret: true,
  avatar: ACCOUNTS[0].avatar,
  duplicate: false,
};

/** The core's preview of an Aegis import. */
const IMPORT_PREVIEW = {
  format: "aegis",
  to_add: [ACCOUNTS[1], ACCOUNTS[2], ACCOUNTS[4]].map((a) => ({ ...a, duplicate: false })),
  already_present: [{ ...ACCOUNTS[0], duplicate: true }],
  unsupported: [{ label: "Yandex:erika", kind: "yandex", reason: "Zweifaktor shows TOTP, HOTP and Steam codes; this kind of code is not supported" }],
  missing_parts: [],
};

/** A picture of a QR code, as the shell draws Google Authenticator's transfer codes. */
const QR_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" width="256" height="256"><rect width="21" height="21" fill="#fff"/><path d="M1 1h7v7H1zM13 1h7v7h-7zM1 13h7v7H1z"/></svg>';

/** What the fake shell answers unless a screen says otherwise: a new app on a desktop. */
export const ANSWERS = {
  vault_status: { state: "new" },
  get_settings: SETTINGS,
  set_settings: (args) => args.settings,
  app_info: { name: "Zweifaktor", version: "0.1.0", license: "Apache-2.0 OR MIT", mobile: false },
  start_enrollment: { issuer: "Zweifaktor Portal", accountName: "erika.mustermann@example.org" },
  start_enrollment_from_picture: { issuer: "Zweifaktor Portal", accountName: "erika.mustermann@example.org" },
  finish_enrollment: null,
  unlock: null,
  lock: null,
  change_pin: null,
  reset_app: null,
  list_codes: ACCOUNTS,
  biometric_status: { available: false, enabled: false },
  open_link: null,
  next_code: (args) => ({ ...ACCOUNTS.find((a) => a.id === args.id), code: "731902" }),
  remove_account: null,
  list_push_tokens: PUSH_TOKENS,
  remove_push_token: (args) => PUSH_TOKENS.find((token) => token.id === args.id),
  latest_challenge: challenge,
  accept_challenge: null,
  deny_challenge: null,
  "plugin:barcode-scanner|scan": { content: URI },
  read_link: { type: "account", preview: { account: PREVIEW, portal_url: "https://zweites-portal.example.org/" } },
  read_link_from_picture: null,
  preview_manual: (args) => ({ ...PREVIEW, label: args.entry.name, issuer: args.entry.issuer, name: args.entry.name, portal_url: null }),
  confirm_add: ACCOUNTS[1],
  discard_add: null,
  rename_account: (args) => ({ ...ACCOUNTS.find((a) => a.id === args.id), issuer: args.issuer, name: args.name }),
  move_account: ACCOUNTS,
  copy_code: null,
  pick_import_file: { format: "Aegis", needsPassword: true },
  open_import: { format: "Aegis", needsPassword: false, preview: IMPORT_PREVIEW },
  confirm_import: { format: "aegis", added: IMPORT_PREVIEW.to_add, already_present: [], unsupported: [], missing_parts: [] },
  discard_import: null,
  export_accounts: {
    qrCodes: [QR_SVG, QR_SVG],
    leftOut: [{ id: "portal", label: ACCOUNTS[0].label, reason: "portal_bound", portal_url: ACCOUNTS[0].portal_url }],
  },
};

/** From the codes screen to the settings. */
async function toSettings(ui) {
  await ui.click("#codes-settings");
  await ui.shown("#settings-accounts li");
}

/** From the codes screen to "Konto hinzufügen". */
async function toAdd(ui) {
  await ui.click("#codes-add");
  await ui.shown("#screen-add");
}

/** From the codes screen to the form for an account typed in by hand. */
async function toManual(ui) {
  await toAdd(ui);
  await ui.click("#add-manual");
  await ui.shown("#screen-manual");
}

/** To the PIN step of the set-up. */
async function toPinSetup(ui) {
  await ui.type("#enroll-uri", URI);
  await ui.click("#enroll-submit");
  await ui.shown("#screen-pin-setup");
}

export const SCREENS = [
  { id: "enroll", about: "set-up: paste the link or pick a QR picture (desktop)" },
  {
    id: "enroll-phone",
    about: "set-up on a phone: scan the QR code",
    answers: { app_info: { ...ANSWERS.app_info, mobile: true } },
  },
  {
    id: "enroll-error",
    about: "set-up with a link that is not one",
    answers: { start_enrollment: fail("invalid_uri") },
    async steps(ui) {
      await ui.type("#enroll-uri", "https://example.org/");
      await ui.click("#enroll-submit");
      await ui.shown("#enroll-error");
    },
  },
  { id: "pin-setup", about: "set-up: choose the PIN", steps: toPinSetup },
  {
    id: "pin-setup-error",
    about: "set-up: the two PINs differ",
    async steps(ui) {
      await toPinSetup(ui);
      await ui.type("#pin-new", "258036");
      await ui.type("#pin-repeat", "258037");
      await ui.click("#pin-setup-submit");
      await ui.shown("#pin-setup-error");
    },
  },
  {
    id: "done",
    about: "set-up finished",
    async steps(ui) {
      await toPinSetup(ui);
      await ui.type("#pin-new", "258036");
      await ui.type("#pin-repeat", "258036");
      await ui.click("#pin-setup-submit");
      await ui.shown("#screen-done");
    },
  },
  { id: "login", about: "login: e-mail address and PIN", answers: { vault_status: LOCKED } },
  {
    id: "login-wrong-pin",
    about: "login after a wrong PIN: tries left",
    answers: { vault_status: LOCKED, unlock: fail("wrong_pin", { triesLeft: 3 }) },
    async steps(ui) {
      await ui.type("#login-pin", "258036");
      await ui.click("#login-submit");
      await ui.shown("#login-error");
    },
  },
  {
    id: "login-locked-out",
    about: "login after too many wrong PINs: how long to wait",
    answers: { vault_status: () => ({ ...LOCKED, triesLeft: 0, waitUntil: now() + 30 }) },
    steps: (ui) => ui.shown("#login-error"),
  },
  {
    id: "reset-forgot",
    about: "\"Code (PIN) vergessen\": why a PIN cannot be recovered, reset",
    answers: { vault_status: LOCKED },
    async steps(ui) {
      await ui.click("#login-forgot");
      await ui.shown("#screen-reset");
    },
  },
  {
    id: "codes",
    about: "the codes of six accounts (portal, long labels, HOTP, Steam, no issuer) and two push tokens",
    answers: { vault_status: UNLOCKED },
    steps: (ui) => ui.shown("#codes-list li"),
  },
  {
    id: "codes-hotp-next",
    about: "a counter-based account after \"Nächster Code\"",
    answers: { vault_status: UNLOCKED },
    steps: (ui) => ui.click('#codes-list li[data-id="hotp"] button.secondary'),
  },
  {
    id: "codes-push-tokens",
    about: "the list with push tokens only: the \"Push\" marker, serial and server, no code",
    answers: { vault_status: UNLOCKED, list_codes: [] },
    steps: (ui) => ui.shown('#codes-list li[data-id="pipush-long"] .marker'),
  },
  {
    id: "push-token-remove-confirm",
    about: "one push token: removal only, the confirmation saying that the server keeps it",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.click('#codes-list li[data-id="pipush-long"] button.edit');
      await ui.shown("#account-push");
      await ui.click("#account-delete");
      await ui.shown("#account-delete-portal");
    },
  },
  {
    id: "push-token-removed",
    about: "the list after removing a push token: what is left to do on the server",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.click('#codes-list li[data-id="pipush"] button.edit');
      await ui.click("#account-delete");
      await ui.click("#account-delete-yes");
      await ui.shown("#codes-status");
    },
  },
  {
    id: "codes-empty",
    about: "no account yet",
    answers: { vault_status: UNLOCKED, list_codes: [], list_push_tokens: [] },
    steps: (ui) => ui.shown("#codes-empty"),
  },
  {
    id: "codes-revoked",
    about: "the portal removed this device: the notice",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.shown("#codes-list li");
      await ui.emit("push-revoked", { account: ACCOUNTS[0].label });
      await ui.shown("#codes-notice");
    },
  },
  {
    id: "codes-error",
    about: "the codes cannot be read: the error",
    answers: { vault_status: UNLOCKED, list_codes: fail("vault_corrupt") },
    steps: (ui) => ui.shown("#codes-error"),
  },
  {
    id: "challenge",
    about: "a login's security code with time left and whose login it is",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.shown("#codes-list li");
      await ui.emit("challenge", challenge());
      await ui.shown("#screen-challenge");
    },
  },
  {
    id: "challenge-deny-confirm",
    about: "\"Das war ich nicht\": the confirmation",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.emit("challenge", challenge());
      await ui.click("#challenge-deny");
      await ui.shown("#challenge-deny-confirm");
    },
  },
  {
    id: "challenge-presence",
    about: "a privacyIDEA login: title, question and the numbers to pick from",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.emit("challenge", presence());
      await ui.shown("#challenge-numbers");
    },
  },
  {
    id: "challenge-error",
    about: "\"Akzeptieren\" while the portal cannot be reached",
    answers: { vault_status: UNLOCKED, latest_challenge: fail("portal_unreachable") },
    async steps(ui) {
      await ui.emit("challenge", challenge());
      await ui.click("#challenge-accept");
      await ui.shown("#challenge-error");
    },
  },
  {
    id: "settings",
    about: "settings: PIN, auto-lock, language, accounts, reset, about",
    answers: { vault_status: UNLOCKED },
    steps: toSettings,
  },
  {
    id: "settings-remove-confirm",
    about: "removing an account: the confirmation (long label)",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.click("#settings-accounts li:nth-child(3) button");
      await ui.shown("#settings-accounts li:nth-child(3) .confirm");
    },
  },
  {
    id: "settings-remove-push-token-confirm",
    about: "removing a push token in the settings: the confirmation saying that the server keeps it",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.click("#settings-accounts li:nth-child(8) button");
      await ui.shown("#settings-accounts li:nth-child(8) .confirm");
    },
  },
  {
    id: "settings-pin-changed",
    about: "settings after the PIN was changed",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.type("#change-pin-current", "258036");
      await ui.type("#change-pin-new", "369147");
      await ui.type("#change-pin-repeat", "369147");
      await ui.click("#change-pin-submit");
      await ui.shown("#change-pin-message");
    },
  },
  {
    id: "settings-pin-error",
    about: "settings after a wrong current PIN",
    answers: { vault_status: UNLOCKED, change_pin: fail("wrong_pin", { triesLeft: 4 }) },
    async steps(ui) {
      await toSettings(ui);
      await ui.type("#change-pin-current", "258037");
      await ui.type("#change-pin-new", "369147");
      await ui.type("#change-pin-repeat", "369147");
      await ui.click("#change-pin-submit");
      await ui.shown("#change-pin-message");
    },
  },
  {
    id: "settings-saved",
    about: "settings after switching to English: \"Saved.\"",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.choose("#settings-language", "en");
      await ui.shown("#settings-message");
    },
  },
  {
    id: "reset",
    about: "reset from the settings, the deletion acknowledged",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.click("#settings-reset");
      await ui.tick("#reset-understood");
    },
  },
  {
    id: "reset-error",
    about: "reset that failed",
    answers: { vault_status: UNLOCKED, reset_app: fail("generic") },
    async steps(ui) {
      await toSettings(ui);
      await ui.click("#settings-reset");
      await ui.tick("#reset-understood");
      await ui.click("#reset-confirm");
      await ui.shown("#reset-error");
    },
  },
  {
    id: "codes-search",
    about: "the search over six accounts, one match",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.shown("#codes-search");
      await ui.type("#codes-search", "steam");
      await ui.shown('#codes-list li[data-id="steam"]');
    },
  },
  {
    id: "codes-copied",
    about: "a code copied: the status line",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.click('#codes-list li[data-id="github"] button.copy');
      await ui.shown("#codes-status");
    },
  },
  { id: "add", about: "add an account: paste, picture, by hand, import", answers: { vault_status: UNLOCKED }, steps: toAdd },
  {
    id: "add-error",
    about: "add an account with a link that is not one",
    answers: { vault_status: UNLOCKED, read_link: fail("invalid_uri") },
    async steps(ui) {
      await toAdd(ui);
      await ui.type("#add-uri", "https://example.org/");
      await ui.click("#add-link-submit");
      await ui.shown("#add-error");
    },
  },
  { id: "manual", about: "an account typed in by hand", answers: { vault_status: UNLOCKED }, steps: toManual },
  {
    id: "manual-hotp-error",
    about: "by hand, counter-based, with a secret that is not base32",
    answers: { vault_status: UNLOCKED, preview_manual: fail("invalid_secret") },
    async steps(ui) {
      await toManual(ui);
      await ui.choose("#manual-type", "hotp");
      await ui.type("#manual-name", "erika");
      await ui.type("#manual-secret", "not base32!");
      await ui.click("#manual-submit");
      await ui.shown("#manual-error");
    },
  },
  {
    id: "add-preview",
    about: "the preview of a set-up link of another portal, with a weak secret",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toAdd(ui);
      await ui.type("#add-uri", URI);
      await ui.click("#add-link-submit");
      await ui.shown("#preview-portal");
    },
  },
  {
    id: "add-preview-duplicate",
    about: "the preview of an account that is there already",
    answers: {
      vault_status: UNLOCKED,
      read_link: { type: "account", preview: { account: { ...PREVIEW, duplicate: true }, portal_url: null } },
    },
    async steps(ui) {
      await toAdd(ui);
      await ui.type("#add-uri", URI);
      await ui.click("#add-link-submit");
      await ui.shown("#preview-duplicate");
    },
  },
  {
    id: "account-delete-portal",
    about: "one account: rename, move, delete a portal account (the confirmation)",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await ui.click('#codes-list li[data-id="portal"] button.edit');
      await ui.shown("#screen-account");
      await ui.click("#account-delete");
      await ui.shown("#account-delete-portal");
    },
  },
  {
    id: "import-password-wrong",
    about: "an encrypted import file after a wrong password",
    answers: { vault_status: UNLOCKED, open_import: fail("wrong_password", { format: "Aegis" }) },
    async steps(ui) {
      await toAdd(ui);
      await ui.click("#add-import");
      await ui.type("#import-password", "falsch");
      await ui.click("#import-password-submit");
      await ui.shown("#import-password-error");
    },
  },
  {
    id: "import-preview",
    about: "the import preview: to add, already there, not supported",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toAdd(ui);
      await ui.click("#add-import");
      await ui.type("#import-password", "richtig");
      await ui.click("#import-password-submit");
      await ui.shown("#import-preview");
    },
  },
  {
    id: "export",
    about: "backup and export behind the PIN",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.click("#settings-export");
      await ui.shown("#screen-export");
    },
  },
  {
    id: "export-google",
    about: "Google Authenticator transfer codes, a portal account left out",
    answers: { vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.click("#settings-export");
      await ui.tick("#export-google");
      await ui.type("#export-pin", "258036");
      await ui.click("#export-submit");
      await ui.shown("#export-qr-image img");
    },
  },
  { id: "en-enroll", about: "set-up in English", answers: ENGLISH },
  { id: "en-login", about: "login in English", answers: { ...ENGLISH, vault_status: LOCKED } },
  {
    id: "en-codes",
    about: "the codes in English",
    answers: { ...ENGLISH, vault_status: UNLOCKED },
    steps: (ui) => ui.shown("#codes-list li"),
  },
  {
    id: "en-challenge",
    about: "a login's security code in English",
    answers: { ...ENGLISH, vault_status: UNLOCKED },
    async steps(ui) {
      await ui.emit("challenge", challenge());
      await ui.shown("#screen-challenge");
    },
  },
  {
    id: "en-push-token-remove-confirm",
    about: "removing a push token in English",
    answers: { ...ENGLISH, vault_status: UNLOCKED },
    async steps(ui) {
      await ui.click('#codes-list li[data-id="pipush"] button.edit');
      await ui.shown("#account-push");
      await ui.click("#account-delete");
      await ui.shown("#account-delete-portal");
    },
  },
  {
    id: "en-settings-remove-confirm",
    about: "removing an account in English",
    answers: { ...ENGLISH, vault_status: UNLOCKED },
    async steps(ui) {
      await toSettings(ui);
      await ui.click("#settings-accounts li:nth-child(1) button");
      await ui.shown("#settings-accounts li:nth-child(1) .confirm");
    },
  },
];
