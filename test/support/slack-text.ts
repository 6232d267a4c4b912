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
