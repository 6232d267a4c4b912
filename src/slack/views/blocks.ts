import { visibleOnly } from './text.ts';

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

/** Slack's own "are you sure?" dialog on a button. */
export interface ConfirmDialog {
  title: PlainText;
  text: TextObject;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

export interface Button {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface Option {
  text: PlainText;
  value: string;
}

export type Element =
  | Button
  | { type: 'static_select'; action_id: string; placeholder?: PlainText; options: Option[]; initial_option?: Option }
  | { type: 'datepicker'; action_id: string; initial_date?: string; placeholder?: PlainText }
  | { type: 'plain_text_input'; action_id: string; initial_value?: string; placeholder?: PlainText; multiline?: boolean; max_length?: number }
  | { type: 'radio_buttons'; action_id: string; options: Option[]; initial_option?: Option };

export type Block =
  | { type: 'header'; text: PlainText; block_id?: string }
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; accessory?: Element; block_id?: string }
  | { type: 'context'; elements: TextObject[]; block_id?: string }
  | { type: 'divider'; block_id?: string }
  | { type: 'actions'; elements: Element[]; block_id?: string }
  | { type: 'input'; label: PlainText; element: Element; hint?: PlainText; dispatch_action?: boolean; optional?: boolean; block_id?: string };

/** A modal view (views.open / views.update / views.push). */
export interface Modal {
  type: 'modal';
  callback_id: string;
  title: PlainText;
  submit?: PlainText;
  close?: PlainText;
  /** Our own JSON (≤ 3,000 characters): what the submission is about. */
  private_metadata?: string;
  blocks: Block[];
}

/** The App Home tab (views.publish). */
export interface HomeView {
  type: 'home';
  blocks: Block[];
}

export interface SlackMessage {
  /** Notification and accessibility fallback; mrkdwn, already escaped. */
  text: string;
  blocks: Block[];
}

/** Every text object is built here, so no invisible character reaches Slack even if a builder forgot text.ts. */
export const plain = (text: string): PlainText => ({ type: 'plain_text', text: visibleOnly(text), emoji: true });
/** verbatim: Slack must not auto-link names or URLs in text we did not write. */
export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text: visibleOnly(text), verbatim: true });
