// One account: rename (issuer and name), move up or down in the list, delete after a
// confirmation that, for a portal account, says the portal still lists this device.

import * as accounts from "../accounts.js";
import { register, show } from "../router.js";
import { $, say, busy } from "../dom.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";

let current = null;
let position = 0;
let count = 0;

/** Loads the account `id` and its place in the list; back to the codes if it is gone. */
async function load(id) {
  const list = await accounts.listCodes();
  const index = list.findIndex((account) => account.id === id);
  if (index < 0) {
    await show("codes");
    return false;
  }
  current = list[index];
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

/** Fills the screen from the loaded account. */
function render() {
  $("rename-issuer").value = current.issuer || "";
  $("rename-name").value = current.name;
  say("rename-message", "");
  say("account-error", "");
  $("account-delete-confirm").hidden = true;
  $("account-delete-question").textContent = t("account.deleteQuestion", { label: current.label });
  say("account-delete-portal", current.portal_url ? t("account.deletePortal", { portal: current.portal_url }) : "");
  renderPosition();
}

/** Moves the account by `step` places, keeping the focus on the button pressed. */
async function move(step, button) {
  try {
    await accounts.moveAccount(current.id, position + step);
    await load(current.id);
    renderPosition();
    if (button.disabled) {
      (step < 0 ? $("account-down") : $("account-up")).focus();
    }
  } catch (err) {
    say("account-error", describe(err));
  }
}

/** Wires the account screen. */
export function init() {
  register("account", {
    async enter({ id }) {
      if (await load(id)) {
        render();
      }
    },
    leave() {
      current = null;
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
      await accounts.removeAccount(current.id);
      await show("codes");
    } catch (err) {
      say("account-error", describe(err));
    }
  });
}
