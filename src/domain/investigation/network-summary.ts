import type { TimelineEntry } from './timeline.ts';

/** Network evidence (flows and DNS lookups from Security Lake): what the instances did on the wire, not API calls. */
export const isNetworkEntry = (e: TimelineEntry) => e.source === 'vpc-flow' || e.source === 'dns';

const bytesOf = (e: TimelineEntry) => {
  const m = /^([\d.]+) (B|KiB|MiB|GiB) in/.exec(e.highlights[0] ?? '');
  const unit = { B: 1, KiB: 1024, MiB: 2 ** 20, GiB: 2 ** 30 }[m?.[2] ?? 'B'] ?? 1;
  return m ? Number(m[1]) * unit : 0;
};

/**
 * The network evidence in one sentence per talker: how many remote addresses it talked
 * to, where the most bytes went, and what it resolved. Empty when there is none.
 */
export function networkLine(timeline: TimelineEntry[], first: string[] = []): string {
  const network = timeline.filter(isNetworkEntry);
  if (network.length === 0) return '';
  // The finding's own instances and addresses first, then the others by bytes moved.
  const moved = (talker: string) => network.filter((e) => e.actor === talker).reduce((n, e) => n + bytesOf(e), 0);
  const rank = (talker: string) => (first.includes(talker) ? first.indexOf(talker) : first.length);
  const talkers = [...new Set(network.map((e) => e.actor).filter((a): a is string => !!a))].sort((a, b) => rank(a) - rank(b) || moved(b) - moved(a));
  const parts = talkers.slice(0, 3).map((talker) => {
    const flows = network.filter((e) => e.source === 'vpc-flow' && e.actor === talker);
    const remotes = new Set(flows.map((e) => e.resources[1]));
    const top = [...flows].sort((a, b) => bytesOf(b) - bytesOf(a))[0];
    const hosts = [...new Set(network.filter((e) => e.source === 'dns' && e.actor === talker).map((e) => e.resources[1]))];
    const talked = flows.length
      ? `talked to ${remotes.size} remote address${remotes.size === 1 ? '' : 'es'} (most bytes ${top?.action.replace(/^(outbound|inbound|traffic) /, '')})`
      : '';
    const resolved = hosts.length ? `resolved ${hosts.slice(0, 3).join(', ')}${hosts.length > 3 ? ` and ${hosts.length - 3} more` : ''}` : '';
    return `${talker} ${[talked, resolved].filter(Boolean).join(', ')}`;
  });
  const more = talkers.length > 3 ? `; ${talkers.length - 3} more talkers` : '';
  return `Network: ${parts.join('; ')}${more}.`;
}
