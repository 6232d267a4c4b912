// The workbench page. It keeps no state of its own beyond where the person is looking:
// it asks the server for the person's screen (HTML the server rendered from the Slack
// emulator's state) and sends what the person does to the server, which acts through an
// emulated Slack user, so the bot receives Slack's real, signed payloads.

const $ = (id) => document.getElementById(id);
const POLL_MS = 700;

const view = {
  user: $('wb-user').value,
  channel: document.body.dataset.channel,
  thread: null,
  home: false,
};
/** What each region last showed, so unchanged regions keep focus, scroll and half-typed input. */
const shown = { channels: '', messages: '', thread: '', modal: '', home: '', aws: '' };

async function call(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer.error || `${res.status} ${res.statusText}`);
  return answer;
}

let toastTimer;
function toast(text, kind = 'info') {
  const el = $('wb-toast');
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 6000);
}

/** Runs something the person did, then refreshes at once; failures are shown, not swallowed. */
async function act(what, fn) {
  try {
    const answer = await fn();
    await refresh();
    return answer;
  } catch (err) {
    toast(`${what} failed: ${err.message}`, 'error');
    return undefined;
  }
}

const messageCount = (htmlText) => (htmlText.match(/class="sb-message[ "]/g) || []).length;

/**
 * Replaces a region's HTML only when the server's rendering of it changed. A conversation
 * follows new messages, as Slack does; an edit elsewhere leaves the reader where they were.
 */
function put(key, el, htmlText, followNew) {
  if (shown[key] === htmlText) return false;
  const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  const grew = messageCount(htmlText) > messageCount(shown[key]);
  shown[key] = htmlText;
  el.innerHTML = htmlText;
  if (followNew && (atBottom || grew)) el.scrollTop = el.scrollHeight;
  return true;
}

