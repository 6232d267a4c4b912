import { describe, expect, it } from 'vitest';
import { questionWords } from '../../src/domain/investigation/question-words.ts';
import { slackPlainText, type PlainTextOptions } from '../../src/domain/investigation/slack-plain-text.ts';

const answer: PlainTextOptions = { max: 2000, mention: ' someone ', channels: 'name', newlines: 'keep', backticks: 'keep' };
const question: PlainTextOptions = { max: 1000, mention: ' ', channels: 'drop', newlines: 'space', backticks: 'drop' };

describe('slackPlainText: the one reader of Slack mrkdwn', () => {
  it('reads links as their labels (or URLs), entities decoded, formatting unmarked, curly quotes straight', () => {
    const text = '*Bold* ~gone~ _it_ leaked at <https://example.com/x|the wiki> &amp; <mailto:a@b.c|a@b.c> &lt;3 <http://x.test/y> ‘q’ “dq” 3 p.m.';
    expect(slackPlainText(text, answer)).toBe('Bold gone it leaked at the wiki & a@b.c <3 http://x.test/y \'q\' "dq" 3 pm');
  });

  it('reads mentions and channels as each reader asks', () => {
    const text = '<@U123ABC|alice> look in <#C999|sec-ops> <!here>';
    const words = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(words(slackPlainText(text, answer))).toBe('someone look in #sec-ops');
    expect(words(slackPlainText(text, question))).toBe('look in');
    expect(words(slackPlainText('<@B0BOT> hi', question))).toBe('hi');
  });

  it('keeps line breaks and backticks for answers; spaces and no backticks for questions', () => {
    expect(slackPlainText('key: `AKIA1`\nuser: x', answer)).toBe('key: `AKIA1`\nuser: x');
    expect(slackPlainText('key: `AKIA1`\nuser: x', question)).toBe('key: AKIA1 user: x');
  });

  it('removes invisible characters that would hide or reorder words, and reads at most `max` characters', () => {
    expect(slackPlainText('del\u200bete this\u202e key', question)).toBe('delete this key');
    expect(slackPlainText('x'.repeat(50), { ...question, max: 10 })).toBe('x'.repeat(10));
  });

  it('questionWords is that reader on one line', () => {
    expect(questionWords('  <@U1> what did *this key* do\nafter 2 p.m.?  ')).toBe('what did this key do after 2 pm?');
  });
});
