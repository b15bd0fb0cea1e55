// Backup and export, behind the PIN and a warning: the encrypted Aegis backup (password twice),
// the plain otpauth:// list (both saved through the shell's save dialog), or Google
// Authenticator transfer QR codes shown here one at a time. Portal-bound accounts are not
// exported; the screen names them and says how to move them.

import * as backup from "../backup.js";
import { register, show } from "../router.js";
import { $, say, busy, clearFields } from "../dom.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";
import { exportRequest, isPlain, leftOutLines, svgUrl } from "../export-form.js";

let qrCodes = [];
let qrIndex = 0;

const chosenFormat = () => document.querySelector("input[name='export-format']:checked").value;

/** Shows the password fields for the encrypted backup, the warning for the plain ones. */
function showFormatFields() {
  const plain = isPlain(chosenFormat());
  $("export-password-fields").hidden = plain;
  $("export-plain-warning").hidden = !plain;
}

/** Shows QR code number `index`. */
function showQr(index) {
  qrIndex = index;
  const count = qrCodes.length;
  const img = document.createElement("img");
  img.src = svgUrl(qrCodes[index]);
  img.alt = t("export.qrLabel", { position: index + 1, count });
  $("export-qr-image").replaceChildren(img);
  $("export-qr-position").textContent = t("export.qrPosition", { position: index + 1, count });
  $("export-qr-prev").disabled = index === 0;
  $("export-qr-next").disabled = index === count - 1;
}

/** Names the accounts the core left out, with why. */
function showLeftOut(leftOut) {
  const { lines, portalBound } = leftOutLines(leftOut);
  $("export-left-out").hidden = lines.length === 0;
  $("export-left-out-portal").hidden = !portalBound;
  $("export-left-out-list").replaceChildren(
    ...lines.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );
}

/** Forgets every secret on the screen: fields, QR codes. */
function wipe() {
  clearFields("export-pin", "export-password", "export-password-repeat");
  qrCodes = [];
  $("export-qr-image").replaceChildren();
  $("export-qr").hidden = true;
}

/** Wires the export screen. */
export function init() {
  register("export", {
    enter() {
      wipe();
      $("export-aegis").checked = true;
      showFormatFields();
      showLeftOut([]);
      say("export-error", "");
      say("export-message", "");
    },
    leave: wipe,
  });
  $("export-back").addEventListener("click", () => show("settings"));
  for (const radio of document.querySelectorAll("input[name='export-format']")) {
    radio.addEventListener("change", showFormatFields);
  }
  $("export-qr-prev").addEventListener("click", () => showQr(qrIndex - 1));
  $("export-qr-next").addEventListener("click", () => showQr(qrIndex + 1));
  $("export-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const { request, error } = exportRequest(
      {
        format: chosenFormat(),
        pin: $("export-pin").value,
        password: $("export-password").value,
        repeat: $("export-password-repeat").value,
      },
      t("export.dialog"),
    );
    if (error) {
      say("export-error", t(error));
      return;
    }
    busy($("export-submit"), async () => {
      say("export-error", "");
      say("export-message", "");
      wipe();
      try {
        const result = await backup.exportAccounts(request);
        if (!result) {
          say("export-message", t("export.cancelled"));
          return;
        }
        showLeftOut(result.leftOut);
        if (result.qrCodes) {
          qrCodes = result.qrCodes;
          $("export-qr").hidden = qrCodes.length === 0;
          if (qrCodes.length > 0) {
            showQr(0);
            $("export-qr-position").focus();
          }
        } else {
          say("export-message", t("export.saved", result.saved));
          $("export-message").focus();
        }
      } catch (err) {
        say("export-error", describe(err));
      }
    });
  });
}
