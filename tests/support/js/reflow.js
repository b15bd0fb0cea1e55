// WCAG 1.4.10 Reflow, which axe-core does not test: at the viewport's width nothing may need a
// horizontal scroll. Answers the elements that stick out of the viewport (or whose content is
// wider than it), innermost first, as "selector: how far"; an empty list when all fits.
const width = document.documentElement.clientWidth;
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
const wide = [];
for (const el of document.body.querySelectorAll("*")) {
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) {
    continue;
  }
  const out = Math.max(box.right - width, -box.left, el.scrollWidth - width);
  if (out > 0.5) {
    wide.push({ el, out });
  }
}
const innermost = wide.filter(({ el }) => !wide.some((other) => other.el !== el && el.contains(other.el)));
const found = innermost.map(({ el, out }) => `${name(el)}: ${Math.ceil(out)} px too wide`);
if (document.documentElement.scrollWidth > width && found.length === 0) {
  found.push(`the page is ${document.documentElement.scrollWidth - width} px wider than the viewport`);
}
return found;
