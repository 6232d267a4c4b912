import type { Finding } from '../../domain/finding.ts';

/**
 * Names of the files sirbot uploads, made for people who download them: what the file
 * is about in a few words, the account and the day, in lower-case letters, digits, `.`
 * and `-` only (a finding's text is hostile: no path, no spaces, nothing a shell or a
 * spreadsheet would read) and of bounded length.
 */

/** At most this many characters for the words naming the finding. */
const LABEL_MAX = 48;

/** Letters and digits of `text` (accents dropped), runs of anything else as one `-`, cut at a word's end. */
function slug(text: string, max: number, keep = ''): string {
  const allowed = new RegExp(`[^a-z0-9${keep}]+`, 'g');
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(allowed, '-')
    .replace(/[-.]*\.[-.]*/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (words.length <= max) return words;
  const cut = words.slice(0, max);
  const end = cut.lastIndexOf('-');
  // Cut at a word's end, and not after a word that only leads to the next (`…-address-on-a`).
  return (end > max / 2 ? cut.slice(0, end) : cut).replace(DANGLING, '').replace(/[-.]+$/, '');
}

const DANGLING = /(-(a|an|and|as|at|by|for|from|in|of|on|or|the|to|with))+$/;

/** The day a finding is about: its last sighting (else its last update, else its creation), as YYYY-MM-DD. */
function dayOf(f: Pick<Finding, 'lastSeenAt' | 'updatedAt' | 'createdAt'>): string | null {
  const iso = f.lastSeenAt ?? f.updatedAt ?? f.createdAt;
  const time = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : null;
}

/** A finding in a few words: its control and title, else its title, else the last part of its type. */
function findingLabel(f: Pick<Finding, 'title' | 'type' | 'controlId'>): string {
  const title = slug(f.title, LABEL_MAX);
  const type = slug(f.type.split(/[/:]/).filter(Boolean).at(-1) ?? '', LABEL_MAX);
  const control = f.controlId ? slug(f.controlId, 16, '.') : '';
  const label = [control, title || type].filter(Boolean).join('-');
  return slug(label, LABEL_MAX, '.') || 'finding';
}

/**
 * The base name of an investigation's timeline files (`.csv` and `.json` are added):
 * `timeline-api-getcalleridentity-was-invoked-using-root-444455556666-2026-12-03`.
 */
export function timelineFileBase(f: Pick<Finding, 'title' | 'type' | 'controlId' | 'accountId' | 'lastSeenAt' | 'updatedAt' | 'createdAt'>): string {
  const account = slug(f.accountId, 20);
  const day = dayOf(f);
  return ['timeline', findingLabel(f), account, day].filter(Boolean).join('-');
}
