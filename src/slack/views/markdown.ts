import { escapeText } from './text.ts';

/**
 * Markdown (the investigative agent's results) as Slack mrkdwn that formats and never
 * acts: the text is escaped first (`&`, `<`, `>`, broadcast mentions, invisible
 * characters), so nothing in it mentions anyone or makes a link whose label lies; then
 * headings become bold lines, `**bold**` bold, `*em*`/`_em_` italics, list markers bullets,
 * and `[label](url)` the label followed by the address as text. Code spans and fences are
 * left as they are (mrkdwn has both).
 */
export function markdownToMrkdwn(markdown: string): string {
  const escaped = escapeText(markdown.replace(/\r\n?/g, '\n'));
  let inFence = false;
  return escaped
    .split('\n')
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inFence = !inFence;
        return line.trim();
      }
      return inFence ? line : inline(block(line));
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

function block(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  // Bold as \u0001, made `*` once the inline pass (which reads `*` as emphasis) is done.
  if (heading) return heading[1] ? `\u0001${heading[1].replace(/\*/g, '')}\u0001` : '';
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]}• ${bullet[2]}`;
  if (/^\s*([-*_]\s*){3,}$/.test(line)) return '───';
  return line;
}

function inline(line: string): string {
  // Code spans are kept whole: nothing inside them is formatting.
  return line
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_m, label: string, url: string) => (url ? `${label} (${url})` : label))
            .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_m, a?: string, b?: string) => `\u0001${a ?? b}\u0001`)
            .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1_$2_')
            .replace(/\u0001/g, '*'),
    )
    .join('');
}
