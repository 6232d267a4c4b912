import { describe, expect, it } from 'vitest';
import { parseRules, RulesFileError } from '../../src/config/rules-file.ts';
import { cut, OPSGENIE_LIMITS, opsgenieAlert, PAGERDUTY_LIMITS, pagerDutyFollowUp, pagerDutyTrigger } from '../../src/domain/actions/paging.ts';
import { makeFinding } from '../support/findings.ts';

const rules = (ack: string) =>
  parseRules(['rules:', '  - RuleName: r', '    RuleOrder: 1', '    Actions:', `      Acknowledge: ${ack}`].join('\n'), 'test.yml', '#default');

describe('paging in the rules file', () => {
  it('takes Page and PageAt into the acknowledgement policy, paging with the mention by default', () => {
    expect(rules('{ Within: 15m, Page: pagerduty }').ruleSet.rules[0]?.actions.acknowledge?.page).toEqual({ pager: 'pagerduty', at: 'mention' });
    expect(rules('{ Within: 15m, Page: opsgenie, PageAt: cirt }').ruleSet.rules[0]?.actions.acknowledge?.page).toEqual({ pager: 'opsgenie', at: 'cirt' });
    expect(rules('{ Within: 15m }').ruleSet.rules[0]?.actions.acknowledge?.page).toBeUndefined();
  });

  it('refuses an unknown pager, and PageAt without Page', () => {
    expect(() => rules('{ Within: 15m, Page: victorops }')).toThrow(RulesFileError);
    expect(() => rules('{ Within: 15m, PageAt: cirt }')).toThrow(/PageAt needs Page/);
  });
});

describe('page bodies', () => {
  const long = 'x'.repeat(5000);
  const hostile = makeFinding({
    title: `Bad\u202Eevil <@U0BOSS> ${long}`,
    description: `*bold* <!channel> ${long}`,
    severity: { label: 'CRITICAL', score: 90 },
    resources: [{ type: 'AwsIamAccessKey', id: 'AKIA\u200Bhidden', region: 'us-east-1', tags: {} }],
  });

  it('maps severity to PagerDuty severity and Opsgenie priority', () => {
    const at = (label: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL') => makeFinding({ severity: { label, score: 50 } });
    expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].map((l) => pagerDutyTrigger(at(l as 'LOW'), { key: 'k' }).payload.severity)).toEqual([
      'critical',
      'error',
      'warning',
      'info',
      'info',
    ]);
    expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].map((l) => opsgenieAlert(at(l as 'LOW'), { key: 'k' }).priority)).toEqual([
      'P1',
      'P2',
      'P3',
      'P4',
      'P5',
    ]);
  });

  it('cuts to the APIs limits and keeps attacker text as visible, inert data', () => {
    const pd = pagerDutyTrigger(hostile, { key: 'offer-abc', threadLink: 'https://slack.example/archives/C1/p1' });
    expect(pd.payload.summary.length).toBeLessThanOrEqual(PAGERDUTY_LIMITS.summary);
    expect(pd.payload.summary).not.toMatch(/[\u202E\u200B]/);
    expect(pd.payload.component).not.toMatch(/\u200B/);
    expect(pd.payload.summary).toContain('<@U0BOSS>');
    expect(pd.dedup_key).toBe('offer-abc');
    expect(pd.links).toEqual([{ href: 'https://slack.example/archives/C1/p1', text: 'Slack thread' }, ...(hostile.consoleUrl ? [expect.anything()] : [])]);
    const og = opsgenieAlert(hostile, { key: 'offer-abc' });
    expect(og.message.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.message);
    expect(og.description.length).toBeLessThanOrEqual(OPSGENIE_LIMITS.description);
    expect(og.message).not.toMatch(/[\u202E\u200B]/);
    expect(Object.values(og.details).join('').length).toBeLessThanOrEqual(OPSGENIE_LIMITS.details);
    expect(og.tags.every((t) => t.length <= OPSGENIE_LIMITS.tag)).toBe(true);
  });

  it('follow-ups carry only the key', () => {
    expect(pagerDutyFollowUp('resolve', 'k')).toEqual({ event_action: 'resolve', dedup_key: 'k' });
  });

  it('cut never splits a surrogate pair', () => {
    expect(cut('ab😀cd', 4)).toBe('ab…');
    expect(cut('abc', 3)).toBe('abc');
  });
});
