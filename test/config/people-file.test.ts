import { describe, expect, it } from 'vitest';
import { PeopleFinder } from '../../src/actions/people-finder.ts';
import { parsePeopleFile } from '../../src/config/people-file.ts';

const FILE = `people:
  - principal: "444455556666:root"
    email: dana@example.com
  - principal: ci-deployer
    slack: U0DANA
  - principal: "111122223333:session/ops-break-glass"
    slack: U0ALICE
`;

describe('the people file', () => {
  it('names who is behind root, a user name in any account, and a role session; the file is checked first, then tags, then Slack by email', async () => {
    const mapping = parsePeopleFile(FILE, 'people.yml');
    const emails: string[] = [];
    const finder = new PeopleFinder(
      { tagsOf: async () => ({ email: 'tagged@example.com' }) },
      {
        userByEmail: async (email) => {
          emails.push(email);
          return email === 'dana@example.com' ? 'U0DANA' : email === 'tagged@example.com' ? 'U0TAGGED' : null;
        },
      },
      mapping,
    );
    expect(await finder.personFor({ account: '444455556666', kind: 'root', name: 'root' })).toEqual({ slackUserId: 'U0DANA', via: 'the people file' });
    expect(await finder.personFor({ account: '999999999999', kind: 'iamUser', name: 'ci-deployer' })).toEqual({
      slackUserId: 'U0DANA',
      via: 'the people file',
    });
    expect(await finder.personFor({ account: '111122223333', kind: 'roleSession', name: 'ops-break-glass', role: 'Admin' })).toEqual({
      slackUserId: 'U0ALICE',
      via: 'the people file',
    });
    expect(await finder.personFor({ account: '111122223333', kind: 'iamUser', name: 'someone-else' })).toEqual({
      slackUserId: 'U0TAGGED',
      via: 'the email tag of IAM user someone-else',
    });
    expect(await finder.personFor({ account: '111122223333', kind: 'root', name: 'root' })).toBeNull();
    expect(emails).toEqual(['dana@example.com', 'tagged@example.com']);
  });

  it('refuses an entry without a person, or with a Slack id that is none, naming it', () => {
    expect(() => parsePeopleFile('people:\n  - principal: root\n', 'people.yml')).toThrow(/people\.0: needs slack or email/);
    expect(() => parsePeopleFile('people:\n  - principal: root\n    slack: "@channel"\n', 'people.yml')).toThrow(/people\.0\.slack: must be a Slack user id/);
  });
});
