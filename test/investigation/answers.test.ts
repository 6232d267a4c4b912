import { describe, expect, it } from 'vitest';
import { checkAnswer, keyedLine } from '../../src/domain/investigation/answers.ts';

describe('answers from people', () => {
  it('reads key: value lines by the question their key names', () => {
    expect(keyedLine('exposed at: 2026-11-19')).toEqual({ id: 'exposedAt', value: '2026-11-19' });
    expect(keyedLine('user = ci-deployer')).toEqual({ id: 'principal', value: 'ci-deployer' });
    expect(keyedLine('rotated: not yet')).toEqual({ id: 'rotated', value: 'not yet' });
    // A key that names no question: the line is a sentence (free-text-answers.ts reads those).
    expect(keyedLine('Update: the key was deactivated')).toBeNull();
    expect(keyedLine('deactivated at 10:30')).toBeNull();
  });

  it('refuses malformed answers with what was expected', () => {
    expect(checkAnswer('accountId', '12345')).toEqual({ ok: false, error: 'accountId: expected a 12-digit AWS account id' });
    expect(checkAnswer('accessKeyId', '<!channel>')).toEqual({ ok: false, error: 'accessKeyId: expected an access key id (AKIA… or ASIA…)' });
    expect(checkAnswer('exposedAt', '2026-13-45')).toEqual({ ok: false, error: 'exposedAt: 2026-13-45 is not a date' });
    expect(checkAnswer('rotated', 'Yes')).toEqual({ ok: true, value: 'deleted' });
    // A time without a zone is UTC, whatever zone the server runs in.
    expect(checkAnswer('exposedAt', '2026-11-20T09:30')).toEqual({ ok: true, value: '2026-11-20T09:30Z' });
    expect(checkAnswer('exposedAt', '2026-11-20 09:30:15')).toEqual({ ok: true, value: '2026-11-20T09:30:15Z' });
    expect(checkAnswer('exposedAt', '2026-11-20T09:30+01:00')).toEqual({ ok: true, value: '2026-11-20T09:30+01:00' });
    expect(checkAnswer('exposedAt', '2026-11-20')).toEqual({ ok: true, value: '2026-11-20' });
    expect(checkAnswer('rotated', 'not yet')).toEqual({ ok: true, value: 'no' });
    expect(checkAnswer('principal', 'arn:aws:iam::111122223333:user/ci-deployer')).toEqual({
      ok: true,
      value: 'arn:aws:iam::111122223333:user/ci-deployer',
    });
  });
});