function escapeText(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function renderChannels(channels, current) {
  const items = channels
    .map((c) => `<li><button type="button" class="wb-nav-item${current && current.id === c.id ? ' wb-current' : ''}" data-channel="${escapeText(c.name)}"># ${escapeText(c.name)} <span class="wb-count">${c.messages}</span></button></li>`)
    .join('');
  put('channels', $('wb-channels'), items || '<li class="wb-hint">No channels yet.</li>', false);
}

function renderAws(aws) {
  const el = $('wb-aws');
  if (!aws) return put('aws', el, '<li class="wb-hint">Real AWS: nothing to show here.</li>', false);
  const rows = aws.changes.map((c) => `<li><time>${escapeText(c.at.slice(11, 19))}</time> <code>${escapeText(c.operation)}</code> ${escapeText(c.account)}/${escapeText(c.region)} <span class="wb-status-${c.status < 300 ? 'ok' : 'bad'}">${c.status}</span></li>`);
  put('aws', el, rows.join('') || '<li class="wb-hint">Nothing changed yet.</li>', false);
}

async function refresh() {
  const q = new URLSearchParams({ user: view.user, channel: view.channel || '', thread: view.thread || '', home: view.home ? '1' : '' });
  const screen = await call(`/workbench/api/screen?${q}`);
  renderChannels(screen.channels, view.home ? null : screen.channel);
  $('wb-home-link').classList.toggle('wb-current', view.home);
  $('wb-channel-title').textContent = view.home ? 'sirbot — Home' : `# ${screen.channel ? screen.channel.name : view.channel}`;
  $('wb-home').hidden = !view.home;
  $('wb-messages').hidden = view.home;
  $('wb-command-form').hidden = view.home;
  if (view.home) {
    put('home', $('wb-home'), screen.home ? screen.home.html : '<p class="wb-hint">Opening Home…</p>', false);
  } else {
    const empty = '<p class="wb-hint wb-empty">No messages here yet. Send a finding from the panel on the right: sirbot posts it in the channel its rules pick.</p>';
    if (put('messages', $('wb-messages'), screen.messages || empty, true)) addShortcutMenus($('wb-messages'));
  }
  $('wb-thread-pane').hidden = !screen.thread;
  if (screen.thread && put('thread', $('wb-thread'), screen.thread.html, true)) addShortcutMenus($('wb-thread'));
  else shown.thread = '';
  renderModal(screen.modal);
  renderAws(screen.aws);
}

function renderModal(modal) {
  const layer = $('wb-modal-layer');
  if (!modal) {
    layer.hidden = true;
    shown.modal = '';
    layer.innerHTML = '';
    return;
  }
  layer.hidden = false;
  if (shown.modal === modal.key) return;
  shown.modal = modal.key;
  layer.innerHTML = modal.html;
}

// ---- where an interaction happened --------------------------------------------------

/** The message or view an element sits in, as the server needs to find it again. */
function containerOf(el) {
  const viewEl = el.closest('[data-view-id]');
  if (viewEl) return { viewId: viewEl.dataset.viewId };
  if (el.closest('.wb-ephemeral')) return null;
  const message = el.closest('.sb-message');
  if (!message) return null;
  const channel = el.closest('[data-channel]')?.dataset.channel || view.channel;
  return { channel, ts: message.dataset.ts };
}

function elementAction(el, extra = {}) {
  const where = containerOf(el);
  if (!where) return;
  const body = { user: view.user, actionId: el.dataset.actionId, ...where, ...extra };
  if (el.dataset.blockId) body.blockId = el.dataset.blockId;
  return act('The action', () => call('/workbench/api/act', body));
}

/** Slack asks before sending an element's action when the element has a confirm dialog. */
function confirmFirst(el) {
  if (!el.dataset.confirm) return Promise.resolve(true);
  const c = JSON.parse(el.dataset.confirm);
  const text = (t) => escapeText((t && t.text) || '');
  const layer = $('wb-confirm-layer');
  layer.innerHTML = `<div class="wb-confirm sb-view" role="alertdialog" aria-modal="true"><h2 class="sb-modal-title">${text(c.title) || 'Are you sure?'}</h2><p>${text(c.text)}</p><footer class="sb-modal-footer"><button type="button" class="sb-button" data-confirm-answer="no">${text(c.deny) || 'Cancel'}</button><button type="button" class="sb-button ${c.style === 'danger' ? 'sb-button-danger' : 'sb-button-primary'}" data-confirm-answer="yes">${text(c.confirm) || 'Yes'}</button></footer></div>`;
  layer.hidden = false;
  return new Promise((resolve) => {
    layer.onclick = (e) => {
      const answer = e.target.closest('[data-confirm-answer]');
      if (!answer) return;
      layer.hidden = true;
      layer.innerHTML = '';
      resolve(answer.dataset.confirmAnswer === 'yes');
    };
  });
}

// ---- modals --------------------------------------------------------------------------

/** The modal's inputs as the person left them, by block id, in the shapes Slack's state uses. */
function modalValues(form) {
  const values = {};
  for (const el of form.querySelectorAll('.sb-input [data-block-id][data-action-id]')) {
    const block = el.dataset.blockId;
    if (el.tagName === 'SELECT') {
      if (el.multiple) values[block] = { options: [...el.selectedOptions].map((o) => o.value).filter(Boolean) };
      else if (el.value) values[block] = { option: el.value };
    } else if (el.tagName === 'INPUT' && el.type === 'date') {
      if (el.value) values[block] = { date: el.value };
    } else if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') {
      values[block] = el.value;
    } else if (el.classList.contains('sb-radio-buttons')) {
      const checked = el.querySelector('input:checked');
      if (checked) values[block] = { option: checked.value };
    } else if (el.classList.contains('sb-checkboxes')) {
      values[block] = { options: [...el.querySelectorAll('input:checked')].map((i) => i.value) };
    }
  }
  return values;
}

function showErrors(form, errors) {
  for (const old of form.querySelectorAll('.wb-input-error')) old.remove();
  for (const [block, message] of Object.entries(errors || {})) {
    const where = form.querySelector(`.sb-input[data-block-id="${CSS.escape(block)}"]`) || form.querySelector('.sb-view-body');
    const p = document.createElement('p');
    p.className = 'wb-input-error';
    p.textContent = message;
    where.append(p);
  }
}

