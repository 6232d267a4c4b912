import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emailOfSession, personFromTags, principalToAsk, seenActivity } from '../../src/domain/actions/principal-check.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';

const findingOf = (scenario: string) => {
  const f = normalizeInput(JSON.parse(readFileSync(`src/scenarios/${scenario}/finding.json`, 'utf8'))).findings[0];
  if (!f) throw new Error(scenario);
  return f;
};

describe('"Was this you?": whom and what', () => {
  it("an exposed IAM user's key: the user is asked about the API call, from where", () => {
    const f = findingOf('exposed-access-key');
    expect(principalToAsk(f)).toEqual({ account: '111122223333', kind: 'iamUser', name: 'ci-deployer' });
    expect(seenActivity(f)).toMatchObject({ action: 'ListUsers', service: 'iam.amazonaws.com', sourceIp: '203.0.113.50' });
  });

  it('root credentials: root is the principal (nobody is found behind it without a mapping); an instance compromise asks nobody', () => {
    expect(principalToAsk(findingOf('root-credential-use'))).toMatchObject({ kind: 'root', name: 'root' });
    expect(principalToAsk(findingOf('cryptomining-ec2'))).toBeNull();
    expect(principalToAsk(findingOf('public-s3-bucket'))).toBeNull();
  });

  it('reads a person from tags: an email or a Slack id under the usual keys, nothing else', () => {
    expect(personFromTags({ team: 'platform', 'owner-email': 'dana@example.com' })).toEqual({ email: 'dana@example.com' });
    expect(personFromTags({ Slack: 'U0DANA', Email: 'not an email' })).toEqual({ slackUserId: 'U0DANA' });
    expect(personFromTags({ email: '<@U0BOSS>@evil', slack: '@channel' })).toBeNull();
    expect(emailOfSession('dana@example.com')).toBe('dana@example.com');
    expect(emailOfSession('i-0abc123')).toBeNull();
  });
});
