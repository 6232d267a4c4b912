// Slack's client sends a press once: while the app has not answered, the button is busy
// and a second press (a double-click) does nothing. The page does the same.

const pending = new Set();

function markBusy(el, busy) {
  if (!el) return;
  if (busy) el.setAttribute('aria-busy', 'true');
  else el.removeAttribute('aria-busy');
  // Only buttons are disabled: a disabled text field or select would lose the person's focus.
  if (el.tagName === 'BUTTON') el.disabled = busy;
}

/**
 * Runs `work` unless the same `key` is already under way (then nothing is sent). `el`, the
 * control pressed, shows it is busy meanwhile; a redraw may replace it, the key still holds.
 */
export async function once(key, el, work) {
  if (pending.has(key)) return undefined;
  pending.add(key);
  markBusy(el, true);
  try {
    return await work();
  } finally {
    pending.delete(key);
    markBusy(el, false);
  }
}
