/**
 * The only URLs that become live: a Slack client opens web and mail links, and a page
 * showing bot output must never get `javascript:`, `data:` or `vbscript:` hrefs from it.
 * Prefix checks on the exact string suffice: a value that starts with `https://` cannot
 * be read by a browser as any other scheme.
 */
const LINK = /^(?:https?:\/\/|mailto:)/i;
const IMAGE = /^https?:\/\//i;

export const isSafeLinkUrl = (url: string): boolean => LINK.test(url);
export const isSafeImageUrl = (url: string): boolean => IMAGE.test(url);

/** Link attributes for opening a bot-supplied URL away from the page that shows it. */
export const EXTERNAL_LINK = { target: '_blank', rel: 'noopener noreferrer' } as const;