async function submitModal(form) {
  const answer = await act('Submitting the modal', () => call('/workbench/api/submit', { user: view.user, viewId: form.dataset.viewId, values: modalValues(form) }));
  const body = answer && answer.body;
  if (body && body.response_action === 'errors') showErrors(form, body.errors);
  else if (answer && answer.status !== 200) toast(`sirbot answered ${answer.status}`, 'error');
}

// ---- events --------------------------------------------------------------------------

document.addEventListener('click', async (e) => {
  const t = e.target;
  const channelLink = t.closest('[data-channel].wb-nav-item');
  if (channelLink) {
    Object.assign(view, { channel: channelLink.dataset.channel, thread: null, home: false });
    return refresh();
  }
  const file = t.closest('.sb-file[data-file-id]');
  if (file) return window.open(`/workbench/files/${encodeURIComponent(file.dataset.fileId)}`, '_blank', 'noopener');
  const threadLink = t.closest('.sb-thread-summary');
  if (threadLink) {
    view.thread = threadLink.dataset.threadTs;
    return refresh();
  }
  const viewAction = t.closest('[data-view-action]');
  if (viewAction) {
    e.preventDefault();
    const form = viewAction.closest('form[data-view-id]');
    if (viewAction.dataset.viewAction === 'submit') return submitModal(form);
    return act('Closing the modal', () => call('/workbench/api/close', { user: view.user, viewId: form.dataset.viewId }));
  }
  const element = t.closest('button[data-action-id], a[data-action-id]');
  if (element && element.dataset.type !== 'static_select') {
    // A link button opens its URL (the browser does that) and still sends the action, as in Slack.
    if (element.tagName === 'BUTTON') e.preventDefault();
    if (!(await confirmFirst(element))) return;
    elementAction(element);
  }
});

document.addEventListener('change', async (e) => {
  const el = e.target;
  if (el.id === 'wb-user') {
    view.user = el.value;
    Object.keys(shown).forEach((k) => (shown[k] = ''));
    if (view.home) await act('Opening Home', () => call('/workbench/api/home', { user: view.user }));
    return refresh();
  }
  if (!el.dataset || !el.dataset.actionId || el.closest('form[data-view-id].sb-modal')) return;
  if (el.tagName === 'SELECT' && el.value) {
    const option = el.value;
    if (el.classList.contains('sb-overflow')) el.selectedIndex = 0;
    if (!(await confirmFirst(el))) return;
    elementAction(el, { option });
  } else if (el.tagName === 'INPUT' && el.type === 'date' && el.value) {
    elementAction(el, { date: el.value });
  }
});

// Text inputs that dispatch their action (dispatch_action) send it on Enter, as in Slack.
document.addEventListener('keydown', (e) => {
  const el = e.target;
  if (e.key !== 'Enter' || !el.classList || !el.classList.contains('sb-text-input')) return;
  if (el.closest('form[data-view-id].sb-modal') || !el.closest('[data-dispatch-action]')) return;
  e.preventDefault();
  elementAction(el, { value: el.value });
});

$('wb-thread-close').addEventListener('click', () => {
  view.thread = null;
  refresh();
});

$('wb-home-link').addEventListener('click', async () => {
  Object.assign(view, { home: true, thread: null });
  await refresh();
  await act('Opening Home', () => call('/workbench/api/home', { user: view.user }));
});

// Like Slack's composer: a message, or a slash command when it starts with one.
$('wb-command-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('wb-command');
  const typed = input.value.trim();
  if (!typed) return;
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(typed);
  if (m && m[1] !== 'sir') return toast(`/${m[1]} is not a command here; sirbot's is /sir (try /sir help)`, 'error');
  input.value = '';
  if (m) await act('/sir', () => call('/workbench/api/command', { user: view.user, channel: view.channel, text: m[2] }));
  else await act('Posting', () => call('/workbench/api/say', { user: view.user, channel: view.channel, text: typed }));
});

// ---- message shortcuts ---------------------------------------------------------------

const SHORTCUTS = JSON.parse(document.body.dataset.shortcuts || '[]');

