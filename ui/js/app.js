// Starts the interface: language, screens, and the first screen for the vault's state.
// The app always starts locked; the shell emits "locked" when it locks itself in the
// background, "challenge" when a login waits for its code, "push-revoked" when the portal
// removed this device and "link" when a link opened the app (shown now, or after the PIN).

import * as vault from "./vault.js";
import * as settings from "./settings.js";
import * as inbox from "./inbox.js";
import { on } from "./bridge.js";
import { setLanguage } from "./i18n.js";
import { current, show } from "./router.js";
import * as enroll from "./screens/enroll.js";
import * as login from "./screens/login.js";
import * as codes from "./screens/codes.js";
import * as challenge from "./screens/challenge.js";
import * as reset from "./screens/reset.js";
import * as settingsScreen from "./screens/settings.js";
import * as add from "./screens/add.js";
import * as account from "./screens/account.js";
import * as importScreen from "./screens/import.js";
import * as exportScreen from "./screens/export.js";

/** The first screen for the vault's state: set-up, login or the codes. */
async function route() {
  const status = await vault.status();
  if (status.state === "new") {
    await show("enroll");
  } else if (status.state === "locked") {
    await show("login", status);
  } else {
    await afterUnlock();
  }
}

/**
 * After the PIN or the set-up: the link that opened the app if one waits, else a waiting
 * login's code if there is one, else the accounts.
 */
async function afterUnlock() {
  if ((await add.openLink()) === "shown") {
    return;
  }
  const next = inbox.takeChallenge();
  if (next) {
    await show("challenge", next);
  } else {
    await show("codes");
  }
}

async function boot() {
  const [prefs, info] = await Promise.all([settings.getSettings(), settings.appInfo()]);
  setLanguage(prefs.language, document);
  document.body.classList.add(info.mobile ? "mobile" : "desktop");
  enroll.init(afterUnlock);
  login.init(afterUnlock);
  codes.init(route);
  challenge.init();
  reset.init((from) => {
    inbox.clear();
    return from === "settings" ? show("settings") : route();
  });
  settingsScreen.init();
  add.init();
  account.init();
  importScreen.init();
  exportScreen.init();
  on("locked", () => route());
  on("challenge", (next) => {
    if (inbox.challengeArrived(next, current())) {
      show("challenge", next);
    }
  });
  on("link", async () => {
    if ((await add.openLink()) === "locked") {
      login.linkWaiting();
    }
  });
  on("push-revoked", ({ account }) => {
    inbox.deviceRevoked(account);
    if (current() === "codes") {
      codes.showNotices();
    }
  });
  await route();
}

boot();
