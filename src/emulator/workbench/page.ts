import { attrs, html } from '../slack/web/render/index.ts';

/** Someone the page can act as, with the sirbot roles configuration gives them. */
export interface WorkbenchPerson {
  id: string;
  name: string;
  /** What the person may do, shown beside their name ("responder", "approver", "no role"). */
  role: string;
}

export interface PageOptions {
  scenario: string | null;
  people: WorkbenchPerson[];
  channel: string;
  teamDomain: string;
  /** Message shortcuts the app declares; the page offers them on each message. */
  shortcuts: Array<{ name: string; callbackId: string }>;
}

/**
 * The page shell. It holds no data: the script asks the workbench for the person's screen
 * (rendered from the emulator's state) and fills these regions in.
 */
export function pageHtml(o: PageOptions): string {
  const people = o.people.map((p) => html`<option${attrs({ value: p.id })}>${p.name} — ${p.role}</option>`);
  const scenario = o.scenario
    ? html`<span class="wb-chip" title="the fake AWS is seeded with this scenario">scenario: ${o.scenario}</span>`
    : html`<span class="wb-chip">real AWS</span>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sirbot workbench</title>
<link rel="stylesheet" href="/workbench/app.css">
</head>
<body${attrs({ 'data-default-channel': o.channel.replace(/^#/, ''), 'data-team-domain': o.teamDomain, 'data-shortcuts': JSON.stringify(o.shortcuts) })}>
<header class="wb-top">
  <strong class="wb-brand">sirbot workbench</strong>
  ${scenario}
  <span class="wb-honest">Everything in the channel, thread, modal and Home panes is what sirbot sent to this emulated Slack.</span>
  <label class="wb-user">Acting as <select id="wb-user">${people}</select></label>
</header>
<div class="wb-layout">
  <nav class="wb-sidebar" aria-label="Workspace">
    <button type="button" id="wb-home-link" class="wb-nav-item">sirbot (Home)</button>
    <h2 class="wb-nav-title">Channels</h2>
    <ul id="wb-channels" class="wb-channels"></ul>
  </nav>
  <main class="wb-main" aria-label="Channel">
    <header class="wb-main-header"><h1 id="wb-channel-title"></h1></header>
    <div id="wb-messages" class="wb-messages wb-conversation" aria-live="polite"></div>
    <div id="wb-home" class="wb-home" hidden></div>
    <form id="wb-command-form" class="wb-composer" autocomplete="off">
      <input id="wb-command" name="command" placeholder="Message the channel, or type a command: /sir help" aria-label="Message or /sir command">
      <button type="submit" class="sb-button sb-button-primary">Send</button>
    </form>
  </main>
  <aside id="wb-thread-pane" class="wb-thread-pane" aria-label="Thread" hidden>
    <header class="wb-pane-header"><h2>Thread</h2><button type="button" id="wb-thread-close" class="sb-button" aria-label="Close thread">✕</button></header>
    <div id="wb-thread" class="wb-thread wb-conversation"></div>
    <form id="wb-reply-form" class="wb-composer" autocomplete="off">
      <textarea id="wb-reply" rows="2" placeholder="Reply in the thread (e.g. an answer to sirbot's question)" aria-label="Reply"></textarea>
      <button type="submit" class="sb-button sb-button-primary">Reply</button>
    </form>
  </aside>
  <aside class="wb-panel" aria-label="Findings">
    <section class="wb-guide">
      <h2>Try it</h2>
      <ol>
        <li>Send a finding below. sirbot posts it to a channel.</li>
        <li>Open its thread (“replies”): answer sirbot's questions, or press <em>Investigate now</em>.</li>
        <li>Read the timeline and summary; use the buttons to open a Security IR case, set the finding's status, or remediate.</li>
        <li>Type <code>/sir help</code> in the box under the channel, or a message naming a key, instance or IP and use its “⋮” menu. Switch “Acting as” to see roles at work.</li>
      </ol>
    </section>
    <section>
      <h2>Findings</h2>
      <label class="wb-field">Deliver as
        <select id="wb-wrap">
          <option value="eventbridge">EventBridge event</option>
          <option value="sns">SNS notification (EventBridge → SNS)</option>
          <option value="none">the bare finding</option>
        </select>
      </label>
      <ul id="wb-findings" class="wb-findings"></ul>
      <details class="wb-paste">
        <summary>Paste a finding or event (JSON)</summary>
        <textarea id="wb-paste" rows="6" spellcheck="false" aria-label="Finding JSON"></textarea>
        <button type="button" id="wb-paste-send" class="sb-button">Send pasted JSON</button>
      </details>
      <pre id="wb-ingest-result" class="wb-result" role="status" hidden></pre>
    </section>
    <section>
      <h2>On-call pages</h2>
      <p class="wb-hint">Incidents in the fake PagerDuty and alerts in the fake Opsgenie (a rule with <code>Acknowledge: { …, Page: pagerduty }</code> pages them). Acknowledging one here sends that service's webhook to sirbot.</p>
      <ol id="wb-paging" class="wb-aws"></ol>
    </section>
    <section>
      <h2>AWS changes</h2>
      <p class="wb-hint">Calls sirbot made that change something in AWS (the fake's log).</p>
      <ol id="wb-aws" class="wb-aws"></ol>
    </section>
  </aside>
</div>
<div id="wb-modal-layer" class="wb-layer" hidden></div>
<div id="wb-confirm-layer" class="wb-layer" hidden></div>
<div id="wb-toast" class="wb-toast" role="status" hidden></div>
<script type="module" src="/workbench/app.js"></script>
</body>
</html>
`.value;
}
