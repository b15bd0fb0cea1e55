// A login waiting for its security code: the code, time left, whose login it is,
// "Akzeptieren" (fetch the newest challenge now) and "Das war ich nicht" (after confirmation).

import * as push from "../push.js";
import { register, show } from "../router.js";
import { $, say, busy, groupDigits } from "../dom.js";
import { describe, secondsUntil } from "../errors.js";
import { language, t } from "../i18n.js";
import { describeUserAgent } from "../useragent.js";

let timer = null;
let challenge = null;

/** Puts a challenge {id, code, expiresAt, portal, time, browser, address} on the screen. */
function render(next) {
  challenge = next;
  $("challenge-code").textContent = groupDigits(next.code);
  $("challenge-portal").textContent = next.portal;
  $("challenge-time").textContent = new Date(next.time * 1000).toLocaleString(language());
  $("challenge-browser").textContent = describeUserAgent(next.browser);
  $("challenge-browser").title = next.browser;
  $("challenge-address").textContent = next.address;
  $("challenge-deny-confirm").hidden = true;
  say("challenge-error", "");
  updateLeft();
}

/** Shows the seconds until the challenge expires; back to the codes once it has. */
function updateLeft() {
  if (challenge.expiresAt * 1000 <= Date.now()) {
    show("codes");
    return;
  }
  $("challenge-left").textContent = t("challenge.validFor", { seconds: secondsUntil(challenge.expiresAt) });
}

/** Wires the challenge screen. */
export function init() {
  register("challenge", {
    enter(next) {
      render(next);
      timer = setInterval(updateLeft, 1000);
    },
    leave() {
      clearInterval(timer);
      timer = null;
      challenge = null;
    },
  });
  $("challenge-accept").addEventListener("click", () =>
    busy($("challenge-accept"), async () => {
      try {
        render(await push.latestChallenge());
      } catch (err) {
        say("challenge-error", describe(err));
      }
    }),
  );
  $("challenge-deny").addEventListener("click", () => {
    $("challenge-deny-confirm").hidden = false;
    $("challenge-deny-yes").focus();
  });
  $("challenge-deny-no").addEventListener("click", () => {
    $("challenge-deny-confirm").hidden = true;
    $("challenge-deny").focus();
  });
  $("challenge-deny-yes").addEventListener("click", async () => {
    try {
      await push.denyChallenge(challenge.id);
      await show("codes");
    } catch (err) {
      say("challenge-error", describe(err));
    }
  });
}
