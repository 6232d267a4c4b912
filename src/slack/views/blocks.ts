import type {
  Button as BlockKitButton,
  HomeView as BlockKitHomeView,
  KnownBlock,
  ModalView,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
} from '@slack/types';
import { visibleOnly } from './text.ts';

/**
 * The Block Kit shapes sirbot builds, as @slack/types defines them (the types Bolt and
 * @slack/web-api take), under the names the views use.
 */
export type PlainText = PlainTextElement;
export type Mrkdwn = MrkdwnElement;
export type TextObject = PlainTextElement | MrkdwnElement;
export type Button = BlockKitButton;
export type Option = PlainTextOption;
export type Block = KnownBlock;
/** A modal view (views.open / views.update / views.push); sirbot routes submissions by `callback_id`, so every modal has one. */
export type Modal = ModalView & { callback_id: string };
/** The App Home tab (views.publish). */
export type HomeView = BlockKitHomeView;

export interface SlackMessage {
  /** Notification and accessibility fallback; mrkdwn, already escaped. */
  text: string;
  blocks: KnownBlock[];
}

/** Every text object is built here, so no invisible character reaches Slack even if a builder forgot text.ts. */
export const plain = (text: string): PlainText => ({ type: 'plain_text', text: visibleOnly(text), emoji: true });
/** verbatim: Slack must not auto-link names or URLs in text we did not write. */
export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text: visibleOnly(text), verbatim: true });
