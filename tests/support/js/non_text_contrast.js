// WCAG 1.4.11 Non-text Contrast, which axe-core does not test: every form field must stand out
// 3:1 from what is around it (by its border or its fill), and everything that takes the
// keyboard focus must show a focus ring that stands out 3:1 from the colour it is drawn on.
// Answers one line per element that does not, "selector: what, ratio"; an empty list when
// all do. Leaves the focus where it was.
const MIN = 3;
const darkCanvas = matchMedia("(prefers-color-scheme: dark)").matches;
const canvas = darkCanvas ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
const parse = (css) => {
  const match = /rgba?\(([^)]+)\)/.exec(css);
  if (!match) {
    return null;
  }
  const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return { r, g, b, a };
};
const luminance = ({ r, g, b }) => {
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
};
const ratio = (x, y) => {
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
};
// The first opaque-enough background at or above `el`: what a colour is seen against.
const backgroundOf = (el) => {
  for (let node = el; node; node = node.parentElement) {
    const colour = parse(getComputedStyle(node).backgroundColor);
    if (colour && colour.a > 0) {
      return colour;
    }
  }
  return canvas;
};
const name = (el) => {
  let part = el.localName;
  if (el.id) {
    return `${part}#${el.id}`;
  }
  if (el.classList.length > 0) {
    part += `.${[...el.classList].join(".")}`;
  }
  return el.parentElement && el.parentElement !== document.body ? `${name(el.parentElement)} > ${part}` : part;
};
const shown = (el) => !el.closest("[hidden]") && el.getClientRects().length > 0;
const found = [];

const fields = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea";
for (const field of document.querySelectorAll(fields)) {
  if (!shown(field)) {
    continue;
  }
  const style = getComputedStyle(field);
  const around = backgroundOf(field.parentElement);
  const fill = ratio(backgroundOf(field), around);
  const hasBorder = style.borderTopStyle !== "none" && parseFloat(style.borderTopWidth) > 0;
  const border = hasBorder ? ratio(parse(style.borderTopColor), around) : 1;
  if (Math.max(fill, border) < MIN) {
    found.push(`${name(field)}: field border ${border.toFixed(2)}:1, fill ${fill.toFixed(2)}:1 against its surroundings`);
  }
}

const focusable = "a[href], button:not(:disabled), input:not([type=hidden]):not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex='-1'])";
const before = document.activeElement;
for (const el of document.querySelectorAll(focusable)) {
  if (!shown(el)) {
    continue;
  }
  el.focus({ focusVisible: true, preventScroll: true });
  const style = getComputedStyle(el);
  if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0) {
    found.push(`${name(el)}: no focus ring`);
    continue;
  }
  const ring = parse(style.outlineColor);
  const onto = parseFloat(style.outlineOffset) > 0 ? backgroundOf(el.parentElement) : backgroundOf(el);
  const contrast = ratio(ring, onto);
  if (contrast < MIN) {
    found.push(`${name(el)}: focus ring ${contrast.toFixed(2)}:1 against its background`);
  }
}
if (before && before.focus) {
  before.focus({ preventScroll: true });
} else if (document.activeElement) {
  document.activeElement.blur();
}
return found;
