/**
 * Block Kit and Slack text to HTML, for the workbench page. Pure: no I/O, no DOM.
 * The `render…` functions return strings; the `…Html` ones return `SafeHtml` for composing
 * larger pages with the `html` tag without re-marking anything as trusted.
 */
export type { RenderContext } from './context.ts';
export { attrs, escapeHtml, html, join, SafeHtml } from './html.ts';
export { mrkdwnHtml, renderMrkdwn, type MrkdwnOptions } from './mrkdwn.ts';
export { blocksHtml, renderBlocks } from './blocks.ts';
export { messageHtml, renderMessage, type MessageOptions, type RenderableMessage } from './message.ts';
export { renderView, viewHtml } from './view.ts';
