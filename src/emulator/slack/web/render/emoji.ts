/**
 * The emoji shortcodes sirbot sends, and a few common ones, as Unicode. Others stay as
 * `:name:` text: a complete table is not worth shipping for a workbench view.
 */
export const EMOJI: Readonly<Record<string, string>> = {
  red_circle: '\u{1F534}',
  large_orange_circle: '\u{1F7E0}',
  large_yellow_circle: '\u{1F7E1}',
  large_green_circle: '\u{1F7E2}',
  large_blue_circle: '\u{1F535}',
  white_circle: '\u26AA',
  black_circle: '\u26AB',
  white_check_mark: '\u2705',
  heavy_check_mark: '\u2714\uFE0F',
  x: '\u274C',
  warning: '\u26A0\uFE0F',
  rotating_light: '\u{1F6A8}',
  sos: '\u{1F198}',
  raised_hand: '\u270B',
  hourglass_flowing_sand: '\u23F3',
  gear: '\u2699\uFE0F',
  busts_in_silhouette: '\u{1F465}',
  no_entry_sign: '\u{1F6AB}',
  no_entry: '\u26D4',
  leftwards_arrow_with_hook: '\u21A9\uFE0F',
  arrows_counterclockwise: '\u{1F504}',
  mag: '\u{1F50D}',
  eyes: '\u{1F440}',
  lock: '\u{1F512}',
  bell: '\u{1F514}',
  information_source: '\u2139\uFE0F',
  memo: '\u{1F4DD}',
  link: '\u{1F517}',
  tada: '\u{1F389}',
  thumbsup: '\u{1F44D}',
  '+1': '\u{1F44D}',
};

const NAME = /^[a-z0-9_+-]+$/;

/**
 * Replaces known `:name:` shortcodes. A colon that does not open a known one may still close
 * or open the next (`arn:aws:iam::x:` has no emoji, `a:b:x:` ends in one), so the scan moves
 * one colon at a time rather than consuming `:aws:`-like pairs.
 */
export function emojify(text: string): string {
  if (!text.includes(':')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf(':', i);
    if (open === -1) break;
    const close = text.indexOf(':', open + 1);
    if (close === -1) break;
    const name = text.slice(open + 1, close);
    const emoji = NAME.test(name) && Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
    if (emoji) {
      out += text.slice(i, open) + emoji;
      i = close + 1;
    } else {
      out += text.slice(i, close);
      i = close;
    }
  }
  return out + text.slice(i);
}
