// The workbench page. It keeps no state of its own beyond where the person is looking
// (which is in the URL): it asks the server for the person's screen (HTML the server
// rendered from the Slack emulator's state) and sends what the person does to the server,
// which acts through an emulated Slack user, so the bot receives Slack's real, signed payloads.

import { call, escapeText, toast } from './api.js';
import { once } from './busy.js';
import { initFindingsPanel } from './findings-panel.js';
import { carryTyping, forget, showMessages, showWhole } from './regions.js';
import { addShortcutButton, closeShortcutMenus, openShortcutMenu } from './shortcut-menu.js';
import { readPlace, writePlace } from './url-state.js';

const $ = (id) => document.getElementById(id);
const POLL_MS = 700;
const SHORTCUTS = JSON.parse(document.body.dataset.shortcuts || '[]');
const PEOPLE = [...$('wb-user').options].map((o) => o.value);

const view = readPlace({ user: PEOPLE[0], channel: document.body.dataset.defaultChannel }, PEOPLE);
$('wb-user').value = view.user;

/** Goes somewhere (another channel, a thread, Home): a new history entry, then the screen there. */
function navigate(changes) {
  Object.assign(view, changes);
  writePlace(view, true);
  return refresh();
}

/** Runs something the person did, then refreshes at once; failures are shown with the server's reason, not swallowed. */
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

/** sirbot's own answer to an interaction: Slack shows the person when the app failed to take it. */
function checkAnswered(what, answer) {
  if (answer && typeof answer.status === 'number' && answer.status >= 400) toast(`${what}: sirbot answered ${answer.status}`, 'error');
}

// ---- the screen ---------------------------------------------------------------------

function renderChannels(channels, current) {
  const items = channels
    .map(
      (c) =>
        `<li><button type="button" class="wb-nav-item${current && current.id === c.id ? ' wb-current' : ''}" data-channel="${escapeText(c.name)}"><span class="wb-channel-name"># ${escapeText(c.name)}</span> <span class="wb-count">${c.messages}</span></button></li>`,
    )
    .join('');
  showWhole($('wb-channels'), items || '<li class="wb-hint">No channels yet.</li>');
}

function renderAws(aws) {
  const el = $('wb-aws');
  if (!aws) return showWhole(el, '<li class="wb-hint">Real AWS: nothing to show here.</li>');
  const rows = aws.changes.map(
    (c) =>
      `<li><time>${escapeText(c.at.slice(11, 19))}</time> <code>${escapeText(c.operation)}</code> ${escapeText(c.account)}/${escapeText(c.region)} <span class="wb-status-${c.status < 300 ? 'ok' : 'bad'}">${c.status}</span></li>`,
  );
  showWhole(el, rows.join('') || '<li class="wb-hint">Nothing changed yet.</li>');
}

function renderPaging(paging) {
  const el = $('wb-paging');
  if (!paging) return showWhole(el, '<li class="wb-hint">Real paging services: nothing to show here.</li>');
  const rows = paging.map(
    (p) =>
      `<li><code>${p.service === 'pagerduty' ? 'PagerDuty' : 'Opsgenie'} ${escapeText(p.id.slice(0, 8))}</code> ${escapeText(p.title)} <span class="wb-status-${p.status === 'triggered' || p.status === 'open' ? 'bad' : 'ok'}">${escapeText(p.status)}</span>${p.count > 1 ? ` ×${p.count}` : ''}${p.by ? ` by ${escapeText(p.by)}` : ''}${p.canAcknowledge ? ` <button type="button" class="sb-button" data-page-service="${escapeText(p.service)}" data-page-id="${escapeText(p.id)}">Acknowledge there</button>` : ''}</li>`,
  );
  showWhole(el, rows.join('') || '<li class="wb-hint">Nobody was paged yet.</li>');
}

function renderModal(modal) {
  const layer = $('wb-modal-layer');
  if (!modal) {
    layer.hidden = true;
    delete layer.dataset.key;
    layer.replaceChildren();
    return;
  }
  layer.hidden = false;
  // The same view (id and hash) stays as the person left it; an update carries their typing over, as Slack keeps input state.
  if (layer.dataset.key === modal.key) return;
  const template = document.createElement('template');
  template.innerHTML = modal.html;
  const before = layer.firstElementChild;
  const after = template.content.firstElementChild;
  const refocus = before && after && before.dataset.viewId === after.dataset.viewId ? carryTyping(before, after) : () => {};
  layer.replaceChildren(template.content);
  layer.dataset.key = modal.key;
  refocus();
}

// A poll writes to the page only what changed, so an idle page is a still page.
function setChannel(el, id) {
  if (el.dataset.channel !== id) el.dataset.channel = id;
}
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
function setHidden(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}

/** Whether the next redraw of a conversation should scroll to its end whatever the reader's position (after their own message). */
let stickNext = false;
/** Answers are applied in order: a slow poll never paints over a newer screen, or over another place. */
let asked = 0;
let painted = 0;

