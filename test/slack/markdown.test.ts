import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from '../../src/slack/views/markdown.ts';

// The API model's own example of an agent result (ListInvestigations, "with feedback examples").
const MODEL_EXAMPLE =
  '## Evidence Collection Results\n\nAnalyzed CloudTrail logs from 2024-01-15 to 2024-01-16 and found:\n\n- 15 failed login attempts from IP 192.168.1.100\n- Unusual API calls to S3 buckets\n- Privilege escalation attempts detected\n\n### Recommendations\n\n1. Block the suspicious IP address\n2. Review S3 bucket permissions\n3. Audit user privileges';

describe('markdown as mrkdwn', () => {
  it("formats the agent's markdown: headings bold, bullets, numbered lists kept", () => {
    expect(markdownToMrkdwn(MODEL_EXAMPLE)).toBe(
      '*Evidence Collection Results*\n\nAnalyzed CloudTrail logs from 2024-01-15 to 2024-01-16 and found:\n\n• 15 failed login attempts from IP 192.168.1.100\n• Unusual API calls to S3 buckets\n• Privilege escalation attempts detected\n\n*Recommendations*\n\n1. Block the suspicious IP address\n2. Review S3 bucket permissions\n3. Audit user privileges',
    );
    expect(markdownToMrkdwn('**bold** and *em* and __also__ and `**code**`')).toBe('*bold* and _em_ and *also* and `**code**`');
  });

  it('never mentions, links or lets text escape: what the agent quotes from logs is attacker-controlled', () => {
    const shown = markdownToMrkdwn(
      'User-Agent <@U0BOSS> <!channel> @here [AWS console](https://evil.example/login) <https://evil.example|aws.amazon.com> & \u202Eevil\u0001',
    );
    expect(shown).not.toMatch(/<[@!#]|<https?:|\u202E|\u0001/);
    expect(shown).toContain('&lt;@U0BOSS&gt; &lt;!channel&gt;');
    expect(shown).toContain('AWS console (https://evil.example/login)');
    expect(shown).toContain('&amp;');
    expect(shown).not.toContain('@here');
  });

  it('leaves code fences as they are', () => {
    expect(markdownToMrkdwn('```\n# not a heading\n- not a bullet\n```\n# heading')).toBe('```\n# not a heading\n- not a bullet\n```\n*heading*');
  });
});
