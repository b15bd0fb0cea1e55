// One account: rename (issuer and name), move up or down in the list, delete after a
// confirmation that, for a portal account, says the portal still lists this device. A
// privacyIDEA push token opens the same screen with removal only, its confirmation saying
// that the token stays registered on its server.

import * as accounts from "../accounts.js";
import { register, show } from "../router.js";
import { $, say, busy } from "../dom.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";
import { removal, tokenRow } from "../push-token-text.js";
import { announce } from "./codes.js";

let current = null;
let isPush = false;
let position = 0;
let count = 0;

/** Loads the account (or push token) `id` and its place in the list; back to the codes if it is gone. */
async function load(id, push) {
  const list = push ? await accounts.listPushTokens() : await accounts.listCodes();
  const index = list.findIndex((account) => account.id === id);
  if (index < 0) {
    await show("codes");
    return false;
  }
  current = list[index];
  isPush = push;
  position = index;
  count = list.length;
  return true;
}

/** Shows the position and which moves are possible. */
function renderPosition() {
  $("account-position").textContent = t("account.position", { position: position + 1, count });
  $("account-up").disabled = position === 0;
  $("account-down").disabled = position === count - 1;
}

/** Shows the parts of the screen for an account, or those for a push token. */
function renderKind() {
  $("rename-form").hidden = isPush;
  $("account-order").hidden = isPush;
  $("account-push").hidden = !isPush;
  $("account-title").textContent = t(isPush ? "push.title" : "account.title");
  $("account-delete-title").textContent = t(isPush ? "push.remove" : "account.delete");
  $("account-delete").textContent = t(isPush ? "push.remove" : "account.delete");
  $("account-delete-yes").textContent = t(isPush ? "push.removeYes" : "account.deleteYes");
}

/** Fills the screen from the loaded push token. */
function renderPush() {
  const row = tokenRow(current);
  const texts = removal(current);
  $("account-push-label").textContent = current.label;
  $("account-push-details").textContent = row.details;
  $("account-delete-question").textContent = texts.question;
  say("account-delete-portal", texts.note);
}

/** Fills the screen from the loaded account. */
function render() {
  renderKind();
  say("account-error", "");
  $("account-delete-confirm").hidden = true;
  if (isPush) {
    renderPush();
    return;
  }
  $("rename-issuer").value = current.issuer || "";
  $("rename-name").value = current.name;
  say("rename-message", "");
  $("account-delete-question").textContent = t("account.deleteQuestion", { label: current.label });
  say("account-delete-portal", current.portal_url ? t("account.deletePortal", { portal: current.portal_url }) : "");
  renderPosition();
}

/** Moves the account by `step` places, keeping the focus on the button pressed. */
async function move(step, button) {
  try {
    await accounts.moveAccount(current.id, position + step);
    await load(current.id, false);
    renderPosition();
    if (button.disabled) {
      (step < 0 ? $("account-down") : $("account-up")).focus();
    }
  } catch (err) {
    say("account-error", describe(err));
  }
}

/** Deletes the account, or removes the push token and says what is left to do on its server. */
async function remove() {
  if (isPush) {
    await accounts.removePushToken(current.id);
    announce(removal(current).done);
  } else {
    await accounts.removeAccount(current.id);
  }
}

/** Wires the account screen. */
export function init() {
  register("account", {
    async enter({ id, push = false }) {
      if (await load(id, push)) {
        render();
      }
    },
    leave() {
      current = null;
      isPush = false;
    },
  });
  $("account-back").addEventListener("click", () => show("codes"));
  $("rename-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("rename-name").value.trim();
    if (!name) {
      say("rename-message", t("error.empty_name"));
      return;
    }
    busy($("rename-submit"), async () => {
      try {
        current = { ...current, ...(await accounts.renameAccount(current.id, $("rename-issuer").value.trim() || null, name)) };
        $("account-delete-question").textContent = t("account.deleteQuestion", { label: current.label });
        say("rename-message", t("account.saved"));
      } catch (err) {
        say("rename-message", describe(err));
      }
    });
  });
  $("account-up").addEventListener("click", () => move(-1, $("account-up")));
  $("account-down").addEventListener("click", () => move(1, $("account-down")));
  $("account-delete").addEventListener("click", () => {
    $("account-delete-confirm").hidden = false;
    $("account-delete-yes").focus();
  });
  $("account-delete-no").addEventListener("click", () => {
    $("account-delete-confirm").hidden = true;
    $("account-delete").focus();
  });
  $("account-delete-yes").addEventListener("click", async () => {
    try {
      await remove();
      await show("codes");
    } catch (err) {
      say("account-error", describe(err));
    }
  });
}
