/** Every text a message shows (fallback, block texts and fields), for assertions. */
export function messageTexts(message: { text?: string; blocks?: unknown }): string[] {
  const out: string[] = [];
  if (typeof message.text === 'string') out.push(message.text);
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ((o.type === 'plain_text' || o.type === 'mrkdwn') && typeof o.text === 'string') out.push(o.text);
      for (const v of Object.values(o)) if (typeof v === 'object') visit(v);
    }
  };
  visit(message.blocks ?? []);
  return out;
}

/**
 * Finding ids a message accounts for: a finding's root message shows its id after
 * "ID" in its context line; a digest listing reply shows one id per bullet.
 */
export function findingIdsIn(message: { text?: string; blocks?: unknown }): string[] {
  const ids: string[] = [];
  const listing = message.text?.startsWith('Findings ') === true;
  for (const t of messageTexts(message)) {
    if (listing) for (const m of t.matchAll(/(?:^|\n)• `([^`]+)`/g)) ids.push(m[1] as string);
    else for (const m of t.matchAll(/^ID `([^`]+)`/g)) ids.push(m[1] as string);
  }
  return ids;
}

/** What the tests read of the emulated workspace to find a finding's thread. */
interface Threads<M> {
  messages(channel: string): M[];
  thread(channel: string, ts: string): M[];
}

/** The first root message of `channel` (the first finding posted there); a test without one fails here. */
export function firstRoot<M extends { channel: string; ts: string }>(state: Threads<M>, channel = '#security-incidents'): M {
  const [root] = state.messages(channel);
  if (!root) throw new Error(`no root message in ${channel}`);
  return root;
}

/** The replies in that root's thread, oldest first (the root itself left out). */
export function repliesUnder<M extends { channel: string; ts: string }>(state: Threads<M>, channel = '#security-incidents'): M[] {
  const root = firstRoot(state, channel);
  return state.thread(root.channel, root.ts).slice(1);
}
