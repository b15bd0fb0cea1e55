// The accounts with their current codes and how long each stays valid; counter-based (HOTP)
// accounts show a code only when asked. A code is copied by tapping it; each account opens
// its own screen (rename, move, delete); a search field appears once there are more than a
// handful of accounts. privacyIDEA push tokens follow the accounts, each in a row of the same
// look with a "Push" marker instead of a code; each opens its screen for removal.

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
import { tokenRow } from "../push-token-text.js";

let timer = null;
let shown = [];
let tokens = [];
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

/**
 * The top line of a list item: avatar, `heading` and `name`, `extra` (if any), and the "⋯"
 * button named `openLabel` that runs `open`.
 */
function itemRow(entry, { heading, name: nameText, extra, openLabel, open }) {
  const row = document.createElement("div");
  row.className = "account-row";
  const avatar = document.createElement("span");
  avatar.className = "avatar";
  avatar.setAttribute("aria-hidden", "true");
  paintAvatar(avatar, entry.avatar);
  const head = document.createElement("div");
  head.className = "account-head";
  const issuer = document.createElement("span");
  issuer.className = "issuer";
  issuer.textContent = heading;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = nameText;
  head.append(issuer, name);
  const edit = document.createElement("button");
  edit.type = "button";
  edit.className = "icon edit";
  edit.textContent = "⋯";
  edit.setAttribute("aria-label", openLabel);
  edit.addEventListener("click", open);
  row.append(avatar, head, ...(extra ? [extra] : []), edit);
  return row;
}

/** One push token's item: its row with the "Push" marker, then serial and server; no code. */
function pushItem(token) {
  const view = tokenRow(token);
  const li = document.createElement("li");
  li.className = "account push-token";
  li.dataset.id = token.id;
  const marker = document.createElement("span");
  marker.className = "marker";
  marker.textContent = view.marker;
  const row = itemRow(token, {
    heading: view.title,
    name: view.subtitle,
    extra: marker,
    openLabel: view.openLabel,
    open: () => show("account", { id: token.id, push: true }),
  });
  const details = document.createElement("p");
  details.className = "push-details";
  details.textContent = view.details;
  li.append(row, details);
  return li;
}

/** One list item: avatar, issuer and name, the code (tap to copy), the time left. */
function item(account) {
  const li = document.createElement("li");
  li.className = "account";
  li.dataset.id = account.id;
  const row = itemRow(account, {
    heading: title(account),
    name: subtitle(account),
    openLabel: t("codes.edit", { label: account.label }),
    open: () => show("account", { id: account.id }),
  });
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

/** Shows the accounts and push tokens that match the search field, and says when none does. */
function applySearch() {
  const query = $("codes-search").value;
  const all = [...shown, ...tokens];
  let visible = 0;
  for (const entry of all) {
    const li = $("codes-list").querySelector(`li[data-id="${entry.id}"]`);
    const hit = !offersSearch(all.length) || matches(entry, query);
    li.hidden = !hit;
    visible += hit ? 1 : 0;
  }
  const none = all.length > 0 && visible === 0;
  say("codes-search-empty", none ? t("codes.searchEmpty", { query: query.trim() }) : "");
}

/** Fetches the codes and the push tokens and draws the list: the accounts, then the tokens. */
async function refresh() {
  try {
    [shown, tokens] = await Promise.all([accounts.listCodes(), accounts.listPushTokens()]);
    $("codes-list").replaceChildren(...shown.map(item), ...tokens.map(pushItem));
    const count = shown.length + tokens.length;
    $("codes-empty").hidden = count > 0;
    $("codes-search-box").hidden = !offersSearch(count);
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
      tokens = [];
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
