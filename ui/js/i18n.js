// Texts of the interface in German (the default) and English, and the functions that put them
// on the page. Elements name their text with data-i18n="key"; attributes with
// data-i18n-attr="attribute:key". Other modules use t("key", {name: value}).

export const LANGUAGES = ["de", "en"];

const TEXTS = {
  de: {
    "loading": "Wird geladen …",
    "back": "Zurück",
    "enroll.title": "Zweifaktor einrichten",
    "enroll.intro": "Öffnen Sie im Portal Ihre Startseite und wählen Sie „Gerät einrichten“.",
    "enroll.scan": "QR-Code scannen",
    "enroll.uriLabel": "Einrichtungslink (otpauth://…)",
    "enroll.next": "Weiter",
    "enroll.or": "oder",
    "enroll.imageLabel": "Bild des QR-Codes wählen",
    "pinSetup.title": "PIN festlegen",
    "pinSetup.account": "Konto:",
    "pinSetup.rules": "Sechs Ziffern, nicht alle gleich und keine Reihe wie 123456.",
    "pinSetup.new": "Neue PIN (6 Ziffern)",
    "pinSetup.repeat": "PIN wiederholen",
    "pinSetup.submit": "PIN festlegen",
    "done.title": "Fertig",
    "done.text": "Die App ist eingerichtet. Melden Sie sich künftig mit Ihrer PIN an.",
    "done.continue": "Zu den Codes",
    "login.title": "Zweifaktor App Login",
    "login.pinLabel": "PIN für Zweifaktor App",
    "login.submit": "Anmelden",
    "login.forgot": "Code (PIN) vergessen",
    "codes.title": "Ihre Codes",
    "codes.lock": "Sperren",
    "codes.empty": "Noch kein Konto eingerichtet.",
    "codes.secondsLeft": "noch {seconds} s",
    "codes.next": "Nächster Code",
    "challenge.title": "Sicherheitscode",
    "challenge.portal": "Portal",
    "challenge.time": "Zeit",
    "challenge.browser": "Browser",
    "challenge.address": "Adresse",
    "challenge.validFor": "Noch {seconds} Sekunden gültig",
    "challenge.accept": "Akzeptieren",
    "challenge.deny": "Das war ich nicht",
    "challenge.denyQuestion": "Diese Anmeldung abbrechen und als verdächtig melden?",
    "challenge.denyYes": "Ja, abbrechen",
    "reset.forgotTitle": "Code (PIN) vergessen",
    "reset.resetTitle": "App zurücksetzen",
    "reset.forgotText": "Ihre PIN ist nur auf diesem Gerät bekannt und wird nirgends gespeichert, auch nicht im Portal. Sie kann deshalb nicht wiederhergestellt werden.",
    "reset.text": "Sie können die App zurücksetzen. Dabei werden alle Konten auf diesem Gerät gelöscht. Danach richten Sie die App über das Portal neu ein: Melden Sie sich dort mit „Keinen Zugriff auf Authentifikations-Gerät?“ an und wählen Sie „Gerät einrichten“.",
    "reset.understood": "Ich habe verstanden, dass alle Konten auf diesem Gerät gelöscht werden.",
    "reset.confirm": "App zurücksetzen",
    "settings.title": "Einstellungen",
    "settings.changePin": "PIN ändern",
    "settings.currentPin": "Aktuelle PIN",
    "settings.pinChanged": "Die PIN wurde geändert.",
    "settings.general": "Allgemein",
    "settings.autoLock": "Automatisch sperren im Hintergrund nach",
    "settings.lockNow": "sofort",
    "settings.lock30": "30 Sekunden",
    "settings.lock60": "1 Minute",
    "settings.lock300": "5 Minuten",
    "settings.lock900": "15 Minuten",
    "settings.language": "Sprache",
    "settings.saved": "Gespeichert.",
    "settings.accounts": "Konten",
    "settings.remove": "Entfernen",
    "settings.removeNamed": "Entfernen: {label}",
    "settings.removeQuestion": "Konto „{label}“ wirklich entfernen? Sie können es danach nur über das Portal neu einrichten.",
    "settings.removeYes": "Ja, entfernen",
    "settings.resetTitle": "App zurücksetzen",
    "settings.resetHint": "Löscht alle Konten auf diesem Gerät.",
    "settings.about": "Über Zweifaktor",
    "settings.licence": "Lizenz:",
    "settings.components": "Enthält freie Software:",
    "error.pin_mismatch": "Die beiden PINs stimmen nicht überein.",
    "error.pin_format": "Die PIN besteht aus genau sechs Ziffern.",
    "error.wrong_pin": "Falsche PIN. Noch {tries} Versuche.",
    "error.wrong_pin_last": "Falsche PIN. Noch ein Versuch, danach müssen Sie warten.",
    "error.wrong_pin_wait": "Falsche PIN. Bitte warten Sie {seconds} Sekunden bis zum nächsten Versuch.",
    "error.locked": "Zu viele falsche PINs. Bitte warten Sie {seconds} Sekunden bis zum nächsten Versuch.",
    "error.invalid_pin": "Diese PIN ist nicht erlaubt: sechs Ziffern, nicht alle gleich und keine Reihe wie 123456.",
    "error.invalid_uri": "Das ist kein gültiger Einrichtungslink (otpauth://…).",
    "error.not_an_image": "Die Datei ist kein PNG- oder JPEG-Bild.",
    "error.no_qr_code": "Im Bild wurde kein QR-Code gefunden.",
    "error.no_enrollment": "Bitte beginnen Sie die Einrichtung noch einmal.",
    "error.duplicate_account": "Dieses Konto ist schon eingerichtet.",
    "error.vault_corrupt": "Die Daten der App sind beschädigt. Setzen Sie die App zurück und richten Sie sie neu ein.",
    "error.scan_failed": "Der QR-Code konnte nicht gelesen werden.",
    "push.revoked": "Das Portal hat dieses Gerät für „{account}“ entfernt. Anmeldungen kommen hier nicht mehr an; richten Sie die App über das Portal neu ein.",
    "error.app_locked": "Die App ist gesperrt. Bitte melden Sie sich mit Ihrer PIN an.",
    "error.portal_unreachable": "Das Portal ist nicht erreichbar. Prüfen Sie die Internetverbindung und versuchen Sie es noch einmal.",
    "error.portal_refused": "Das Portal hat die Anfrage abgelehnt.",
    "error.enroll_refused": "Dieser Einrichtungslink wurde schon benutzt oder ist abgelaufen. Lassen Sie sich im Portal einen neuen anzeigen.",
    "error.no_portal": "Kein Konto ist mit einem Portal verbunden.",
    "error.no_challenge": "Keine Anmeldung wartet.",
    "error.unknown_challenge": "Diese Anmeldung wartet nicht mehr.",
    "error.challenge_invalid": "Die Anmeldung konnte nicht geprüft werden und wird nicht angezeigt.",
    "error.generic": "Das hat nicht geklappt. Bitte versuchen Sie es noch einmal."
  },
  en: {
    "loading": "Loading …",
    "back": "Back",
    "enroll.title": "Set up Zweifaktor",
    "enroll.intro": "Open your start page in the portal and choose “Set up device”.",
    "enroll.scan": "Scan QR code",
    "enroll.uriLabel": "Set-up link (otpauth://…)",
    "enroll.next": "Next",
    "enroll.or": "or",
    "enroll.imageLabel": "Choose a picture of the QR code",
    "pinSetup.title": "Choose a PIN",
    "pinSetup.account": "Account:",
    "pinSetup.rules": "Six digits, not all the same and no run like 123456.",
    "pinSetup.new": "New PIN (6 digits)",
    "pinSetup.repeat": "Repeat PIN",
    "pinSetup.submit": "Set PIN",
    "done.title": "Done",
    "done.text": "The app is set up. From now on, sign in with your PIN.",
    "done.continue": "Show codes",
    "login.title": "Zweifaktor App Login",
    "login.pinLabel": "PIN for Zweifaktor App",
    "login.submit": "Sign in",
    "login.forgot": "Forgot code (PIN)",
    "codes.title": "Your codes",
    "codes.lock": "Lock",
    "codes.empty": "No account set up yet.",
    "codes.secondsLeft": "{seconds} s left",
    "codes.next": "Next code",
    "challenge.title": "Security code",
    "challenge.portal": "Portal",
    "challenge.time": "Time",
    "challenge.browser": "Browser",
    "challenge.address": "Address",
    "challenge.validFor": "Valid for {seconds} more seconds",
    "challenge.accept": "Accept",
    "challenge.deny": "That wasn't me",
    "challenge.denyQuestion": "Abort this sign-in and report it as suspicious?",
    "challenge.denyYes": "Yes, abort",
    "reset.forgotTitle": "Forgot code (PIN)",
    "reset.resetTitle": "Reset app",
    "reset.forgotText": "Your PIN is known only on this device and stored nowhere, not even in the portal. It therefore cannot be recovered.",
    "reset.text": "You can reset the app. This deletes every account on this device. Then set the app up again through the portal: sign in there with “No access to your authentication device?” and choose “Set up device”.",
    "reset.understood": "I understand that every account on this device will be deleted.",
    "reset.confirm": "Reset app",
    "settings.title": "Settings",
    "settings.changePin": "Change PIN",
    "settings.currentPin": "Current PIN",
    "settings.pinChanged": "The PIN has been changed.",
    "settings.general": "General",
    "settings.autoLock": "Lock automatically in the background after",
    "settings.lockNow": "immediately",
    "settings.lock30": "30 seconds",
    "settings.lock60": "1 minute",
    "settings.lock300": "5 minutes",
    "settings.lock900": "15 minutes",
    "settings.language": "Language",
    "settings.saved": "Saved.",
    "settings.accounts": "Accounts",
    "settings.remove": "Remove",
    "settings.removeNamed": "Remove: {label}",
    "settings.removeQuestion": "Really remove the account “{label}”? You can set it up again only through the portal.",
    "settings.removeYes": "Yes, remove",
    "settings.resetTitle": "Reset app",
    "settings.resetHint": "Deletes every account on this device.",
    "settings.about": "About Zweifaktor",
    "settings.licence": "Licence:",
    "settings.components": "Contains free software:",
    "error.pin_mismatch": "The two PINs do not match.",
    "error.pin_format": "The PIN is exactly six digits.",
    "error.wrong_pin": "Wrong PIN. {tries} tries left.",
    "error.wrong_pin_last": "Wrong PIN. One try left, then you will have to wait.",
    "error.wrong_pin_wait": "Wrong PIN. Please wait {seconds} seconds before the next try.",
    "error.locked": "Too many wrong PINs. Please wait {seconds} seconds before the next try.",
    "error.invalid_pin": "This PIN is not allowed: six digits, not all the same and no run like 123456.",
    "error.invalid_uri": "This is not a valid set-up link (otpauth://…).",
    "error.not_an_image": "The file is not a PNG or JPEG picture.",
    "error.no_qr_code": "No QR code was found in the picture.",
    "error.no_enrollment": "Please start the set-up again.",
    "error.duplicate_account": "This account is set up already.",
    "error.vault_corrupt": "The app's data is damaged. Reset the app and set it up again.",
    "error.scan_failed": "The QR code could not be read.",
    "push.revoked": "The portal removed this device for “{account}”. Sign-ins no longer arrive here; set the app up again through the portal.",
    "error.app_locked": "The app is locked. Please sign in with your PIN.",
    "error.portal_unreachable": "The portal cannot be reached. Check the internet connection and try again.",
    "error.portal_refused": "The portal refused the request.",
    "error.enroll_refused": "This set-up link was used already or has expired. Have the portal show you a new one.",
    "error.no_portal": "No account is connected to a portal.",
    "error.no_challenge": "No login is waiting.",
    "error.unknown_challenge": "This login is no longer waiting.",
    "error.challenge_invalid": "The sign-in could not be verified and is not shown.",
    "error.generic": "That did not work. Please try again."
  }
};

let current = "de";

/** The language in use. */
export function language() {
  return current;
}

/** Switches the language (unknown ones fall back to German) and re-labels `root`. */
export function setLanguage(lang, root) {
  current = LANGUAGES.includes(lang) ? lang : "de";
  if (root) {
    translate(root);
  }
}

/** The text for `key` with {name} placeholders filled from `vars`; German when missing. */
export function t(key, vars = {}) {
  const text = TEXTS[current][key] ?? TEXTS.de[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? `{${name}}`));
}

/** All keys of a language, for the test that both languages are complete. */
export function keys(lang) {
  return Object.keys(TEXTS[lang] ?? {});
}

/** Puts the texts of the current language on every element below `root` that names a key. */
export function translate(root) {
  if (root.documentElement) {
    root.documentElement.lang = current;
  }
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    const [attr, key] = el.dataset.i18nAttr.split(":");
    el.setAttribute(attr, t(key));
  }
}
