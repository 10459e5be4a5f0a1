/* The hospital's options for HepBChat.init, with defaults (README, "Web chat widget"). */
const DEFAULTS = {
  serverUrl: null,
  socketPath: "/socket.io/",
  title: "Hepatitis B questions",
  subtitle: "Answers from the patient guides",
  mainColor: "#00558c",
  language: "en",
  initialMessage: "/greet",
  inputHint: "Type a message…",
  element: null,
  kiosk: false,
  idleSeconds: 180,
};

function luminance(hex) {
  const digits = hex.length === 4 ? hex.slice(1).split("").map((d) => d + d) : hex.slice(1).match(/../g);
  const [r, g, b] = digits.map((d) => {
    const c = parseInt(d, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast of white text on a #rgb / #rrggbb colour (WCAG 2.1); null for other notations. */
export function contrastWithWhite(colour) {
  if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(colour)) return null;
  return 1.05 / (luminance(colour) + 0.05);
}

export function resolveOptions(options = {}) {
  const o = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    if (options[key] !== undefined && options[key] !== null) o[key] = options[key];
  }
  if (!o.serverUrl) throw new Error("HepBChat.init: serverUrl is required (the URL of the Rasa server)");
  o.idleSeconds = Math.max(1, Number(o.idleSeconds) || DEFAULTS.idleSeconds);
  const contrast = contrastWithWhite(o.mainColor);
  if (contrast !== null && contrast < 4.5) {
    console.warn(`HepBChat: white text on mainColor ${o.mainColor} has a contrast of ${contrast.toFixed(2)}:1;`
      + " WCAG 2.1 AA needs 4.5:1, so choose a darker colour");
  }
  return o;
}
