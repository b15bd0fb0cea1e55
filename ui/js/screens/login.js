// Login: the e-mail address in capitals, the PIN, "Anmelden" and "Code (PIN) vergessen".
// A wrong PIN says how many tries are left; after too many, how long to wait. Where fingerprint
// unlock is on (Android), "Mit Fingerabdruck entsperren" comes first and the PIN below it.

import * as biometric from "../biometric.js";
import * as vault from "../vault.js";
import { errorCode } from "../bridge.js";
import { register, show } from "../router.js";
import { $, say, busy, clearFields, isSixDigits } from "../dom.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";

/** Wires the login screen. `afterUnlock` decides what to show once the vault is open. */
export function init(afterUnlock) {
  register("login", {
    enter(status) {
      $("login-email").textContent = (status.email || "").toUpperCase();
      const waiting = status.waitUntil && status.waitUntil * 1000 > Date.now();
      say("login-error", waiting ? describe({ code: "locked", waitUntil: status.waitUntil }) : "");
      $("login-fingerprint").hidden = true;
      biometric
        .status()
        .then((bio) => {
          $("login-fingerprint").hidden = !biometric.offered(bio);
        })
        .catch(() => {});
    },
    leave() {
      clearFields("login-pin");
      say("login-link", "");
    },
  });
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pin = $("login-pin").value;
    if (!isSixDigits(pin)) {
      say("login-error", t("error.pin_format"));
      return;
    }
    busy($("login-submit"), async () => {
      try {
        await vault.unlock(pin);
        await afterUnlock();
      } catch (err) {
        clearFields("login-pin");
        say("login-error", describe(err));
        $("login-pin").focus();
      }
    });
  });
  $("login-fingerprint").addEventListener("click", () => {
    busy($("login-fingerprint"), async () => {
      try {
        await biometric.unlock();
        await afterUnlock();
      } catch (err) {
        $("login-fingerprint").hidden = !biometric.offerAgain(errorCode(err));
        say("login-error", describe(err));
        $("login-pin").focus();
      }
    });
  });
  $("login-forgot").addEventListener("click", () => show("reset", { forgot: true }));
}

/** Tells the user that a link opened the app and is shown after the PIN. */
export function linkWaiting() {
  say("login-link", t("login.linkWaiting"));
}
