import { Check, isObject, type Json } from '../block-kit-check.ts';
import { validateBlocks } from '../block-kit.ts';
import { MAX_STACK, type EmulatedView } from '../views-state.ts';
import { BOT_ID } from './chat.ts';
import { fail, jsonArg, stringArg, type Answer, type Args, type Method, type MethodContext } from './method.ts';

const APP_ID = 'A0SIRBOT';

/** The view argument checked as Slack checks it; problems come back as `invalid_arguments`. */
function parseView(args: Args, surface: 'modal' | 'home'): Json | Answer {
  const { value, malformed } = jsonArg(args, 'view');
  if (value === undefined) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: view'] } });
  if (malformed || !isObject(value)) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] must provide an object [json-pointer:/view]'] } });
  const check = new Check();
  const at = '/view';
  if (value.type !== surface) check.add(`must be a valid enum value (${surface})`, `${at}/type`);
  if (surface === 'modal') {
    check.text(value, 'title', at, { max: 24, plainOnly: true, required: true });
    check.text(value, 'submit', at, { max: 24, plainOnly: true });
    check.text(value, 'close', at, { max: 24, plainOnly: true });
    const hasInput = Array.isArray(value.blocks) && value.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && value.submit === undefined) check.add('submit is required when an input block is present', `${at}/submit`);
  }
  check.string(value, 'callback_id', at, { max: 255 });
  check.string(value, 'private_metadata', at, { max: 3000 });
  check.string(value, 'external_id', at, { max: 255 });
  const problems = [...check.problems, ...validateBlocks(value.blocks, surface, `${at}/blocks`)];
  if (problems.length > 0) return fail('invalid_arguments', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
  return value;
}

function build(view: Json, ctx: MethodContext, user: string, id: string, previous: EmulatedView | null): EmulatedView {
  const str = (k: string) => (typeof view[k] === 'string' ? (view[k] as string) : '');
  return {
    id,
    team_id: ctx.ws.teamId,
    type: view.type as 'modal' | 'home',
    user,
    callback_id: str('callback_id'),
    private_metadata: str('private_metadata'),
    external_id: str('external_id'),
    ...(view.title !== undefined ? { title: view.title } : {}),
    ...(view.submit !== undefined ? { submit: view.submit } : {}),
    ...(view.close !== undefined ? { close: view.close } : {}),
    blocks: view.blocks as unknown[],
    state: { values: {} },
    hash: ctx.ws.surfaces.newHash(),
    root_view_id: previous?.root_view_id ?? id,
    previous_view_id: previous?.id ?? null,
    app_id: APP_ID,
    bot_id: BOT_ID,
  };
}

/** Without a user in the payload the emulator cannot know whose screen the modal opens on; tests name one. */
const userOf = (args: Args) => stringArg(args, 'user_id') ?? stringArg(args, 'emulator_user') ?? 'U0EMULATOR';

const publicView = (v: EmulatedView) => {
  const { user: _user, ...rest } = v;
  return rest;
};

function openOrPush(push: boolean): Method {
  return (args, ctx) => {
    const trigger = stringArg(args, 'trigger_id');
    if (!trigger) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
    const view = parseView(args, 'modal');
    if ('ok' in view) return view as Answer;
    const exchanged = ctx.ws.surfaces.exchange(trigger, ctx.now);
    if (exchanged !== 'ok') return fail(exchanged);
    const user = ctx.ws.surfaces.triggerUser(trigger) ?? userOf(args);
    if (typeof view.external_id === 'string' && view.external_id && ctx.ws.surfaces.byExternalId(view.external_id)) return fail('duplicate_external_id');
    const stack = ctx.ws.surfaces.stack(user);
    if (push && stack.length === 0) return fail('not_found');
    if (push && stack.length >= MAX_STACK) return fail('push_limit_reached');
    if (!push) stack.length = 0;
    const previous = push ? (ctx.ws.surfaces.top(user) ?? null) : null;
    const built = build(view, ctx, user, ctx.ws.surfaces.newViewId(), previous);
    ctx.ws.surfaces.save(built);
    stack.push(built.id);
    return { ok: true, view: publicView(built) };
  };
}

const update: Method = (args, ctx) => {
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  const current = viewId ? ctx.ws.surfaces.byId(viewId) : externalId ? ctx.ws.surfaces.byExternalId(externalId) : undefined;
  if (!current) return fail('not_found');
  const hash = stringArg(args, 'hash');
  if (hash && hash !== current.hash) return fail('hash_conflict');
  const view = parseView(args, current.type);
  if ('ok' in view) return view as Answer;
  const built = build(view, ctx, current.user, current.id, null);
  const updated: EmulatedView = { ...built, root_view_id: current.root_view_id, previous_view_id: current.previous_view_id };
  ctx.ws.surfaces.save(updated);
  return { ok: true, view: publicView(updated) };
};

const publish: Method = (args, ctx) => {
  const user = stringArg(args, 'user_id');
  if (!user) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: user_id'] } });
  const view = parseView(args, 'home');
  if ('ok' in view) return view as Answer;
  const current = ctx.ws.surfaces.home(user);
  const hash = stringArg(args, 'hash');
  if (hash && current && hash !== current.hash) return fail('hash_conflict');
  const built = build(view, ctx, user, current?.id ?? ctx.ws.surfaces.newViewId(), null);
  ctx.ws.surfaces.save(built);
  ctx.ws.surfaces.setHome(user, built.id);
  return { ok: true, view: publicView(built) };
};

export const VIEW_METHODS: Record<string, Method> = {
  'views.open': openOrPush(false),
  'views.push': openOrPush(true),
  'views.update': update,
  'views.publish': publish,
};
