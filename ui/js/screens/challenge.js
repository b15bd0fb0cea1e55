// A login waiting for an answer: Zweifaktor's security code (the code, time left, whose login
// it is, "Akzeptieren" fetches the newest challenge now), or a privacyIDEA question (title and
// question, "Akzeptieren", one button per number offered, or the server's code shown large);
// "Das war ich nicht" after confirmation for every kind. What shows is `layout`'s.

import * as push from "../push.js";
import { acceptCall, layout } from "../challenge-view.js";
import { register, show } from "../router.js";
import { $, say, busy, groupDigits } from "../dom.js";
import { describe, secondsUntil } from "../errors.js";
import { language, t } from "../i18n.js";
import { describeUserAgent } from "../useragent.js";

let timer = null;
let challenge = null;

/** Shows or hides the element `id`, filling it with `text` when shown. */
function fill(id, text) {
  $(id).hidden = !text;
  $(id).textContent = text ?? "";
}

/** One button per number offered, in the order given. */
function renderNumbers(numbers) {
  const box = $("challenge-numbers");
  box.replaceChildren(
    ...numbers.map((number) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "primary number";
      button.textContent = number;
      button.setAttribute("aria-label", t("challenge.pickThis", { number }));
      button.addEventListener("click", () => busy(button, () => accept(number)));
      return button;
    }),
  );
  box.hidden = numbers.length === 0;
}

/** Puts a challenge on the screen. */
function render(next) {
  challenge = next;
  const parts = layout(next);
  $("challenge-title").textContent = t(parts.titleKey);
  fill("challenge-server-title", parts.title);
  fill("challenge-question", parts.question);
  fill("challenge-hint", parts.hintKey && t(parts.hintKey));
  $("challenge-code").hidden = !parts.code;
  $("challenge-code").textContent = parts.code ? groupDigits(parts.code) : "";
  renderNumbers(parts.numbers);
  $("challenge-accept").hidden = !parts.showAccept;
  $("challenge-portal").textContent = next.portal;
  $("challenge-time").textContent = new Date(next.time * 1000).toLocaleString(language());
  $("challenge-browser-row").hidden = !parts.showBrowser;
  $("challenge-browser").textContent = parts.showBrowser ? describeUserAgent(next.browser) : "";
  $("challenge-browser").title = next.browser ?? "";
  $("challenge-address-row").hidden = !parts.showAddress;
  $("challenge-address").textContent = next.address ?? "";
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

/** "Akzeptieren" or a number: the newest security code, or the answer sent and back to the codes. */
async function accept(number) {
  const call = acceptCall(challenge, number);
  try {
    if (call.command === "latest") {
      render(await push.latestChallenge());
      return;
    }
    await push.acceptChallenge(call.id, call.answer);
    await show("codes");
  } catch (err) {
    say("challenge-error", describe(err));
  }
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
  $("challenge-accept").addEventListener("click", () => busy($("challenge-accept"), () => accept()));
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
