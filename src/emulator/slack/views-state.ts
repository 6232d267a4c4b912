import { randomBytes } from 'node:crypto';

/** A view as the Web API returns it (views.open, views.update, views.publish), plus whose it is. */
export interface EmulatedView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  /** The emulator's bookkeeping: whose screen the view is on. Not part of Slack's answer. */
  user: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  /** Modals only; Slack answers null for a submit or close button the view does not set. */
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  state: { values: Record<string, unknown> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export type TriggerProblem = 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id';

/** Slack lets a trigger be exchanged once, within three seconds of the interaction. */
export const TRIGGER_TTL_MS = 3000;
/** A root modal and two pushed on it: "the app is limited to pushing 2 additional views". */
export const MAX_STACK = 3;

/**
 * Modals and Home tabs: the trigger ids the emulator has handed out (in the interaction
 * payloads tests and the workbench send), each user's modal stack, and Home views.
 */
export class ViewSurfaces {
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean; user: string }>();
  private readonly views = new Map<string, EmulatedView>();
  private readonly stacks = new Map<string, string[]>();
  private readonly homes = new Map<string, string>();
  /** The modal each user was last shown (opened, pushed or updated), open or since closed. */
  private readonly latestModal = new Map<string, string>();
  private seq = 0;

  /** A trigger for an interaction of `user`: the modal it opens is on their screen. */
  issueTrigger(now: number, user: string): string {
    // Slack's shape ("12345.98765.abcd2358fdea"), which apps sometimes check before calling.
    const id = `${Math.floor(now / 1000)}.${++this.seq}.${randomBytes(8).toString('hex')}`;
    this.triggers.set(id, { issuedAt: now, used: false, user });
    return id;
  }

  triggerUser(triggerId: string): string | undefined {
    return this.triggers.get(triggerId)?.user;
  }

  /** Exchanges a trigger for the right to open a modal, or names why it cannot be. */
  exchange(triggerId: string, now: number): 'ok' | TriggerProblem {
    const t = this.triggers.get(triggerId);
    if (!t) return 'invalid_trigger_id';
    if (t.used) return 'exchanged_trigger_id';
    if (now - t.issuedAt > TRIGGER_TTL_MS) return 'expired_trigger_id';
    t.used = true;
    return 'ok';
  }

  newViewId(): string {
    return `V${(++this.seq).toString(36).toUpperCase().padStart(10, '0')}`;
  }

  newHash(): string {
    return `${Date.now()}.${randomBytes(4).toString('hex')}`;
  }

  byId(id: string): EmulatedView | undefined {
    return this.views.get(id);
  }

  /**
   * The view on screen with this external id. Slack frees an external id when its modal
   * closes, so only open modals and Home views hold one.
   */
  byExternalId(externalId: string): EmulatedView | undefined {
    if (externalId === '') return undefined;
    return this.onScreen().find((v) => v.external_id === externalId);
  }

  private onScreen(): EmulatedView[] {
    const ids = [...[...this.stacks.values()].flat(), ...this.homes.values()];
    return ids.map((id) => this.views.get(id)).filter((v): v is EmulatedView => v !== undefined);
  }

  save(view: EmulatedView): void {
    this.views.set(view.id, view);
    if (view.type === 'modal') this.latestModal.set(view.user, view.id);
  }

  stack(user: string): string[] {
    let s = this.stacks.get(user);
    if (!s) {
      s = [];
      this.stacks.set(user, s);
    }
    return s;
  }

  /** The modal a user sees on top, if any. */
  top(user: string): EmulatedView | undefined {
    const id = this.stack(user).at(-1);
    return id ? this.views.get(id) : undefined;
  }

  /** The modals a user has open, the root first. */
  modals(user: string): EmulatedView[] {
    return this.stack(user).map((id) => this.views.get(id) as EmulatedView);
  }

  /** The modal the bot last opened, pushed or updated for a user, even if it has closed since. */
  latest(user: string): EmulatedView | undefined {
    const id = this.latestModal.get(user);
    return id ? this.views.get(id) : undefined;
  }

  /** Closes a user's modal stack, as a submission that answers nothing, or Cancel, does. */
  close(user: string): void {
    this.stacks.set(user, []);
  }

  /**
   * Closes one modal of a user's stack and any pushed on it, back to the one under it: what
   * a plain ack of its submission, or its Back button, does. A modal not on screen changes nothing.
   */
  closeView(user: string, viewId: string): void {
    const stack = this.stack(user);
    const at = stack.indexOf(viewId);
    if (at >= 0) stack.length = at;
  }

  setHome(user: string, viewId: string): void {
    this.homes.set(user, viewId);
  }

  home(user: string): EmulatedView | undefined {
    const id = this.homes.get(user);
    return id ? this.views.get(id) : undefined;
  }

  /** Each user's open modals (root first) and Home view, for inspection. */
  snapshot(): { modals: Record<string, EmulatedView[]>; homes: Record<string, EmulatedView> } {
    const modals: Record<string, EmulatedView[]> = {};
    for (const [user, ids] of this.stacks) if (ids.length > 0) modals[user] = this.modals(user);
    const homes: Record<string, EmulatedView> = {};
    for (const [user, id] of this.homes) homes[user] = this.views.get(id) as EmulatedView;
    return { modals, homes };
  }

  reset(): void {
    this.triggers.clear();
    this.views.clear();
    this.stacks.clear();
    this.homes.clear();
    this.latestModal.clear();
  }
}
