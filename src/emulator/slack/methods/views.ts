import type { Json } from '../block-kit-check.ts';
import { MAX_STACK, type EmulatedView } from '../views-state.ts';
import { fail, invalidArguments, stringArg, type Answer, type Method, type MethodContext } from './method.ts';
import { buildView, parseView, publicView } from './view-args.ts';

/** Slack answers `duplicate_external_id` when another view on screen holds the id. */
function externalIdTaken(view: Json, ctx: MethodContext, self?: EmulatedView): boolean {
  const wanted = typeof view.external_id === 'string' ? view.external_id : '';
  const holder = ctx.ws.surfaces.byExternalId(wanted);
  return holder !== undefined && holder.id !== self?.id;
}

/**
 * views.open and views.push: a trigger the emulator issued (once, within 3 s) opens a modal on
 * the screen of the person whose interaction carried it; push stacks it on their open modal.
 */
function openOrPush(push: boolean): Method {
  return (args, ctx) => {
    const trigger = stringArg(args, 'trigger_id') ?? stringArg(args, 'interactivity_pointer');
    if (!trigger) return invalidArguments(['missing required field: trigger_id']);
    const parsed = parseView(args, 'modal');
    if ('refusal' in parsed) return parsed.refusal;
    const exchanged = ctx.ws.surfaces.exchange(trigger, ctx.now);
    if (exchanged !== 'ok') return fail(exchanged);
    // Triggers the emulator issued name their person; `user_id` is only a fallback for odd callers.
    const user = ctx.ws.surfaces.triggerUser(trigger) ?? stringArg(args, 'user_id') ?? 'U0EMULATOR';
    if (externalIdTaken(parsed.view, ctx)) return fail('duplicate_external_id');
    const stack = ctx.ws.surfaces.stack(user);
    if (push && stack.length === 0) return fail('not_found');
    if (push && stack.length >= MAX_STACK) return fail('push_limit_reached');
    const previous = push ? ctx.ws.surfaces.top(user) : undefined;
    if (!push) stack.length = 0;
    const id = ctx.ws.surfaces.newViewId();
    const built = buildView(parsed.view, ctx, { user, id, ...(previous ? { rootId: previous.root_view_id, previousId: previous.id } : {}) });
    ctx.ws.surfaces.save(built);
    stack.push(built.id);
    return { ok: true, view: publicView(built) };
  };
}

/** views.update: by view_id or external_id, refused when `hash` is not the view's current one. */
const update: Method = (args, ctx) => {
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  if (!viewId && !externalId) return invalidArguments(['missing required field: view_id or external_id']);
  const current = viewId ? ctx.ws.surfaces.byId(viewId) : ctx.ws.surfaces.byExternalId(externalId as string);
  if (!current) return fail('not_found');
  const hash = stringArg(args, 'hash');
  if (hash && hash !== current.hash) return fail('hash_conflict');
  const parsed = parseView(args, current.type);
  if ('refusal' in parsed) return parsed.refusal;
  if (externalIdTaken(parsed.view, ctx, current)) return fail('duplicate_external_id');
  const updated = buildView(parsed.view, ctx, { user: current.user, id: current.id, rootId: current.root_view_id, previousId: current.previous_view_id });
  ctx.ws.surfaces.save(updated);
  return { ok: true, view: publicView(updated) };
};

/** views.publish: a person's Home tab, one per person, replaced on each publish. */
const publish: Method = (args, ctx): Answer => {
  const user = stringArg(args, 'user_id');
  if (!user) return invalidArguments(['missing required field: user_id']);
  const parsed = parseView(args, 'home');
  if ('refusal' in parsed) return parsed.refusal;
  const current = ctx.ws.surfaces.home(user);
  const hash = stringArg(args, 'hash');
  if (hash && current && hash !== current.hash) return fail('hash_conflict');
  if (externalIdTaken(parsed.view, ctx, current)) return fail('duplicate_external_id');
  const built = buildView(parsed.view, ctx, { user, id: current?.id ?? ctx.ws.surfaces.newViewId() });
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
