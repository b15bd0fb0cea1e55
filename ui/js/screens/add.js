// "Konto hinzufügen": a link scanned, pasted or read from a picture, a link that opened the
// app, or an account typed in by hand; then the preview the shell made (duplicate, weak
// secret, portal), and the save. A Google Authenticator transfer link goes on to the import
// preview instead.

import * as accounts from "../accounts.js";
import { scanQr } from "../scanner.js";
import { register, show } from "../router.js";
import { $, say, busy, clearFields } from "../dom.js";
import { describe } from "../errors.js";
import { errorCode } from "../bridge.js";
import { t } from "../i18n.js";
import { DEFAULTS, entryFrom, fieldsFor } from "../manual.js";
import { details, kindName, paintAvatar, subtitle, title } from "../account-text.js";
import { announce } from "./codes.js";
import { startImport } from "./import.js";

let previewFrom = "add";

/** Shows what the shell read from a link: the account's preview or the import's. */
async function showOutcome(outcome) {
  if (outcome.type === "import") {
    await show("import", { step: outcome.step, from: "add" });
  } else if (outcome.type === "push") {
    previewFrom = "add";
    await show("add-preview", { push: outcome.preview });
  } else {
    previewFrom = "add";
    await show("add-preview", outcome.preview);
  }
}

/** Goes on with what the shell read from a link: the account's preview or the import's. */
async function readOutcome(request, errorId) {
  try {
    const outcome = await request;
    if (!outcome) {
      return;
    }
    clearFields("add-uri");
    await showOutcome(outcome);
  } catch (err) {
    say(errorId, describe(err));
  }
}

/**
 * Shows the link that opened the app, if one waits: its preview (nothing is saved before
 * "Speichern"), or on the add screen why it cannot be opened. Resolves to "shown", "none", or
 * "locked" while the app is locked (the shell keeps the link for after the PIN).
 */
export async function openLink() {
  try {
    const outcome = await accounts.openLink();
    if (!outcome) {
      return "none";
    }
    await showOutcome(outcome);
  } catch (err) {
    if (errorCode(err) === "app_locked") {
      return "locked";
    }
    await show("add");
    say("add-error", describe(err));
  }
  return "shown";
}

/** The manual form's values, as strings. */
function manualValues() {
  const value = (id) => $(id).value;
  return {
    issuer: value("manual-issuer"),
    name: value("manual-name"),
    secret: value("manual-secret"),
    type: value("manual-type"),
    algorithm: value("manual-algorithm"),
    digits: value("manual-digits"),
    period: value("manual-period"),
    counter: value("manual-counter"),
  };
}

/** Shows the fields the chosen type needs. */
function showTypeFields() {
  const fields = fieldsFor($("manual-type").value);
  $("manual-otp-fields").hidden = !fields.otp;
  $("manual-period-field").hidden = !fields.period;
  $("manual-counter-field").hidden = !fields.counter;
}

/** Puts the manual form back to the defaults. */
function resetManual() {
  clearFields("manual-issuer", "manual-name", "manual-secret");
  $("manual-type").value = DEFAULTS.type;
  $("manual-algorithm").value = DEFAULTS.algorithm;
  $("manual-digits").value = String(DEFAULTS.digits);
  $("manual-period").value = String(DEFAULTS.period);
  $("manual-counter").value = String(DEFAULTS.counter);
  showTypeFields();
}

/**
 * Fills the preview screen from the core's preview {account, portal_url}: the account as it
 * would be listed (avatar, weak secret, duplicate) and, for a set-up link, its portal.
 */
function renderPreview(data) {
  if (data.push) {
    renderPushPreview(data.push);
    return;
  }
  const { account: preview, portal_url: portal } = data;
  paintAvatar($("preview-avatar"), preview.avatar);
  $("preview-issuer").textContent = title(preview);
  $("preview-name").textContent = subtitle(preview);
  $("preview-type").textContent = kindName(preview.kind);
  $("preview-details").textContent = details(preview);
  say("preview-portal", portal ? t("preview.portal", { portal }) : "");
  $("preview-weak").hidden = !preview.weak_secret;
  $("preview-duplicate").hidden = !preview.duplicate;
  $("preview-save").hidden = Boolean(preview.duplicate);
  say("preview-error", "");
}

/**
 * Fills the preview screen from the core's preview of a privacyIDEA push link {label, issuer,
 * serial, server, tls_warning}: saving makes the token's key and registers it with the server.
 */
function renderPushPreview(push) {
  paintAvatar($("preview-avatar"), null);
  $("preview-issuer").textContent = push.issuer;
  $("preview-name").textContent = push.label;
  $("preview-type").textContent = t("kind.pipush");
  $("preview-details").textContent = t("preview.pushDetails", { serial: push.serial });
  const warning = push.tls_warning ? ` ${t(`preview.tls.${push.tls_warning}`)}` : "";
  say("preview-portal", t("preview.push", { server: push.server }) + warning);
  $("preview-weak").hidden = true;
  $("preview-duplicate").hidden = true;
  $("preview-save").hidden = false;
  say("preview-error", "");
}

/** Wires the add, manual and preview screens. */
export function init() {
  register("add", {
    enter() {
      say("add-error", "");
    },
    leave() {
      clearFields("add-uri");
    },
  });
  $("add-back").addEventListener("click", () => show("codes"));
  $("add-link-form").addEventListener("submit", (event) => {
    event.preventDefault();
    busy($("add-link-submit"), () => readOutcome(accounts.readLink($("add-uri").value.trim()), "add-error"));
  });
  $("add-image").addEventListener("click", () =>
    busy($("add-image"), () => readOutcome(accounts.readLinkFromPicture(t("add.image")), "add-error")),
  );
  $("add-scan").addEventListener("click", async () => {
    try {
      const text = await scanQr();
      await readOutcome(accounts.readLink(text), "add-error");
    } catch (err) {
      say("add-error", err && err.code ? describe(err) : t("error.scan_failed"));
    }
  });
  $("add-manual").addEventListener("click", () => show("manual"));
  $("add-import").addEventListener("click", () => startImport("add", "add-error"));

  register("manual", {
    enter(data) {
      if (!data || !data.keep) {
        resetManual();
      }
      say("manual-error", "");
    },
    leave() {
      clearFields("manual-secret");
    },
  });
  $("manual-back").addEventListener("click", () => show("add"));
  $("manual-type").addEventListener("change", showTypeFields);
  $("manual-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const { entry, error } = entryFrom(manualValues());
    if (error) {
      say("manual-error", t(error));
      return;
    }
    busy($("manual-submit"), async () => {
      try {
        const preview = await accounts.previewManual(entry);
        previewFrom = "manual";
        clearFields("manual-secret");
        await show("add-preview", { account: preview, portal_url: null });
      } catch (err) {
        say("manual-error", describe(err));
      }
    });
  });

  register("add-preview", { enter: renderPreview });
  $("preview-save").addEventListener("click", () =>
    busy($("preview-save"), async () => {
      try {
        const added = await accounts.confirmAdd();
        announce(t("codes.added", { label: added.label }));
        await show("codes");
      } catch (err) {
        say("preview-error", describe(err));
      }
    }),
  );
  $("preview-cancel").addEventListener("click", async () => {
    await accounts.discardAdd();
    await show(previewFrom, { keep: true });
  });
}
