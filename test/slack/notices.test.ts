import { describe, expect, it } from 'vitest';
import { noticeText } from '../../src/slack/views/notices.ts';

/** The command bus says what happened as data; the Slack adapter keeps the words people already read. */
describe('private notices, worded', () => {
  it('names the command that was not carried out', () => {
    expect(noticeText({ kind: 'not-done', command: 'status.set', reason: 'the finding is archived' })).toBe('Status not set: the finding is archived');
    expect(noticeText({ kind: 'not-done', command: 'case.open', reason: 'busy' })).toBe('Case not opened: busy');
    expect(noticeText({ kind: 'not-done', command: 'remediation.approve', reason: 'you requested it' })).toBe('Not done: you requested it.');
    expect(noticeText({ kind: 'not-done', command: 'acknowledge', reason: 'already acknowledged' })).toBe('Not acknowledged: already acknowledged.');
  });

  it('says a remediation was already requested, and why an answer was not taken', () => {
    expect(noticeText({ kind: 'already-requested', state: 'awaiting_approval' })).toBe('This remediation was already requested (awaiting approval).');
    expect(noticeText({ kind: 'answer-refused', reason: 'this needs the responder role' })).toBe('Not allowed: this needs the responder role.');
    expect(noticeText({ kind: 'answer-invalid', reason: 'not a date' })).toBe('Not taken: not a date');
  });
});