async function refresh() {
  const place = { ...view };
  const seq = ++asked;
  const q = new URLSearchParams({ user: place.user, channel: place.channel || '', thread: place.thread || '', home: place.home ? '1' : '' });
  const screen = await call(`/workbench/api/screen?${q}`);
  if (seq < painted || JSON.stringify(place) !== JSON.stringify(view)) return;
  painted = seq;
  renderChannels(screen.channels, place.home ? null : screen.channel);
  $('wb-home-link').classList.toggle('wb-current', place.home);
  setText($('wb-channel-title'), place.home ? 'sirbot — Home' : `# ${screen.channel ? screen.channel.name : place.channel}`);
  setHidden($('wb-home'), !place.home);
  setHidden($('wb-messages'), place.home);
  setHidden($('wb-command-form'), place.home);
  const channelId = screen.channel ? screen.channel.id : '';
  const decorate = (node) => addShortcutButton(node, SHORTCUTS);
  const stick = stickNext;
  stickNext = false;
  if (place.home) {
    showWhole($('wb-home'), screen.home ? screen.home.html : '<p class="wb-hint">Opening Home…</p>');
  } else {
    const empty =
      '<p class="wb-hint wb-empty">No messages here yet. Send a finding from the panel on the right: sirbot posts it in the channel its rules pick.</p>';
    setChannel($('wb-messages'), channelId);
    showMessages($('wb-messages'), screen.messages || empty, { conversation: `${place.user} ${channelId}`, decorate, stick: stick && !place.thread });
  }
  setHidden($('wb-thread-pane'), !screen.thread);
  if (screen.thread) {
    setChannel($('wb-thread'), channelId);
    showMessages($('wb-thread'), screen.thread.html, { conversation: `${place.user} ${channelId} ${screen.thread.ts}`, decorate, stick });
  } else {
    // A thread opened again starts at its end, as a newly opened one does.
    forget($('wb-thread'));
  }
  renderModal(screen.modal);
  renderAws(screen.aws);
  renderPaging(screen.paging);
}

/** Another person's screen: every region is drawn afresh. */
function forgetScreen() {
  for (const region of [$('wb-channels'), $('wb-messages'), $('wb-thread'), $('wb-home'), $('wb-aws'), $('wb-paging')]) forget(region);
}

// ---- where an interaction happened --------------------------------------------------

/**
 * The message or view an element sits in, as the server needs to find it again: a view by
 * its id; a message by its ts and the channel of the conversation (channel or thread) it
 * is shown in, whichever channel that is.
 */
function containerOf(el) {
  const viewEl = el.closest('[data-view-id]');
  if (viewEl) return { viewId: viewEl.dataset.viewId };
  if (el.closest('.wb-ephemeral')) return null;
  const message = el.closest('.sb-message');
  const conversation = el.closest('.wb-conversation');
  if (!message || !conversation?.dataset.channel) return null;
  return { channel: conversation.dataset.channel, ts: message.dataset.ts };
}

const whereKey = (where) => (where.viewId ? where.viewId : `${where.channel}:${where.ts}`);

function elementAction(el, extra = {}) {
  const where = containerOf(el);
  if (!where) {
    if (el.closest('.wb-ephemeral') && el.tagName !== 'A') toast('The workbench cannot send actions from a message only you can see yet', 'error');
    return undefined;
  }
  const body = { user: view.user, actionId: el.dataset.actionId, ...where, ...extra };
  if (el.dataset.blockId) body.blockId = el.dataset.blockId;
  const key = `act:${view.user}:${whereKey(where)}:${el.dataset.blockId || ''}:${el.dataset.actionId}`;
  return once(key, el, () =>
    act('The action', async () => {
      const answer = await call('/workbench/api/act', body);
      checkAnswered('The action', answer);
      return answer;
    }),
  );
}

