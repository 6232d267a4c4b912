/** How a reader wants Slack's markup turned into words; the rest is the same for every reader. */
export interface PlainTextOptions {
  /** Characters read at most (markup included): a long message is not read further. */
  max: number;
  /** What a user mention (`<@U…>`) reads as: a question drops it (`' '`), an answer keeps that someone was named (`' someone '`). */
  mention: string;
  /** A channel link (`<#C…|name>`) as `#name`, or dropped. */
  channels: 'name' | 'drop';
  /** Line breaks kept (an answer is read line by line) or read as spaces. */
  newlines: 'keep' | 'space';
  /** Backticks kept (an answer's `key: value` lines are read with them) or dropped like other formatting. */
  backticks: 'keep' | 'drop';
}

/**
 * A Slack message's mrkdwn as the plain words a person typed: links as their label (or
 * URL), mentions and broadcasts as the reader wants them, entities decoded, bold, strike
 * and italics unmarked, curly quotes straight, invisible characters removed, "p.m." as
 * "pm". The one reader of markup for thread replies: follow-up questions
 * (question-words.ts) and answers to sirbot's questions (free-text-answers.ts). Pure.
 */
export function slackPlainText(text: string, o: PlainTextOptions): string {
  const formatting = o.backticks === 'drop' ? /[*~`]/g : /[*~]/g;
  return (
    text
      .slice(0, o.max)
      // Zero-width and bidirectional marks hide or reorder what is read.
      .replace(/[\p{Cf}]/gu, '')
      .replace(/[\p{Cc}]/gu, (c) => (c === '\n' && o.newlines === 'keep' ? '\n' : ' '))
      .replace(/<mailto:[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<(?:https?|ftp):[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<((?:https?|ftp):[^>]*)>/g, '$1')
      .replace(/<@[UWB][A-Z0-9]+(?:\|[^>]*)?>/g, () => o.mention)
      .replace(/<#C[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name: string | undefined) => (o.channels === 'name' ? ` #${name ?? ''} ` : ' '))
      .replace(/<![^>]*>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201C\u201D]/g, '"')
      .replace(formatting, '')
      .replace(/(^|\s)_+|_+(?=[\s.,;:!?]|$)/g, '$1')
      .replace(/\b([ap])\.m\./gi, '$1m')
  );
}
