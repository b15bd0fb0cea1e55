// The accounts with their current codes and how long each stays valid; counter-based (HOTP)
// accounts show a code only when asked. A code is copied by tapping it; each account opens
// its own screen (rename, move, delete); a search field appears once there are more than a
// handful of accounts.

import * as accounts from "../accounts.js";
import * as vault from "../vault.js";
import { revokedAccounts } from "../inbox.js";
import { register, show } from "../router.js";
import { $, say } from "../dom.js";
import { errorCode } from "../bridge.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";
import { offersSearch, matches } from "../search.js";
import { formatCode, hiddenCode, paintAvatar, subtitle, title } from "../account-text.js";

let timer = null;
let shown = [];
let onLocked = () => {};
let pendingStatus = "";

/** Copies the code shown on `button` and says so. */
async function copy(account, button) {
  const code = button.dataset.code;
  if (!code) {
    return;
  }
  try {
    await accounts.copyCode(code);
    say("codes-status", t("codes.copied", { label: account.label }));
  } catch (err) {
    say("codes-error", describe(err));
  }
}

/** Puts `code` on the copy button of an account. */
function showCode(button, account, code) {
  const text = code ? formatCode(code, account.kind) : hiddenCode(account);
  button.querySelector(".code").textContent = text;
  button.dataset.code = code || "";
  button.disabled = !code;
  button.setAttribute("aria-label", code ? t("codes.copy", { code: text }) : text);
}

/** One list item: avatar, issuer and name, the code (tap to copy), the time left. */
function item(account) {
  const li = document.createElement("li");
  li.className = "account";
  li.dataset.id = account.id;
  const row = document.createElement("div");
  row.className = "account-row";
  const avatar = document.createElement("span");
  avatar.className = "avatar";
  avatar.setAttribute("aria-hidden", "true");
  paintAvatar(avatar, account.avatar);
  const head = document.createElement("div");
  head.className = "account-head";
  const issuer = document.createElement("span");
  issuer.className = "issuer";
  issuer.textContent = title(account);
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = subtitle(account);
  head.append(issuer, name);
  const edit = document.createElement("button");
  edit.type = "button";
  edit.className = "icon edit";
  edit.textContent = "⋯";
  edit.setAttribute("aria-label", t("codes.edit", { label: account.label }));
  edit.addEventListener("click", () => show("account", { id: account.id }));
  row.append(avatar, head, edit);
  const copyButton = document.createElement("button");
  copyButton.type = "button";
  copyButton.className = "copy";
  const code = document.createElement("span");
  code.className = "code";
  code.setAttribute("aria-live", "polite");
  copyButton.append(code);
  showCode(copyButton, account, account.code);
  copyButton.addEventListener("click", () => copy(account, copyButton));
  li.append(row, copyButton);
  if (account.kind.type === "hotp") {
    const next = document.createElement("button");
    next.type = "button";
    next.className = "secondary";
    next.textContent = t("codes.next");
    next.addEventListener("click", async () => {
      try {
        const shownCode = await accounts.nextCode(account.id);
        showCode(copyButton, account, shownCode.code);
      } catch (err) {
        say("codes-error", describe(err));
      }
    });
    li.append(next);
  } else {
    const left = document.createElement("div");
    left.className = "left";
    const bar = document.createElement("progress");
    bar.max = account.kind.type === "steam" ? 30 : account.kind.period;
    bar.value = account.secondsLeft;
    bar.setAttribute("aria-hidden", "true");
    const text = document.createElement("span");
    text.textContent = t("codes.secondsLeft", { seconds: account.secondsLeft });
    left.append(bar, text);
    li.append(left);
  }
  return li;
}

/** Shows the accounts that match the search field, and says when none does. */
function applySearch() {
  const query = $("codes-search").value;
  let visible = 0;
  for (const account of shown) {
    const li = $("codes-list").querySelector(`li[data-id="${account.id}"]`);
    const hit = !offersSearch(shown.length) || matches(account, query);
    li.hidden = !hit;
    visible += hit ? 1 : 0;
  }
  const none = shown.length > 0 && visible === 0;
  say("codes-search-empty", none ? t("codes.searchEmpty", { query: query.trim() }) : "");
}

/** Fetches the codes and draws the list. */
async function refresh() {
  try {
    shown = await accounts.listCodes();
    $("codes-list").replaceChildren(...shown.map(item));
    $("codes-empty").hidden = shown.length > 0;
    $("codes-search-box").hidden = !offersSearch(shown.length);
    applySearch();
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
    if (account.kind.type === "hotp") {
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

/** Shows `text` in the codes screen's status line the next time it is entered. */
export function announce(text) {
  pendingStatus = text;
}

/** Wires the codes screen. `locked()` shows the login screen. */
export function init(locked) {
  onLocked = locked;
  register("codes", {
    async enter() {
      showNotices();
      say("codes-status", pendingStatus);
      pendingStatus = "";
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
  $("codes-add").addEventListener("click", () => show("add"));
  $("codes-search").addEventListener("input", applySearch);
}
