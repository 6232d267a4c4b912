// Talking to the workbench server, and telling the person what happened.

/**
 * One call to the workbench: its JSON answer, or an Error whose message is the server's
 * reason (never a bare status line when the server gave one) and which carries the answer.
 */
export async function call(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const answer = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((answer && typeof answer.error === 'string' && answer.error) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    err.answer = answer;
    throw err;
  }
  return answer;
}

let toastTimer;
export function toast(text, kind = 'info') {
  const el = document.getElementById('wb-toast');
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), kind === 'error' ? 10000 : 6000);
}

export function escapeText(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
