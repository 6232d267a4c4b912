// Showing what the server rendered without losing the person's place: a poll that brings
// nothing new changes nothing on the page, and one that does replaces only the messages
// that changed, so scroll position, focus and half-typed answers stay where they were.

/** Each shown element → the server's HTML it was made from (what the next poll is compared with). */
const madeFrom = new WeakMap();
/** Each region → the HTML it last showed. */
const lastShown = new WeakMap();

/** A message's identity across polls: its ts (an ephemeral's too); anything else its place. */
function keyOf(el, index) {
  if (el.dataset?.ts) return `m:${el.dataset.ts}`;
  const inner = el.querySelector?.('[data-ts]');
  return inner ? `${el.className}:${inner.dataset.ts}` : `at:${index}`;
}

const controlKey = (el) => [el.tagName, el.type || '', el.dataset.blockId || '', el.dataset.actionId || '', el.name || ''].join('|');

/**
 * What the person typed into `before`'s text fields, moved into the same fields of `after`
 * (same block and action) when the server did not change their initial value; returns how
 * to give focus back once `before` is gone.
 */
export function carryTyping(before, after) {
  let refocus = () => {};
  const active = document.activeElement;
  const twins = new Map();
  for (const el of after.querySelectorAll('input, textarea')) if (!twins.has(controlKey(el))) twins.set(controlKey(el), el);
  for (const el of before.querySelectorAll('input, textarea')) {
    if (el.type === 'checkbox' || el.type === 'radio' || el.type === 'hidden') continue;
    const twin = twins.get(controlKey(el));
    if (!twin) continue;
    if (el.value !== el.defaultValue && twin.defaultValue === el.defaultValue) twin.value = el.value;
    if (el === active) {
      let range = null;
      try {
        range = [el.selectionStart, el.selectionEnd];
      } catch {}
      refocus = () => {
        twin.focus({ preventScroll: true });
        try {
          if (range && range[0] !== null) twin.setSelectionRange(range[0], range[1]);
        } catch {}
      };
    }
  }
  return refocus;
}

const nearBottom = (el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40;

/**
 * Shows `htmlText` (one element per message) in `el`. Unchanged messages stay the same
 * nodes; changed ones are replaced, carrying typed text and focus over; `decorate` runs on
 * each new node. A reader at the bottom follows new messages, as in Slack; one who scrolled
 * up stays where they are. Another conversation (`conversation` changed) starts at its end.
 * Returns whether anything changed.
 */
export function showMessages(el, htmlText, { conversation, decorate = () => {}, follow = true, stick = false }) {
  const switched = el.dataset.conversation !== conversation;
  if (!switched && lastShown.get(el) === htmlText) return false;
  const followNew = follow && (switched || stick || nearBottom(el));
  lastShown.set(el, htmlText);
  el.dataset.conversation = conversation;

  const template = document.createElement('template');
  template.innerHTML = htmlText;
  const fresh = [...template.content.children];
  const old = new Map();
  if (!switched) for (const [i, node] of [...el.children].entries()) old.set(keyOf(node, i), node);
  const keep = new Set();
  const refocus = [];
  let cursor = switched ? null : el.firstElementChild;
  fresh.forEach((node, i) => {
    const html = node.outerHTML;
    const before = old.get(keyOf(node, i));
    let shown = node;
    if (before && madeFrom.get(before) === html) shown = before;
    else {
      madeFrom.set(node, html);
      if (before) refocus.push(carryTyping(before, node));
      decorate(node);
    }
    keep.add(shown);
    if (shown === cursor) cursor = cursor.nextElementSibling;
    else el.insertBefore(shown, cursor);
  });
  for (const node of [...el.children]) if (!keep.has(node)) node.remove();
  for (const give of refocus) give();
  if (followNew) el.scrollTop = el.scrollHeight;
  return true;
}

/** Shows `htmlText` in a region that is one piece (Home, the channel list, the AWS list): replaced only when it changed. */
export function showWhole(el, htmlText) {
  if (lastShown.get(el) === htmlText) return false;
  lastShown.set(el, htmlText);
  el.innerHTML = htmlText;
  return true;
}

/** Forgets what a region showed, so the next poll draws it afresh (another person's screen). */
export function forget(el) {
  lastShown.delete(el);
  delete el.dataset.conversation;
}
