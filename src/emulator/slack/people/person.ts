import type { EmulatedView } from '../views-state.ts';
import type { EmulatedMessage, Workspace } from '../workspace.ts';
import {
  appHomeOpenedEvent,
  elementsOf,
  messageShortcutPayload,
  slashCommandFields,
  stateValues,
  viewClosedPayload,
  viewSubmissionPayload,
  type Actor,
  APP_ID,
  LEGACY_TOKEN,
  payloadView,
  type InputValue,
} from './payloads.ts';
import { type Answered, type Delivery, httpDelivery } from './delivery.ts';
import { eventCallback } from './sign.ts';
import { buildView, parseView } from '../methods/view-args.ts';

// biome-ignore lint/suspicious/noExplicitAny: Slack's payloads are read field by field as Slack documents them; each use is shape-checked where it matters.
type Json = Record<string, any>;

export type { InputValue } from './payloads.ts';

/** How a person answers an element: the option they pick, the date, or the text they type. */
export interface ActionChoice {
  /** The element's block, when the same action id appears in more than one block. */
  blockId?: string;
  option?: string;
  date?: string;
  value?: string;
}

function findElement(blocks: unknown[] | undefined, actionId: string | RegExp, where: string, blockId?: string): { block: Json; element: Json } {
  const found = elementsOf(blocks).find(
    ({ block, element }) =>
      (blockId === undefined || block.block_id === blockId) &&
      (typeof actionId === 'string' ? element.action_id === actionId : actionId.test(String(element.action_id))),
  );
  if (!found) throw new Error(`no element ${String(actionId)} in ${where}: ${JSON.stringify(blocks).slice(0, 400)}`);
  return found;
}

/** The `actions[0]` Slack sends for an element, shaped by the element's type. */
function actionOf(block: Json, element: Json, o: ActionChoice): Json {
  const action: Json = { type: element.type, action_id: element.action_id, block_id: block.block_id ?? 'b', action_ts: `${Date.now() / 1000}` };
  switch (element.type) {
    case 'button':
      return Object.assign(action, { value: element.value ?? '', text: element.text });
    case 'static_select':
    case 'overflow': {
      const option = ((element.options ?? []) as Json[]).find((opt) => opt.value === o.option);
      if (!option) throw new Error(`no option ${o.option} in ${element.action_id}`);
      return Object.assign(action, { selected_option: option });
    }
    case 'datepicker':
      if (!o.date || !/^\d{4}-\d{2}-\d{2}$/.test(o.date)) throw new Error(`${element.action_id} needs a date (YYYY-MM-DD), got ${o.date}`);
      return Object.assign(action, { selected_date: o.date });
    case 'plain_text_input':
      return Object.assign(action, { value: o.value ?? '' });
    default:
      return action;
  }
}

export type { Answered, Delivery } from './delivery.ts';

/**
 * A person in the emulated workspace, acting on what the bot actually posted: clicks
 * the buttons in its messages, fills in and submits the modals it opened, runs `/sir`,
 * replies in threads, uses shortcuts, opens App Home. Every interaction is Slack's real
 * payload, with a trigger id the emulator issued, signed and sent to the bot's
 * receiver: the workbench page and the tests drive the bot the way Slack does.
 */
export class EmulatedPerson {
  private readonly delivery: Delivery;

  /** Slack reaches the bot over signed HTTP to `receiverUrl`, unless a `delivery` (Socket Mode) is given. */
  constructor(private readonly o: { receiverUrl: string; signingSecret: string; workspace: Workspace; id: string; name?: string; delivery?: Delivery }) {
    this.delivery = o.delivery ?? httpDelivery(o.receiverUrl, o.signingSecret);
  }

  get id(): string {
    return this.o.id;
  }

  private get ws() {
    return this.o.workspace;
  }

  private user() {
    return { id: this.o.id, username: this.o.name ?? this.o.id.toLowerCase(), name: this.o.name ?? this.o.id.toLowerCase(), team_id: this.ws.teamId };
  }

