/** Minimal Block Kit shapes sirbot builds; kept local so views stay free of SDK types. */

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
  verbatim?: boolean;
}
export type TextObject = PlainText | Mrkdwn;

export interface Button {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

export interface Option {
  text: PlainText;
  value: string;
}

export type Element =
  | Button
  | { type: 'static_select'; action_id: string; placeholder?: PlainText; options: Option[]; initial_option?: Option }
  | { type: 'datepicker'; action_id: string; initial_date?: string; placeholder?: PlainText }
  | { type: 'plain_text_input'; action_id: string; initial_value?: string; placeholder?: PlainText };

export type Block =
  | { type: 'header'; text: PlainText; block_id?: string }
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; accessory?: Element; block_id?: string }
  | { type: 'context'; elements: TextObject[]; block_id?: string }
  | { type: 'divider'; block_id?: string }
  | { type: 'actions'; elements: Element[]; block_id?: string }
  | { type: 'input'; label: PlainText; element: Element; dispatch_action?: boolean; optional?: boolean; block_id?: string };

export interface SlackMessage {
  /** Notification and accessibility fallback; mrkdwn, already escaped. */
  text: string;
  blocks: Block[];
}

export const plain = (text: string): PlainText => ({ type: 'plain_text', text, emoji: true });
/** verbatim: Slack must not auto-link names or URLs in text we did not write. */
export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text, verbatim: true });
