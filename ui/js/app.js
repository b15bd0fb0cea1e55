// Starts the interface: language, screens, and the first screen for the vault's state.
// The app always starts locked; the shell emits "locked" when it locks itself in the
// background and "challenge" when a login waits for its code.

import * as vault from "./vault.js";
import * as settings from "./settings.js";
import { on } from "./bridge.js";
import { setLanguage } from "./i18n.js";
import { current, show } from "./router.js";
import * as enroll from "./screens/enroll.js";
import * as login from "./screens/login.js";
import * as codes from "./screens/codes.js";
import * as challenge from "./screens/challenge.js";
import * as reset from "./screens/reset.js";
import * as settingsScreen from "./screens/settings.js";

let pendingChallenge = null;

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

/** After the PIN: a waiting login's code if there is one, else the accounts. */
async function afterUnlock() {
  if (pendingChallenge) {
    const next = pendingChallenge;
    pendingChallenge = null;
    await show("challenge", next);
  } else {
    await show("codes");
  }
}

async function boot() {
  const [prefs, info] = await Promise.all([settings.getSettings(), settings.appInfo()]);
  setLanguage(prefs.language, document);
  document.body.classList.add(info.mobile ? "mobile" : "desktop");
  enroll.init();
  login.init(afterUnlock);
  codes.init(route);
  challenge.init();
  reset.init((from) => (from === "settings" ? show("settings") : route()));
  settingsScreen.init();
  on("locked", () => route());
  on("challenge", (next) => {
    if (current() === "codes" || current() === "challenge") {
      show("challenge", next);
    } else {
      pendingChallenge = next;
    }
  });
  await route();
}

boot();
