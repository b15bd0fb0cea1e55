// The accounts with their current TOTP codes and how long each stays valid; counter-based
// (HOTP) accounts show a code only when asked.

import * as accounts from "../accounts.js";
import * as vault from "../vault.js";
import { revokedAccounts } from "../inbox.js";
import { register, show } from "../router.js";
import { $, say, groupDigits } from "../dom.js";
import { errorCode } from "../bridge.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";

let timer = null;
let shown = [];
let onLocked = () => {};

/** One list item: issuer and name, the code in a live region, the time left. */
function item(account) {
  const li = document.createElement("li");
  li.className = "account";
  li.dataset.id = account.id;
  const head = document.createElement("div");
  head.className = "account-head";
  const issuer = document.createElement("span");
  issuer.className = "issuer";
  issuer.textContent = account.issuer || account.name;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = account.issuer ? account.name : "";
  head.append(issuer, name);
  const code = document.createElement("p");
  code.className = "code";
  code.setAttribute("aria-live", "polite");
  code.textContent = account.code ? groupDigits(account.code) : "••• •••";
  li.append(head, code);
  if (account.kind.type === "totp") {
    const left = document.createElement("div");
    left.className = "left";
    const bar = document.createElement("progress");
    bar.max = account.kind.period;
    bar.value = account.secondsLeft;
    bar.setAttribute("aria-hidden", "true");
    const text = document.createElement("span");
    text.textContent = t("codes.secondsLeft", { seconds: account.secondsLeft });
    left.append(bar, text);
    li.append(left);
  } else {
    const next = document.createElement("button");
    next.type = "button";
    next.className = "secondary";
    next.textContent = t("codes.next");
    next.addEventListener("click", async () => {
      try {
        const shownCode = await accounts.nextCode(account.id);
        code.textContent = groupDigits(shownCode.code);
      } catch (err) {
        say("codes-error", describe(err));
      }
    });
    li.append(next);
  }
  return li;
}

/** Fetches the codes and draws the list. */
async function refresh() {
  try {
    shown = await accounts.listCodes();
    $("codes-list").replaceChildren(...shown.map(item));
    $("codes-empty").hidden = shown.length > 0;
    say("codes-error", "");
  } catch (err) {
    if (errorCode(err) === "app_locked") {
      onLocked();
    } else {
      say("codes-error", describe(err));
    }
  }
}

/** Counts the seconds down; fetches new codes when one runs out. */
function tick() {
  let expired = false;
  for (const account of shown) {
    if (account.kind.type !== "totp") {
      continue;
    }
    account.secondsLeft -= 1;
    if (account.secondsLeft <= 0) {
      expired = true;
      continue;
    }
    const li = $("codes-list").querySelector(`li[data-id="${account.id}"]`);
    if (li) {
      li.querySelector("progress").value = account.secondsLeft;
      li.querySelector(".left span").textContent = t("codes.secondsLeft", { seconds: account.secondsLeft });
    }
  }
  if (expired) {
    refresh();
  }
}

/** Shows which accounts the portal no longer sends logins for (device removed there). */
export function showNotices() {
  const text = revokedAccounts()
    .map((account) => t("push.revoked", { account }))
    .join(" ");
  say("codes-notice", text);
}

/** Wires the codes screen. `locked()` shows the login screen. */
export function init(locked) {
  onLocked = locked;
  register("codes", {
    async enter() {
      showNotices();
      await refresh();
      timer = setInterval(tick, 1000);
    },
    leave() {
      clearInterval(timer);
      timer = null;
      shown = [];
      $("codes-list").replaceChildren();
    },
  });
  $("codes-lock").addEventListener("click", async () => {
    await vault.lock();
    await locked();
  });
  $("codes-settings").addEventListener("click", () => show("settings"));
}
