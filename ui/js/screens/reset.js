// "Code (PIN) vergessen" and "App zurücksetzen": why a PIN cannot be recovered, and a reset
// that happens only after the user ticks that every account will be deleted.

import * as vault from "../vault.js";
import { register, show } from "../router.js";
import { $, say, busy } from "../dom.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";

/** Wires the reset screen. `back()` returns to where the user came from. */
export function init(back) {
  let cameFrom = null;
  register("reset", {
    enter({ forgot }) {
      cameFrom = forgot ? "login" : "settings";
      $("reset-title").textContent = t(forgot ? "reset.forgotTitle" : "reset.resetTitle");
      $("reset-forgot-text").hidden = !forgot;
      $("reset-understood").checked = false;
      $("reset-confirm").disabled = true;
      say("reset-error", "");
    },
  });
  $("reset-understood").addEventListener("change", () => {
    $("reset-confirm").disabled = !$("reset-understood").checked;
  });
  $("reset-confirm").addEventListener("click", () =>
    busy($("reset-confirm"), async () => {
      try {
        await vault.resetApp();
        await show("enroll");
      } catch (err) {
        say("reset-error", describe(err));
      }
    }),
  );
  $("reset-back").addEventListener("click", () => back(cameFrom));
}
