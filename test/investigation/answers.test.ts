import { describe, expect, it } from 'vitest';
import { checkAnswer, parseReply } from '../../src/domain/investigation/answers.ts';

describe('answers from people', () => {
  it('reads key: value lines and bare values from a thread reply', () => {
    expect(parseReply('exposed at: 2026-11-19\nuser: ci-deployer\nrotated: not yet')).toEqual({
      answers: { exposedAt: '2026-11-19', principal: 'ci-deployer', rotated: 'no' },
      errors: [],
    });
    expect(parseReply('it was AKIAEXPOSEDKEY000001 in 111122223333, leaked 2026-11-20T09:30Z').answers).toEqual({
      accessKeyId: 'AKIAEXPOSEDKEY000001',
      accountId: '111122223333',
      exposedAt: '2026-11-20T09:30Z',
    });
    expect(parseReply('deactivated').answers).toEqual({ rotated: 'deactivated' });
  });

  it('refuses malformed answers with what was expected', () => {
    expect(parseReply('account: 12345').errors).toEqual(['accountId: expected a 12-digit AWS account id']);
    expect(checkAnswer('accessKeyId', '<!channel>')).toEqual({ ok: false, error: 'accessKeyId: expected an access key id (AKIA… or ASIA…)' });
    expect(checkAnswer('exposedAt', '2026-13-45')).toEqual({ ok: false, error: 'exposedAt: 2026-13-45 is not a date' });
    expect(checkAnswer('rotated', 'Yes')).toEqual({ ok: true, value: 'deleted' });
    expect(checkAnswer('principal', 'arn:aws:iam::111122223333:user/ci-deployer')).toEqual({
      ok: true,
      value: 'arn:aws:iam::111122223333:user/ci-deployer',
    });
  });
});
