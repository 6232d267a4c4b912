/**
 * The `view` argument of views.open, views.push, views.update and views.publish, checked
 * as Slack checks it, and the view object Slack answers with.
 */
import { Check, isObject, type Json } from '../block-kit-check.ts';
import { validateBlocks } from '../block-kit.ts';
import type { EmulatedView } from '../views-state.ts';
import { BOT_ID } from './chat.ts';
import { fail, invalidArguments, jsonArg, type Answer, type Args, type MethodContext } from './method.ts';

export const APP_ID = 'A0SIRBOT';
/** "view_too_large: … the provided view is greater than 250kb". */
const MAX_VIEW_BYTES = 250 * 1024;

function checkBoolean(check: Check, view: Json, key: string, at: string): void {
  if (view[key] !== undefined && typeof view[key] !== 'boolean') check.add('must provide a boolean', `${at}/${key}`);
}

/** The view of a call, or the answer refusing it. */
export function parseView(args: Args, surface: 'modal' | 'home'): { view: Json } | { refusal: Answer } {
  const { value, malformed } = jsonArg(args, 'view');
  if (value === undefined) return { refusal: invalidArguments(['missing required field: view']) };
  if (malformed || !isObject(value)) return { refusal: invalidArguments(['must provide an object [json-pointer:/view]']) };
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_VIEW_BYTES) return { refusal: fail('view_too_large') };
  const check = new Check();
  const at = '/view';
  if (value.type !== surface) check.add(`must be a valid enum value (${surface})`, `${at}/type`);
  if (surface === 'modal') {
    check.text(value, 'title', at, { max: 24, plainOnly: true, required: true });
    check.text(value, 'submit', at, { max: 24, plainOnly: true });
    check.text(value, 'close', at, { max: 24, plainOnly: true });
    const hasInput = Array.isArray(value.blocks) && value.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && value.submit === undefined) check.add('submit is required when an input block is present', `${at}/submit`);
    for (const key of ['clear_on_close', 'notify_on_close', 'submit_disabled']) checkBoolean(check, value, key, at);
  }
  check.string(value, 'callback_id', at, { max: 255 });
  check.string(value, 'private_metadata', at, { max: 3000 });
  check.string(value, 'external_id', at, { max: 255 });
  if (value.blocks === undefined) check.add('missing required field: blocks', at);
  const blockProblems = value.blocks === undefined ? [] : validateBlocks(value.blocks, surface, `${at}/blocks`);
  const problems = [...check.problems, ...blockProblems];
  return problems.length > 0 ? { refusal: invalidArguments(problems) } : { view: value };
}

/** The view Slack stores for a view argument: ids, a fresh hash, empty state. */
export function buildView(view: Json, ctx: MethodContext, o: { user: string; id: string; rootId?: string; previousId?: string | null }): EmulatedView {
  const str = (k: string) => (typeof view[k] === 'string' ? (view[k] as string) : '');
  const modal = view.type === 'modal';
  return {
    id: o.id,
    team_id: ctx.ws.teamId,
    type: modal ? 'modal' : 'home',
    user: o.user,
    callback_id: str('callback_id'),
    private_metadata: str('private_metadata'),
    external_id: str('external_id'),
    ...(modal ? { title: view.title, submit: view.submit ?? null, close: view.close ?? null } : {}),
    blocks: view.blocks as unknown[],
    state: { values: {} },
    hash: ctx.ws.surfaces.newHash(),
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    root_view_id: o.rootId ?? o.id,
    previous_view_id: o.previousId ?? null,
    app_id: APP_ID,
    app_installed_team_id: ctx.ws.teamId,
    bot_id: BOT_ID,
  };
}

/** A stored view as the Web API shows it: without the emulator's note of whose it is. */
export function publicView(v: EmulatedView): Record<string, unknown> {
  const { user: _user, ...rest } = v;
  return rest;
}
