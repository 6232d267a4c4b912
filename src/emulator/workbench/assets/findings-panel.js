// The findings panel: the scenario's findings to send, a box for pasted JSON, and what
// sirbot's POST /ingest said about the last one sent.

import { call, escapeText, toast } from './api.js';
import { once } from './busy.js';

const $ = (id) => document.getElementById(id);

/** A new send starts with an empty result: what is shown is always about the last one. */
function clearResult() {
  const el = $('wb-ingest-result');
  el.textContent = '';
  delete el.dataset.kind;
  el.hidden = true;
}

function showResult(text, kind) {
  const el = $('wb-ingest-result');
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
}

const rejectedLines = (answer) => (answer?.rejected || []).map((r) => `\n  rejected ${r.path || '(root)'}: ${r.error || r.message || 'no reason given'}`);

function showAccepted(answer) {
  const results = (answer.results || []).map((r) => `\n  ${r.findingId}: ${r.outcome}${r.channel ? ` in ${r.channel}` : ''}${r.error ? ` (${r.error})` : ''}`);
  showResult(`POST /ingest: ${answer.accepted ?? 0} accepted${results.join('')}${rejectedLines(answer).join('')}`, 'ok');
}

/** A refusal, with the server's reason first and every rejected part it listed. */
function showRefused(err) {
  const listed = rejectedLines(err.answer);
  // The reason already names the first few parts; the list below has them all.
  showResult(`Not sent: ${err.message}${listed.length > 1 ? listed.join('') : ''}`, 'error');
}

/**
 * Wires the panel. `followTo(channel)` is called with the channel sirbot's rules sent a
 * finding to, so the page can open it there.
 */
export function initFindingsPanel({ followTo }) {
  async function send(body) {
    clearResult();
    let answer;
    try {
      answer = await call('/workbench/api/findings/send', { ...body, wrap: $('wb-wrap').value });
    } catch (err) {
      showRefused(err);
      toast(`Sending the finding failed: ${err.message}`, 'error');
      return;
    }
    showAccepted(answer);
    const went = (answer.results || []).find((r) => r.channel);
    if (went) await followTo(went.channel.replace(/^#/, ''));
  }

  $('wb-findings').addEventListener('click', (e) => {
    const button = e.target.closest('[data-finding-id]');
    if (button) once(`send:${button.dataset.findingId}`, button, () => send({ id: button.dataset.findingId }));
  });

  $('wb-paste-send').addEventListener('click', (e) => {
    const json = $('wb-paste').value;
    if (!json.trim()) return toast('Paste a finding, an EventBridge event or an SNS notification first', 'error');
    once('send:pasted', e.currentTarget, () => send({ json }));
  });

  loadFindings().catch((err) => toast(`Cannot list findings: ${err.message}`, 'error'));
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
