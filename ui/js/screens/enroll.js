// Enrollment: the portal's set-up link (scanned, pasted or read from a picture), then the PIN
// twice, then done.

import * as vault from "../vault.js";
import { scanQr } from "../scanner.js";
import { register, show } from "../router.js";
import { $, say, busy, clearFields, isSixDigits } from "../dom.js";
import { describe } from "../errors.js";
import { t } from "../i18n.js";

/** Goes on to the PIN screen once the shell holds a valid set-up link (none: cancelled). */
async function accepted(request) {
  try {
    const preview = await request;
    if (!preview) {
      return;
    }
    clearFields("enroll-uri");
    await show("pin-setup", preview);
  } catch (err) {
    say("enroll-error", describe(err));
  }
}

/** Wires the three enrollment screens; `done()` leaves the last one (codes, or a waiting login). */
export function init(done) {
  register("enroll", {
    enter() {
      say("enroll-error", "");
      clearFields("enroll-uri");
    },
  });
  $("enroll-form").addEventListener("submit", (event) => {
    event.preventDefault();
    busy($("enroll-submit"), () => accepted(vault.startEnrollment($("enroll-uri").value.trim())));
  });
  $("enroll-image").addEventListener("click", () =>
    busy($("enroll-image"), () => accepted(vault.startEnrollmentFromPicture(t("enroll.imageLabel")))),
  );
  $("enroll-scan").addEventListener("click", async () => {
    try {
      const text = await scanQr();
      await accepted(vault.startEnrollment(text));
    } catch (err) {
      say("enroll-error", err && err.code ? describe(err) : t("error.scan_failed"));
    }
  });

  register("pin-setup", {
    enter(preview) {
      $("pin-setup-account").textContent = preview.issuer
        ? `${preview.issuer} – ${preview.accountName}`
        : preview.accountName;
      say("pin-setup-error", "");
    },
    leave() {
      clearFields("pin-new", "pin-repeat");
    },
  });
  $("pin-setup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pin = $("pin-new").value;
    if (!isSixDigits(pin)) {
      say("pin-setup-error", t("error.pin_format"));
      return;
    }
    if (pin !== $("pin-repeat").value) {
      say("pin-setup-error", t("error.pin_mismatch"));
      return;
    }
    busy($("pin-setup-submit"), async () => {
      try {
        await vault.finishEnrollment(pin);
        await show("done");
      } catch (err) {
        say("pin-setup-error", describe(err));
      }
    });
  });
  $("pin-setup-back").addEventListener("click", () => show("enroll"));

  register("done", {});
  $("done-continue").addEventListener("click", () => done());
}
