// Shows one screen at a time. Each screen module registers {enter(data), leave()}; showing a
// screen hides the others, calls its enter and moves the focus to its heading, so keyboard and
// screen-reader users start at the top of the new screen.

const screens = new Map();
let currentName = null;

/** Registers a screen by the id suffix of its <section id="screen-NAME">. */
export function register(name, handlers) {
  screens.set(name, handlers);
}

/** The screen on show. */
export function current() {
  return currentName;
}

/** Shows screen `name`, handing `data` to its enter(). */
export async function show(name, data) {
  const previous = currentName && screens.get(currentName);
  if (previous && previous.leave) {
    previous.leave();
  }
  for (const section of document.querySelectorAll("section.screen")) {
    section.hidden = section.id !== `screen-${name}`;
  }
  currentName = name;
  const handlers = screens.get(name);
  if (handlers && handlers.enter) {
    await handlers.enter(data);
  }
  const heading = document.querySelector(`#screen-${name} h1`);
  if (heading) {
    heading.focus();
  }
}
