// Who is logging in, in words a person recognises: "Chrome 156 · Linux" instead of the
// browser's whole user-agent string, which stays available as the element's title.

// Browsers in the order they must be tested: Edge and Opera also say "Chrome", Chrome also
// says "Safari", so the more specific names come first.
const BROWSERS = [
  ["Edge", /Edg(?:e|A|iOS)?\/(\d+)/],
  ["Opera", /OPR\/(\d+)/],
  ["Firefox", /(?:Firefox|FxiOS)\/(\d+)/],
  ["Chrome", /(?:Headless)?(?:Chrome|CriOS)\/(\d+)/],
  ["Safari", /Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//],
];

// Operating systems, likewise most specific first (Android says "Linux", iOS says "Mac OS X").
const SYSTEMS = [
  ["Android", /Android/],
  ["iOS", /iPhone|iPad|iPod/],
  ["ChromeOS", /CrOS/],
  ["Windows", /Windows/],
  ["macOS", /Mac OS X|Macintosh/],
  ["Linux", /Linux|X11/],
];

/** A short name for `userAgent` ("Firefox 133 · Windows"); the string itself if nothing is known. */
export function describeUserAgent(userAgent) {
  const browser = BROWSERS.map(([name, pattern]) => {
    const match = userAgent.match(pattern);
    return match && `${name} ${match[1]}`;
  }).find(Boolean);
  const system = SYSTEMS.find(([, pattern]) => pattern.test(userAgent))?.[0];
  const parts = [browser, system].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : userAgent;
}