  private actor(): Actor {
    return { user: this.o.id, ...(this.o.name ? { userName: this.o.name } : {}), teamId: this.ws.teamId, teamDomain: this.ws.teamDomain };
  }

  private trigger(): string {
    return this.ws.surfaces.issueTrigger(Date.now(), this.o.id);
  }

  /**
   * Uses the element `actionId` (or the first matching) in a message: clicks a button, or
   * answers it with `option` (select, overflow), `date` (datepicker) or `value` (a text
   * input that dispatches its action on Enter).
   */
  async click(message: EmulatedMessage, actionId: string | RegExp, o: ActionChoice = {}): Promise<Answered> {
    const { block, element } = findElement(message.blocks, actionId, `message ${message.ts}`, o.blockId);
    const action = actionOf(block, element, o);
    const channel = message.channel;
    const thread = message.thread_ts ? { thread_ts: message.thread_ts } : {};
    return this.blockActions(action, {
      container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false, ...thread },
      channel: { id: channel, name: this.ws.channel(channel)?.name ?? channel },
      message: { type: 'message', ts: message.ts, text: message.text ?? '', blocks: message.blocks, user: message.user, ...thread },
      // A text input in a message dispatches with its value in the message's state too.
      ...(block.type === 'input' ? { state: { values: { [block.block_id]: { [element.action_id]: action } } } } : {}),
      response_url: 'https://hooks.slack.invalid/actions/1',
    });
  }

  /** The same, on an element of a view: the Home tab or an open modal. */
  async clickInView(view: EmulatedView, actionId: string | RegExp, o: ActionChoice = {}): Promise<Answered> {
    const { block, element } = findElement(view.blocks, actionId, `view ${view.id}`, o.blockId);
    return this.blockActions(actionOf(block, element, o), {
      container: { type: 'view', view_id: view.id },
      view: payloadView(view, view.type === 'modal' ? stateValues(view) : {}),
    });
  }

  /** `block_actions` with what every one carries, and where the element was. */
  private blockActions(action: Json, where: Json): Promise<Answered> {
    const payload = {
      type: 'block_actions',
      team: { id: this.ws.teamId, domain: this.ws.teamDomain },
      user: this.user(),
      api_app_id: APP_ID,
      token: LEGACY_TOKEN,
      trigger_id: this.trigger(),
      ...where,
      actions: [action],
    };
    return this.delivery.deliver('interactive', payload);
  }

  /** The modal on top of this person's stack, as the bot last opened or updated it. */
  modal(): EmulatedView | undefined {
    return this.ws.surfaces.top(this.o.id);
  }

  /** Waits until a modal (optionally with this callback id and no "Preparing" placeholder) is open. */
  async waitForModal(callbackId?: string, ready: (v: EmulatedView) => boolean = () => true, timeoutMs = 10_000): Promise<EmulatedView> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = this.modal();
      if (v && (!callbackId || v.callback_id === callbackId) && ready(v)) return v;
      if (Date.now() > end) throw new Error(`no modal ${callbackId ?? ''} opened for ${this.o.id}; top is ${JSON.stringify(v?.blocks ?? null).slice(0, 400)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Submits the top modal (or `view`). Inputs keep their initial values unless `values` (by
   * block id) says otherwise. Like Slack, the modal closes on a plain ack, stays open on errors
   * and is replaced by the answer's view on `update`.
   */
  async submit(values: Record<string, InputValue> = {}, view: EmulatedView | undefined = this.modal()): Promise<Answered> {
    if (!view) throw new Error(`${this.o.id} has no open modal`);
    const payload = viewSubmissionPayload({ ...this.actor(), view, values: stateValues(view, values), triggerId: this.trigger() });
    const answer = await this.delivery.deliver('interactive', payload);
    // A plain ack closes the submitted modal (back to the one under it); `clear` closes them all;
    // `update` puts the answer's view in its place, as Slack does (an invalid one leaves it as it was).
    if (answer.body?.response_action === 'clear') this.ws.surfaces.close(this.o.id);
    else if (answer.body?.response_action === 'update') this.replaceView(view, answer.body.view);
    else if (!answer.body || Object.keys(answer.body).length === 0) this.ws.surfaces.closeView(this.o.id, view.id);
    return answer;
  }

  private replaceView(view: EmulatedView, next: unknown): void {
    const parsed = parseView({ view: next }, 'modal');
    if ('refusal' in parsed) return;
    const ctx = { ws: this.ws, now: Date.now(), origin: '' };
    this.ws.surfaces.save(buildView(parsed.view, ctx, { user: view.user, id: view.id, rootId: view.root_view_id, previousId: view.previous_view_id }));
  }

  /**
   * Closes the top modal with its close button: back one modal, or the whole stack when the
   * view has `clear_on_close`. The bot hears of it when the view asked for `notify_on_close`.
   */
  async cancel(view: EmulatedView | undefined = this.modal()): Promise<Answered | null> {
    if (!view) throw new Error(`${this.o.id} has no open modal`);
    if (view.clear_on_close) this.ws.surfaces.close(this.o.id);
    else this.ws.surfaces.closeView(this.o.id, view.id);
    if (!view.notify_on_close) return null;
    return this.delivery.deliver('interactive', viewClosedPayload({ ...this.actor(), view, isCleared: view.clear_on_close }));
  }

  /** `/sir <text>` typed in a channel. */
  async command(text: string, channel: string, command = '/sir'): Promise<Answered> {
    const where = { id: this.ws.channelId(channel) ?? channel, name: this.ws.channel(channel)?.name ?? channel };
    const fields = slashCommandFields({
      ...this.actor(),
      command,
      text,
      channel: where,
      triggerId: this.trigger(),
      responseUrl: 'https://hooks.slack.invalid/commands/1',
    });
    return this.delivery.deliver('slash_commands', fields);
  }

  /** A message shortcut on someone's message. */
  async shortcut(message: EmulatedMessage, callbackId: string): Promise<Answered> {
    const channel = { id: message.channel, name: this.ws.channel(message.channel)?.name ?? message.channel };
    const payload = messageShortcutPayload({
      ...this.actor(),
      callbackId,
      message,
      channel,
      triggerId: this.trigger(),
      responseUrl: 'https://hooks.slack.invalid/actions/2',
    });
    return this.delivery.deliver('interactive', payload);
  }

  /** Opens sirbot's Home tab. */
  async openHome(): Promise<Answered> {
    const home = this.ws.surfaces.home(this.o.id);
    return this.delivery.deliver('events_api', eventCallback(appHomeOpenedEvent({ user: this.o.id, ...(home ? { view: home } : {}) }), this.ws.teamId));
  }

  /**
   * Says something in a channel or a thread: the message is stored as Slack would, and the
   * bot gets the `message` event, and `app_mention` too when the text mentions it.
   */
  async say(channel: string, text: string, threadTs?: string, attach: Array<{ name: string; content: Buffer }> = []): Promise<EmulatedMessage> {
    const id = this.ws.resolve(channel, true) as string;
    // Files shared with the message, as Slack keeps them: their bytes behind the private URL files.info gives.
    const files = attach.map((a) => {
      const file = this.ws.reserveFile(a.name, a.content.length);
      Object.assign(file, { content: a.content, channel: id, threadTs: threadTs ?? null });
      return { id: file.id, name: file.name, title: file.title };
    });
    const message = this.ws.add({
      channel: id,
      ts: this.ws.nextTs(Date.now()),
      user: this.o.id,
      text,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(files.length > 0 ? { files } : {}),
    });
    const event = {
      channel: id,
      user: this.o.id,
      text,
      ts: message.ts,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(files.length > 0 ? { files, subtype: 'file_share' } : {}),
      event_ts: message.ts,
    };
    await this.delivery.deliver('events_api', eventCallback({ type: 'message', ...event, channel_type: 'channel' }, this.ws.teamId));
    if (text.includes(`<@${this.ws.botUserId}>`)) await this.delivery.deliver('events_api', eventCallback({ type: 'app_mention', ...event }, this.ws.teamId));
    return message;
  }
}