/** Slack's "More actions" menu on each message, offering the app's message shortcuts. */
function addShortcutMenus(root) {
  if (SHORTCUTS.length === 0) return;
  for (const header of root.querySelectorAll('.sb-message > .sb-message-header')) {
    if (header.closest('.wb-ephemeral') || header.querySelector('.wb-shortcuts')) continue;
    const menu = document.createElement('select');
    menu.className = 'wb-shortcuts';
    menu.setAttribute('aria-label', 'More actions');
    menu.append(new Option('⋮', '', true, true), ...SHORTCUTS.map((s) => new Option(s.name, s.callbackId)));
    menu.options[0].disabled = true;
    header.append(menu);
  }
}

document.addEventListener('change', (e) => {
  const menu = e.target;
  if (!menu.classList || !menu.classList.contains('wb-shortcuts') || !menu.value) return;
  const callbackId = menu.value;
  menu.selectedIndex = 0;
  const where = containerOf(menu);
  if (where) act('The shortcut', () => call('/workbench/api/shortcut', { user: view.user, ...where, callbackId }));
});

$('wb-reply-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('wb-reply');
  const text = input.value.trim();
  if (!text || !view.thread) return;
  input.value = '';
  await act('Replying', () => call('/workbench/api/say', { user: view.user, channel: view.channel, text, threadTs: view.thread }));
});

$('wb-reply').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    $('wb-reply-form').requestSubmit();
  }
});

// ---- findings panel ------------------------------------------------------------------

function showIngest(answer) {
  const el = $('wb-ingest-result');
  el.hidden = false;
  const rejected = (answer.rejected || []).map((r) => `\n  rejected ${r.path}: ${r.message}`);
  const results = (answer.results || []).map((r) => `\n  ${r.findingId}: ${r.outcome}${r.channel ? ` in ${r.channel}` : ''}${r.error ? ` (${r.error})` : ''}`);
  el.textContent = `POST /ingest: ${answer.accepted ?? 0} accepted${results.join('')}${rejected.join('')}`;
}

async function sendFinding(body) {
  const answer = await act('Sending the finding', () => call('/workbench/api/findings/send', { ...body, wrap: $('wb-wrap').value }));
  if (!answer) return;
  showIngest(answer);
  // Follow the finding to the channel sirbot's rules sent it to.
  const went = (answer.results || []).find((r) => r.channel);
  if (went && went.channel.replace(/^#/, '') !== view.channel) {
    Object.assign(view, { channel: went.channel.replace(/^#/, ''), thread: null, home: false });
    await refresh();
  }
}

async function loadFindings() {
  const { scenario, findings } = await call('/workbench/api/findings');
  const list = $('wb-findings');
  if (findings.length === 0) {
    list.innerHTML = `<li class="wb-hint">${scenario ? 'This scenario has no findings to send.' : 'No scenario: paste a finding below.'}</li>`;
    return;
  }
  list.innerHTML = findings
    .map(
      (f) =>
        `<li class="wb-finding"><div class="wb-finding-title">${escapeText(f.title)}</div><div class="wb-finding-meta">${escapeText(f.kind)} · ${escapeText(f.severity)} · ${escapeText(f.account)} · <code>${escapeText(f.file)}</code></div><button type="button" class="sb-button" data-finding-id="${escapeText(f.id)}">Send</button></li>`,
    )
    .join('');
}

$('wb-findings').addEventListener('click', (e) => {
  const button = e.target.closest('[data-finding-id]');
  if (button) sendFinding({ id: button.dataset.findingId });
});

$('wb-paste-send').addEventListener('click', () => {
  const json = $('wb-paste').value;
  if (!json.trim()) return toast('Paste a finding, an EventBridge event or an SNS notification first', 'error');
  sendFinding({ json });
});

// ---- start ---------------------------------------------------------------------------

let polling = false;
async function poll() {
  if (!polling) {
    polling = true;
    try {
      await refresh();
    } catch (err) {
      toast(`Cannot reach sirbot: ${err.message}`, 'error');
    } finally {
      polling = false;
    }
  }
  setTimeout(poll, POLL_MS);
}

loadFindings().catch((err) => toast(`Cannot list findings: ${err.message}`, 'error'));
poll();
