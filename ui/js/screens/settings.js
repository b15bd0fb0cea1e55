// Settings: change the PIN, auto-lock time, language, remove an account or a push token, backup
// and import, reset the app, about.

import * as accounts from "../accounts.js";
import * as biometric from "../biometric.js";
import * as settings from "../settings.js";
import * as vault from "../vault.js";
import { register, show } from "../router.js";
import { $, say, busy, clearFields, isSixDigits } from "../dom.js";
import { describe } from "../errors.js";
import { setLanguage, t } from "../i18n.js";
import { startImport } from "./import.js";
import { removal } from "../push-token-text.js";

/**
 * One row with "Entfernen" and an inline confirmation: `question`, then `note` if there is
 * one; "Ja, entfernen" runs `remove` and then `reload`.
 */
function removeRow({ label: text, question: ask, note, remove: removeIt }, reload) {
  const li = document.createElement("li");
  const label = document.createElement("span");
  label.textContent = text;
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "link danger-text";
  remove.textContent = t("settings.remove");
  remove.setAttribute("aria-label", t("settings.removeNamed", { label: text }));
  const confirm = document.createElement("div");
  confirm.className = "confirm";
  confirm.hidden = true;
  const question = document.createElement("p");
  question.textContent = ask;
  confirm.append(question);
  if (note) {
    const notePara = document.createElement("p");
    notePara.textContent = note;
    confirm.append(notePara);
  }
  const yes = document.createElement("button");
  yes.type = "button";
  yes.className = "danger";
  yes.textContent = t("settings.removeYes");
  const no = document.createElement("button");
  no.type = "button";
  no.className = "link";
  no.textContent = t("back");
  confirm.append(yes, no);
  remove.addEventListener("click", () => {
    confirm.hidden = false;
    yes.focus();
  });
  no.addEventListener("click", () => {
    confirm.hidden = true;
    remove.focus();
  });
  yes.addEventListener("click", async () => {
    try {
      await removeIt();
      await reload();
    } catch (err) {
      say("settings-message", describe(err));
    }
  });
  li.append(label, remove, confirm);
  return li;
}

/** Lists the accounts, then the push tokens, for removal. */
async function loadAccounts() {
  const [list, tokens] = await Promise.all([accounts.listCodes(), accounts.listPushTokens()]);
  const accountRows = list.map((account) =>
    removeRow(
      {
        label: account.label,
        question: t("settings.removeQuestion", { label: account.label }),
        remove: () => accounts.removeAccount(account.id),
      },
      loadAccounts,
    ),
  );
  const tokenRows = tokens.map((token) =>
    removeRow(
      { label: token.label, ...removal(token), remove: () => accounts.removePushToken(token.id) },
      loadAccounts,
    ),
  );
  $("settings-accounts").replaceChildren(...accountRows, ...tokenRows);
}

/** Stores the two selects. */
async function savePreferences() {
  try {
    const saved = await settings.setSettings({
      autoLockSeconds: Number($("settings-autolock").value),
      language: $("settings-language").value,
    });
    setLanguage(saved.language, document);
    say("change-pin-message", "");
    say("settings-message", t("settings.saved"));
  } catch (err) {
    say("settings-message", describe(err));
  }
}

/** Shows the fingerprint switch where the platform has a bound key, set to the vault's state. */
async function loadBiometric() {
  say("settings-biometric-message", "");
  try {
    const bio = await biometric.status();
    $("settings-biometric-card").hidden = !bio.available;
    $("settings-biometric").checked = bio.enabled;
  } catch {
    $("settings-biometric-card").hidden = true;
  }
}

/** Switches fingerprint unlock as the box says; on failure the box goes back. */
async function toggleBiometric() {
  const box = $("settings-biometric");
  const on = box.checked;
  box.disabled = true;
  try {
    await (on ? biometric.enable() : biometric.disable());
    say("settings-biometric-message", t(on ? "settings.biometricOn" : "settings.biometricOff"));
  } catch (err) {
    box.checked = !on;
    say("settings-biometric-message", describe(err));
  } finally {
    box.disabled = false;
  }
}

/** Wires the settings screen. */
export function init() {
  register("settings", {
    async enter() {
      say("settings-message", "");
      say("change-pin-message", "");
      const [prefs, info] = await Promise.all([settings.getSettings(), settings.appInfo()]);
      $("settings-autolock").value = String(prefs.autoLockSeconds);
      $("settings-language").value = prefs.language;
      $("about-version").textContent = info.version;
      $("about-license").textContent = info.license;
      await loadBiometric();
      await loadAccounts();
    },
    leave() {
      clearFields("change-pin-current", "change-pin-new", "change-pin-repeat");
    },
  });
  $("settings-back").addEventListener("click", () => show("codes"));
  $("settings-autolock").addEventListener("change", savePreferences);
  $("settings-language").addEventListener("change", savePreferences);
  $("settings-biometric").addEventListener("change", toggleBiometric);
  $("settings-reset").addEventListener("click", () => show("reset", { forgot: false }));
  $("settings-export").addEventListener("click", () => show("export"));
  $("settings-import").addEventListener("click", () => startImport("settings", "settings-message"));
  $("change-pin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const current = $("change-pin-current").value;
    const next = $("change-pin-new").value;
    if (!isSixDigits(current) || !isSixDigits(next)) {
      say("change-pin-message", t("error.pin_format"));
      return;
    }
    if (next !== $("change-pin-repeat").value) {
      say("change-pin-message", t("error.pin_mismatch"));
      return;
    }
    busy($("change-pin-submit"), async () => {
      try {
        await vault.changePin(current, next);
        say("change-pin-message", t("settings.pinChanged"));
      } catch (err) {
        say("change-pin-message", describe(err));
      } finally {
        clearFields("change-pin-current", "change-pin-new", "change-pin-repeat");
      }
    });
  });
}
