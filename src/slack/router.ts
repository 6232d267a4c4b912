import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { MultipleListenerError } from '@slack/bolt/dist/errors.js';

/** A listener or a listener middleware: as in Bolt, a middleware calls `next()` to go on, or answers and stops. */
export type Listener<A> = (args: A) => Promise<void>;
export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type ShortcutArgs = SlackShortcutMiddlewareArgs<SlackShortcut> & AllMiddlewareArgs;
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;

interface Route<A> {
  matches: (id: string) => boolean;
  listener: Listener<A>;
}

const matcher = (id: string | RegExp) => (typeof id === 'string' ? (x: string) => x === id : (x: string) => id.test(x));

/**
 * Where the Slack surfaces register their listeners, with Bolt's own signatures. Bolt
 * runs every request through every listener it holds (a copy of the listener's
 * middleware, a filter, a match, a few promises each), so with twenty-odd listeners
 * most of an acknowledgement's time and garbage went to listeners that did not match.
 * The router gives Bolt one listener per kind (actions, views, shortcuts, commands,
 * events), finds the matching ones by id, and runs them as Bolt would: all that match,
 * together, their failures reported to the app's error handler. Like Bolt's, each
 * registration takes listener middleware before the listener (`requireRole(…)`), run in
 * order on the request's one context, each going on with `next()`.
 */
export class SlackRouter {
  private readonly actions: Array<Route<ActionArgs>> = [];
  private readonly views: Array<Route<ViewArgs>> = [];
  private readonly shortcuts: Array<Route<ShortcutArgs>> = [];
  private readonly commands: Array<Route<CommandArgs>> = [];
  private readonly events: Array<Route<EventArgs<string>>> = [];

  /** A block action by `action_id`. The type parameter is the action kind, as with Bolt's `app.action`. */
  action<_A extends BlockAction = BlockAction>(actionId: string | RegExp, ...listeners: Array<Listener<ActionArgs>>): void {
    this.actions.push({ matches: matcher(actionId), listener: chain(listeners) });
  }

  /** A modal submission by `callback_id`. */
  view<_V extends ViewSubmitAction = ViewSubmitAction>(callbackId: string | RegExp, ...listeners: Array<Listener<ViewArgs>>): void {
    this.views.push({ matches: matcher(callbackId), listener: chain(listeners) });
  }

  /** A global or message shortcut by `callback_id`. */
  shortcut<S extends SlackShortcut = SlackShortcut>(
    callbackId: string | RegExp,
    ...listeners: Array<Listener<SlackShortcutMiddlewareArgs<S> & AllMiddlewareArgs>>
  ): void {
    this.shortcuts.push({ matches: matcher(callbackId), listener: chain(listeners) as unknown as Listener<ShortcutArgs> });
  }

  /** A slash command by name (`/sir`). */
  command(name: string, ...listeners: Array<Listener<CommandArgs>>): void {
    this.commands.push({ matches: matcher(name), listener: chain(listeners) });
  }

  /** An Events API event by type (`app_mention`, `message`…). */
  event<T extends string>(type: T, ...listeners: Array<Listener<EventArgs<T>>>): void {
    this.events.push({ matches: matcher(type), listener: chain(listeners) as unknown as Listener<EventArgs<string>> });
  }

  /** Hands Bolt one listener per kind that has any. */
  mount(app: App): void {
    const all = /(?:)/;
    if (this.actions.length > 0) app.action<BlockAction>(all, (args) => run(this.actions, (args.action as { action_id?: string }).action_id ?? '', args));
    if (this.views.length > 0) app.view<ViewSubmitAction>(all, (args) => run(this.views, args.view.callback_id, args));
    if (this.shortcuts.length > 0) app.shortcut(all, (args) => run(this.shortcuts, args.shortcut.callback_id, args));
    if (this.commands.length > 0) app.command(all, (args) => run(this.commands, args.command.command, args));
    if (this.events.length > 0) app.event(all, (args) => run(this.events, args.event.type, args as EventArgs<string>));
  }
}

/** Listener middleware and the listener as one listener: each step's `next()` runs the following one. */
function chain<A extends { next: () => Promise<void> }>(steps: Array<Listener<A>>): Listener<A> {
  if (steps.length === 1) return steps[0] as Listener<A>;
  const last = steps.length - 1;
  return (args) => {
    const step = (i: number): Promise<void> => (steps[i] as Listener<A>)(i < last ? { ...args, next: () => step(i + 1) } : args);
    return step(0);
  };
}

/** Every matching listener, together; one failure is thrown as is, several as Bolt's MultipleListenerError. */
async function run<A>(routes: Array<Route<A>>, id: string, args: A): Promise<void> {
  const matching = routes.filter((r) => r.matches(id));
  if (matching.length === 1) return (matching[0] as Route<A>).listener(args);
  const settled = await Promise.allSettled(matching.map((r) => r.listener(args)));
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as Error);
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new MultipleListenerError(failed);
}
