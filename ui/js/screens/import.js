// Import: the file the user chose in the shell's dialog (or a Google Authenticator transfer
// link) → its password if it is encrypted (a wrong one says so, and the user tries again) →
// the preview (to add, already here, not supported and why) → one save.

import * as backup from "../backup.js";
import { register, show } from "../router.js";
import { $, say, busy, clearFields } from "../dom.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";
import { doneText, headings, unsupportedLines } from "../import-view.js";
import { announce } from "./codes.js";

let cameFrom = "add";

/** Opens the file dialog and, unless cancelled, the import screen; errors go to `errorId`. */
export async function startImport(from, errorId) {
  try {
    const step = await backup.pickImportFile(t("import.dialog"));
    if (step) {
      await show("import", { step, from });
    }
  } catch (err) {
    say(errorId, describe(err));
  }
}

/** A list of entries as plain text items. */
function fill(id, lines) {
  $(id).replaceChildren(
    ...lines.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );
}

/** Shows the password form or the preview of a step {format, needsPassword, preview?}. */
function render(step) {
  $("import-format").textContent = t("import.format", { format: step.format });
  $("import-password-form").hidden = !step.needsPassword;
  $("import-preview").hidden = step.needsPassword;
  say("import-error", "");
  say("import-message", "");
  if (step.needsPassword) {
    say("import-password-error", "");
    return;
  }
  const preview = step.preview;
  const text = headings(preview);
  const lines = unsupportedLines(preview);
  $("import-add-title").textContent = text.add;
  fill("import-add", preview.to_add.map((a) => a.label));
  $("import-present-title").textContent = text.present;
  fill("import-present", preview.already_present.map((a) => a.label));
  $("import-present-card").hidden = preview.already_present.length === 0;
  $("import-unsupported-title").textContent = text.unsupported;
  fill("import-unsupported", lines);
  $("import-unsupported-card").hidden = lines.length === 0;
  $("import-confirm").textContent = text.confirm;
  $("import-confirm").hidden = preview.to_add.length === 0;
  say("import-message", text.nothing);
}

/** Leaves the import, forgetting the kept file. */
async function leave() {
  await backup.discardImport();
  await show(cameFrom);
}

/** Wires the import screen. */
export function init() {
  register("import", {
    enter({ step, from }) {
      cameFrom = from || "add";
      render(step);
    },
    leave() {
      clearFields("import-password");
    },
  });
  $("import-back").addEventListener("click", leave);
  $("import-password-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const password = $("import-password").value;
    busy($("import-password-submit"), async () => {
      try {
        render(await backup.openImport(password));
      } catch (err) {
        clearFields("import-password");
        say("import-password-error", describe(err));
        $("import-password").focus();
      }
    });
  });
  $("import-confirm").addEventListener("click", () =>
    busy($("import-confirm"), async () => {
      try {
        const done = await backup.confirmImport();
        announce(doneText(done.added.length));
        await show("codes");
      } catch (err) {
        say("import-error", describe(err));
      }
    }),
  );
}