/** Slack asks before sending an element's action when the element has a confirm dialog. */
function confirmFirst(el) {
  if (!el.dataset.confirm) return Promise.resolve(true);
  const c = JSON.parse(el.dataset.confirm);
  const text = (t) => escapeText(t?.text || '');
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

/** Sent once: while sirbot has not answered, the submit button is busy and another press sends nothing. */
function submitModal(form, button) {
  const viewId = form.dataset.viewId;
  return once(`submit:${viewId}`, button, async () => {
    const answer = await act('Submitting the modal', () => call('/workbench/api/submit', { user: view.user, viewId, values: modalValues(form) }));
    const body = answer?.body;
    if (body && body.response_action === 'errors') showErrors(form, body.errors);
    else checkAnswered('Submitting the modal', answer);
  });
}

// ---- events --------------------------------------------------------------------------

document.addEventListener('click', async (e) => {
  const t = e.target;
  const more = t.closest('.wb-more');
  if (more) return more.getAttribute('aria-expanded') === 'true' ? closeShortcutMenus() : openShortcutMenu(more, SHORTCUTS);
  const item = t.closest('.wb-menu-item[data-shortcut]');
  // Where the chosen shortcut's message is, read before the menu (inside that message) goes away.
  const where = item ? containerOf(item) : null;
  closeShortcutMenus();
  if (item) return useShortcut(where, item.dataset.shortcut);
  const page = t.closest('button[data-page-id]');
  if (page) {
    return once(`page:${page.dataset.pageId}`, page, () =>
      act('Acknowledging the page', () =>
        call('/workbench/api/paging/acknowledge', { user: view.user, service: page.dataset.pageService, id: page.dataset.pageId }),
      ),
    );
  }
  const channelLink = t.closest('[data-channel].wb-nav-item');
  if (channelLink) return navigate({ channel: channelLink.dataset.channel, thread: null, home: false });
  const file = t.closest('.sb-file[data-file-id]');
  if (file) return window.open(`/workbench/files/${encodeURIComponent(file.dataset.fileId)}`, '_blank', 'noopener');
  const threadLink = t.closest('.sb-thread-summary');
  if (threadLink) return navigate({ thread: threadLink.dataset.threadTs });
  const viewAction = t.closest('[data-view-action]');
  if (viewAction) {
    e.preventDefault();
    const form = viewAction.closest('form[data-view-id]');
    if (viewAction.dataset.viewAction === 'submit') return submitModal(form, viewAction);
    return once(`close:${form.dataset.viewId}`, viewAction, () =>
      act('Closing the modal', () => call('/workbench/api/close', { user: view.user, viewId: form.dataset.viewId })),
    );
  }
  const element = t.closest('button[data-action-id], a[data-action-id]');
  if (element && element.dataset.type !== 'static_select') {
    // A link button opens its URL (the browser does that) and still sends the action, as in Slack.
    if (element.tagName === 'BUTTON') e.preventDefault();
    if (!(await confirmFirst(element))) return;
    elementAction(element);
  }
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') closeShortcutMenus();
});

document.addEventListener('change', async (e) => {
  const el = e.target;
  if (el.id === 'wb-user') {
    view.user = el.value;
    forgetScreen();
    writePlace(view, true);
    if (view.home) await act('Opening Home', () => call('/workbench/api/home', { user: view.user }));
    return refresh();
  }
  if (!el.dataset?.actionId || el.closest('form[data-view-id].sb-modal')) return;
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
document.addEventListener('keydown', async (e) => {
  const el = e.target;
  if (e.key !== 'Enter' || !el.classList || !el.classList.contains('sb-text-input')) return;
  if (el.closest('form[data-view-id].sb-modal') || !el.closest('[data-dispatch-action]')) return;
  e.preventDefault();
  const sent = el.value;
  const answer = await elementAction(el, { value: sent });
  // Sent: what was typed is no longer the person's draft, and a redraw need not keep it.
  if (answer) el.defaultValue = sent;
});

$('wb-thread-close').addEventListener('click', () => navigate({ thread: null }));

$('wb-home-link').addEventListener('click', async () => {
  await navigate({ home: true, thread: null });
  await act('Opening Home', () => call('/workbench/api/home', { user: view.user }));
});

/** Once the person's own message is in, the conversation scrolls to it wherever they were reading. */
async function ownMessage(sending) {
  const answer = await sending;
  stickNext = true;
  return answer;
}

// Like Slack's composer: a message, or a slash command when it starts with one.
$('wb-command-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('wb-command');
  const typed = input.value.trim();
  if (!typed) return;
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(typed);
  if (m && m[1] !== 'sir') return toast(`/${m[1]} is not a command here; sirbot's is /sir (try /sir help)`, 'error');
  input.value = '';
  if (m) await act('/sir', () => ownMessage(call('/workbench/api/command', { user: view.user, channel: view.channel, text: m[2] })));
  else await act('Posting', () => ownMessage(call('/workbench/api/say', { user: view.user, channel: view.channel, text: typed })));
});

$('wb-reply-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('wb-reply');
  const text = input.value.trim();
  if (!text || !view.thread) return;
  input.value = '';
  await act('Replying', () => ownMessage(call('/workbench/api/say', { user: view.user, channel: view.channel, text, threadTs: view.thread })));
});

$('wb-reply').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    $('wb-reply-form').requestSubmit();
  }
});

// ---- message shortcuts ---------------------------------------------------------------

function useShortcut(where, callbackId) {
  if (!where?.ts) return undefined;
  return once(`shortcut:${view.user}:${whereKey(where)}:${callbackId}`, null, () =>
    act('The shortcut', async () => {
      const answer = await call('/workbench/api/shortcut', { user: view.user, ...where, callbackId });
      checkAnswered('The shortcut', answer);
      return answer;
    }),
  );
}

// ---- back, forward and start ---------------------------------------------------------

window.addEventListener('popstate', () => {
  const place = readPlace({ user: PEOPLE[0], channel: document.body.dataset.defaultChannel }, PEOPLE);
  if (place.user !== view.user) forgetScreen();
  Object.assign(view, place);
  $('wb-user').value = view.user;
  refresh().catch((err) => toast(`Cannot reach sirbot: ${err.message}`, 'error'));
});

initFindingsPanel({ followTo: (channel) => (channel !== view.channel || view.home ? navigate({ channel, thread: null, home: false }) : refresh()) });

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

// The URL names where the person is; a reload of Home opens it again for them.
writePlace(view, false);
if (view.home) act('Opening Home', () => call('/workbench/api/home', { user: view.user }));
poll();
