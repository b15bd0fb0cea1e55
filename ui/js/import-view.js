// The import preview in words: the three lists (to add, already here, not supported and why)
// with their headings and the confirm button's text. Pure, so it is tested without a page.

import { t } from "./i18n.js";

/**
 * "Wird hinzugefügt (3)" and its siblings, and the button text, for the core's preview
 * {to_add, already_present, unsupported, missing_parts}.
 */
export function headings(preview) {
  const count = preview.to_add.length;
  return {
    add: t("import.addTitle", { count }),
    present: t("import.presentTitle", { count: preview.already_present.length }),
    unsupported: t("import.unsupportedTitle", { count: preview.unsupported.length }),
    confirm: count === 1 ? t("import.confirmOne") : t("import.confirm", { count }),
    nothing: count === 0 ? t("import.nothing") : "",
  };
}

/**
 * One line per entry the app cannot show (its label and the core's reason), and one per QR
 * code of a multi-code transfer that was not in the batch.
 */
export const unsupportedLines = (preview) => [
  ...preview.unsupported.map((entry) => t("import.unsupportedItem", { label: entry.label, reason: entry.reason })),
  ...(preview.missing_parts || []).map((part) => t("import.missingPart", part)),
];

/** What the codes screen says after an import of `added` accounts. */
export const doneText = (added) => (added === 1 ? t("import.doneOne") : t("import.done", { count: added }));
