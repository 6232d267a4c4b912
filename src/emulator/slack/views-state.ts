import { randomBytes } from 'node:crypto';

/** A view as the Web API returns it (views.open, views.update, views.publish). */
export interface EmulatedView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  user: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  state: { values: Record<string, unknown> };
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
}

/** Slack lets a trigger be exchanged once, within three seconds of the interaction. */
export const TRIGGER_TTL_MS = 3000;
/** views.push stacks at most three modals. */
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
  private seq = 0;

  /** A trigger for an interaction of `user`: the modal it opens is on their screen. */
  issueTrigger(now: number, user: string): string {
    const id = `${Math.floor(now / 1000)}.${++this.seq}.${randomBytes(8).toString('hex')}`;
    this.triggers.set(id, { issuedAt: now, used: false, user });
    return id;
  }

  triggerUser(triggerId: string): string | undefined {
    return this.triggers.get(triggerId)?.user;
  }

  /** Exchanges a trigger for the right to open a modal, or names why it cannot be. */
  exchange(triggerId: string, now: number): 'ok' | 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' {
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

  byExternalId(externalId: string): EmulatedView | undefined {
    return [...this.views.values()].find((v) => v.external_id !== '' && v.external_id === externalId);
  }

  save(view: EmulatedView): void {
    this.views.set(view.id, view);
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

  /** Closes a user's modal stack, as a submission that answers nothing, or Cancel, does. */
  close(user: string): void {
    this.stacks.set(user, []);
  }

  setHome(user: string, viewId: string): void {
    this.homes.set(user, viewId);
  }

  home(user: string): EmulatedView | undefined {
    const id = this.homes.get(user);
    return id ? this.views.get(id) : undefined;
  }

  /** Open modals (top of each stack) and Home views, for inspection. */
  snapshot(): { modals: Record<string, EmulatedView[]>; homes: Record<string, EmulatedView> } {
    const modals: Record<string, EmulatedView[]> = {};
    for (const [user, ids] of this.stacks) if (ids.length > 0) modals[user] = ids.map((id) => this.views.get(id) as EmulatedView);
    const homes: Record<string, EmulatedView> = {};
    for (const [user, id] of this.homes) homes[user] = this.views.get(id) as EmulatedView;
    return { modals, homes };
  }

  reset(): void {
    this.triggers.clear();
    this.views.clear();
    this.stacks.clear();
    this.homes.clear();
  }
}
