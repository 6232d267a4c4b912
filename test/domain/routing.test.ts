import { describe, expect, it } from 'vitest';
import { parseRules, RulesFileError } from '../../src/config/rules-file.ts';
import { route } from '../../src/domain/routing/evaluate.ts';
import { makeFinding } from '../support/findings.ts';

const NOW = Date.parse('2026-11-22T12:00:00Z');

function rules(yaml: string) {
  return parseRules(yaml, 'test.yml', '#default');
}

describe('rule order', () => {
  const yaml = `
rules:
  - RuleName: second
    RuleOrder: 2
    Actions: { Channel: "#second" }
  - RuleName: first
    RuleOrder: 1
    Actions: { Channel: "#first" }
  - RuleName: tie-newer
    RuleOrder: 3
    UpdatedAt: "2026-06-01T00:00:00Z"
    Actions: { Channel: "#tie-newer" }
  - RuleName: tie-older
    RuleOrder: 3
    UpdatedAt: "2026-01-01T00:00:00Z"
    Actions: { Channel: "#tie-older" }
`;
  it('evaluates lower RuleOrder first; on a tie the most recently updated rule goes last and wins', () => {
    const d = route(rules(yaml).ruleSet, makeFinding(), NOW);
    expect(d.matchedRules).toEqual(['first', 'second', 'tie-older', 'tie-newer']);
    expect(d.channel).toBe('#tie-newer');
  });

  it('IsTerminal stops evaluation after the terminal rule', () => {
    const compiled = rules(yaml.replace('    Actions: { Channel: "#second" }', '    IsTerminal: true\n    Actions: { Channel: "#second" }'));
    const d = route(compiled.ruleSet, makeFinding(), NOW);
    expect(d.matchedRules).toEqual(['first', 'second']);
    expect(d.channel).toBe('#second');
  });

  it('uses the default channel when nothing matches, and disabled rules never match', () => {
    const compiled = rules(`
defaults: { channel: "#catch-all" }
rules:
  - RuleName: off
    RuleOrder: 1
    RuleStatus: DISABLED
    Actions: { Channel: "#never" }
`);
    expect(compiled.warnings.some((w) => w.includes('DISABLED'))).toBe(true);
    const d = route(compiled.ruleSet, makeFinding(), NOW);
    expect(d.matchedRules).toEqual([]);
    expect(d.channel).toBe('#catch-all');
  });
});

describe('operators through rules', () => {
  const cases: Array<[string, string, boolean]> = [
    ['EQUALS', 'AwsAccountId: [{ Value: "111122223333", Comparison: EQUALS }]', true],
    ['NOT_EQUALS', 'AwsAccountId: [{ Value: "111122223333", Comparison: NOT_EQUALS }]', false],
    ['PREFIX', 'Title: [{ Value: "S3.1 ", Comparison: PREFIX }]', true],
    ['PREFIX_NOT_EQUALS', 'ResourceId: [{ Value: "arn:aws:s3:::example", Comparison: PREFIX_NOT_EQUALS }]', false],
    ['CONTAINS', 'Description: [{ Value: "block public access", Comparison: CONTAINS }]', true],
    ['NOT_CONTAINS', 'Type: [{ Value: "TTPs", Comparison: NOT_CONTAINS }]', true],
    ['number range', 'Confidence: [{ Gte: 50, Lte: 100 }]', true],
    ['absolute date', 'CreatedAt: [{ Start: "2026-11-01T00:00:00Z", End: "2026-11-21T00:00:00Z" }]', true],
    ['relative date', 'UpdatedAt: [{ DateRange: { Value: 1, Unit: DAYS } }]', false],
    ['map', 'ResourceTags: [{ Key: environment, Value: production, Comparison: EQUALS }]', true],
  ];
  const finding = makeFinding({
    raw: { Confidence: 80 },
    resources: [{ type: 'AwsS3Bucket', id: 'arn:aws:s3:::example-bucket', region: 'us-east-1', tags: { environment: 'production' } }],
  });
  for (const [name, criterion, expected] of cases) {
    it(`${name} ${expected ? 'matches' : 'does not match'}`, () => {
      const compiled = rules(`
rules:
  - RuleName: r
    RuleOrder: 1
    Criteria:
      ${criterion}
    Actions: { Channel: "#hit" }
`);
      expect(route(compiled.ruleSet, finding, NOW).channel).toBe(expected ? '#hit' : '#default');
    });
  }
});

describe('severity override', () => {
  const yaml = `
rules:
  - RuleName: prod-upgrade
    RuleOrder: 1
    Criteria:
      SeverityLabel: [{ Value: MEDIUM, Comparison: EQUALS }]
      ResourceTags:
        - { Key: environment, Value: production, Comparison: EQUALS }
        - { Key: criticality, Value: critical, Comparison: EQUALS }
    Actions: { SeverityLabel: CRITICAL }
  - RuleName: page-critical
    RuleOrder: 2
    Criteria:
      SeverityLabel: [{ Value: CRITICAL, Comparison: EQUALS }]
    Actions: { Channel: "#sec-critical", Mention: S0ONCALL1 }
`;
  it('production tags raise MEDIUM to CRITICAL, and later rules see the raised severity', () => {
    const f = makeFinding({ resources: [{ type: 'AwsEc2Instance', id: 'i-1', region: 'us-east-1', tags: { criticality: 'critical' } }] });
    const d = route(rules(yaml).ruleSet, f, NOW);
    expect(d.severity).toBe('CRITICAL');
    expect(d.severityOverriddenBy).toBe('prod-upgrade');
    expect(d.matchedRules).toEqual(['prod-upgrade', 'page-critical']);
    expect(d.channel).toBe('#sec-critical');
    expect(d.mentions).toEqual(['S0ONCALL1']);
    expect(d.actions.map((a) => `${a.rule}:${a.type}:${a.value}`)).toEqual([
      'prod-upgrade:SEVERITY:CRITICAL',
      'page-critical:CHANNEL:#sec-critical',
      'page-critical:MENTION:S0ONCALL1',
    ]);
  });

  it('leaves untagged findings alone', () => {
    const d = route(rules(yaml).ruleSet, makeFinding(), NOW);
    expect(d.severity).toBe('MEDIUM');
    expect(d.matchedRules).toEqual([]);
  });
});

describe('suppress, digest and investigate', () => {
  it('records each action and lets a later rule override an earlier one', () => {
    const compiled = rules(`
rules:
  - RuleName: quiet
    RuleOrder: 1
    Actions: { Suppress: true, Digest: true }
  - RuleName: loud
    RuleOrder: 2
    Criteria: { ComplianceSecurityControlId: [{ Value: S3.1, Comparison: EQUALS }] }
    Actions: { Suppress: false, Investigate: true }
`);
    const d = route(compiled.ruleSet, makeFinding(), NOW);
    expect(d.suppressed).toBe(false);
    expect(d.digest).toBe('quiet');
    expect(d.investigate).toBe(true);
  });
});

describe('cross-schema criteria', () => {
  const ocsf = makeFinding({
    schema: 'ocsf',
    accountId: '444455556666',
    workflowStatus: 'NOTIFIED',
    raw: { cloud: { account: { uid: '444455556666' } }, status: 'In Progress', confidence_score: 90 },
  });
  const asff = makeFinding({ accountId: '444455556666', workflowStatus: 'NOTIFIED', raw: { Confidence: 90 } });

  it('an OCSF path criterion matches ASFF findings through the field map', () => {
    const compiled = rules(`
rules:
  - RuleName: by-ocsf
    RuleOrder: 1
    Criteria:
      cloud.account.uid: [{ Value: "444455556666", Comparison: EQUALS }]
      status: [{ Value: In Progress, Comparison: EQUALS }]
      confidence_score: [{ Gte: 80 }]
    Actions: { Channel: "#team-b" }
`);
    expect(route(compiled.ruleSet, asff, NOW).channel).toBe('#team-b');
    expect(route(compiled.ruleSet, ocsf, NOW).channel).toBe('#team-b');
  });

  it('an ASFF criterion matches OCSF findings, and resources[x].tags equals ResourceTags', () => {
    const tagged = { ...ocsf, resources: [{ type: 'AwsEc2Instance', id: 'i-9', region: 'us-east-1', tags: { env: 'prod' } }] };
    const compiled = rules(`
rules:
  - RuleName: by-asff
    RuleOrder: 1
    Criteria:
      AwsAccountId: [{ Value: "444455556666", Comparison: EQUALS }]
      WorkflowStatus: [{ Value: NOTIFIED, Comparison: EQUALS }]
      resources[x].tags: [{ Key: env, Value: prod, Comparison: EQUALS }]
    Actions: { Channel: "#team-b" }
`);
    expect(compiled.warnings).toEqual([]);
    expect(route(compiled.ruleSet, tagged, NOW).channel).toBe('#team-b');
  });

  it('a criterion with no OCSF counterpart is reported at load and never matches OCSF findings', () => {
    const compiled = rules(`
rules:
  - RuleName: asff-only
    RuleOrder: 1
    Criteria:
      GeneratorId: [{ Value: "security-control/", Comparison: PREFIX }]
    Actions: { Channel: "#asff" }
`);
    expect(compiled.warnings).toEqual([
      'rule "asff-only" applies to ASFF findings only: GeneratorId has no OCSF or GuardDuty counterpart (say Formats: [ASFF] if that is intended)',
    ]);
    expect(compiled.ruleSet.rules[0]?.appliesTo).toEqual(['asff']);
    expect(route(compiled.ruleSet, makeFinding(), NOW).channel).toBe('#asff');
    expect(route(compiled.ruleSet, ocsf, NOW).channel).toBe('#default');
  });

  it('an OCSF path outside the map applies to OCSF findings only, and says so', () => {
    const compiled = rules(`
rules:
  - RuleName: analytic
    RuleOrder: 1
    Criteria:
      finding_info.analytic.name: [{ Value: "Recon", Comparison: PREFIX }]
    Actions: { Channel: "#ocsf" }
`);
    expect(compiled.warnings).toEqual([
      'rule "analytic" applies to OCSF findings only: finding_info.analytic.name is an OCSF field outside the published ASFF map (say Formats: [OCSF] if that is intended)',
    ]);
    const hit = { ...ocsf, raw: { finding_info: { analytic: { name: 'Recon:IAMUser' } } } };
    expect(route(compiled.ruleSet, hit, NOW).channel).toBe('#ocsf');
    expect(route(compiled.ruleSet, asff, NOW).channel).toBe('#default');
  });
});

describe('loading refuses what cannot work', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['unknown field', 'Colour: [{ Value: red, Comparison: EQUALS }]', /Colour: unknown field/],
    ['wrong filter kind', 'SeverityLabel: [{ Gte: 3 }]', /expects string filters/],
    ['EQUALS with NOT_EQUALS', 'Title: [{ Value: a, Comparison: EQUALS }, { Value: b, Comparison: NOT_EQUALS }]', /cannot be combined/],
    ['CONTAINS with EQUALS', 'Title: [{ Value: a, Comparison: CONTAINS }, { Value: b, Comparison: EQUALS }]', /CONTAINS can only/],
    ['bad severity value', 'SeverityLabel: [{ Value: SEVERE, Comparison: EQUALS }]', /"SEVERE" is not one of/],
    ['bad comparison', 'Title: [{ Value: a, Comparison: LIKE }]', /Criteria/],
  ];
  for (const [name, criterion, message] of bad) {
    it(name, () => {
      const yaml = `
rules:
  - RuleName: r
    RuleOrder: 1
    Criteria:
      ${criterion}
`;
      expect(() => rules(yaml)).toThrow(RulesFileError);
      expect(() => rules(yaml)).toThrow(message);
    });
  }

  it('refuses Formats that differ from what the criteria can match, and is silent when they agree', () => {
    const rule = (formats: string) =>
      `rules: [{ RuleName: r, RuleOrder: 1, Formats: ${formats}, Criteria: { RecordState: [{ Value: ARCHIVED, Comparison: EQUALS }] }, Actions: { Suppress: true } }]`;
    expect(() => rules(rule('[OCSF]'))).toThrow(
      /rule "r": Formats says OCSF, but its criteria match ASFF, GuardDuty findings \(RecordState has no OCSF counterpart\)/,
    );
    expect(() => rules(rule('[ASFF]'))).toThrow(/Formats says ASFF, but its criteria match ASFF, GuardDuty/);
    expect(() => rules(rule('[Asff]'))).toThrow(RulesFileError);
    expect(rules(rule('[GuardDuty, ASFF]')).warnings).toEqual([]);
  });

  it('rejects a mention that is not a Slack id, and a bad channel', () => {
    expect(() => rules('rules: [{ RuleName: r, RuleOrder: 1, Actions: { Mention: "@channel" } }]')).toThrow(/user group/);
    expect(() => rules('rules: [{ RuleName: r, RuleOrder: 1, Actions: { Channel: "<!channel>" } }]')).toThrow(/#name or a channel id/);
  });

  it('the shipped default rule file loads without a warning: its single-format rules say so (Formats)', async () => {
    const { loadRulesFile } = await import('../../src/config/rules-file.ts');
    const { BUNDLED_RULES } = await import('../../src/config/env.ts');
    const compiled = loadRulesFile(BUNDLED_RULES, '#x');
    expect(compiled.errors).toEqual([]);
    expect(compiled.warnings).toEqual([]);
    const scope = Object.fromEntries(compiled.ruleSet.rules.map((r) => [r.name, r.appliesTo]));
    expect(scope).toMatchObject({ 'drop-archived': ['asff', 'guardduty'], 'drop-archived-ocsf': ['ocsf'], 'low-control-failures-digest': ['asff', 'ocsf'] });
    expect(compiled.ruleSet.rules.length).toBeGreaterThanOrEqual(5);
  });
});

describe('indexed evaluation', () => {
  it('matches exactly what evaluating every rule in order would', async () => {
    const { benchRulesYaml } = await import('../../bench/rules.ts');
    const { mixedEvents } = await import('../support/generate.ts');
    const { normalizeInput } = await import('../../src/ingest/normalize.ts');
    const { ruleMatches } = await import('../../src/domain/routing/evaluate.ts');
    const ruleSet = rules(benchRulesYaml(100)).ruleSet;
    const findings = normalizeInput(mixedEvents(3000)).findings;
    let compared = 0;
    for (const f of findings) {
      // The reference: every rule, in order, on the finding as earlier rules left it.
      let current = f;
      const expected: string[] = [];
      for (const rule of ruleSet.rules) {
        if (!ruleMatches(rule, current, NOW)) continue;
        expected.push(rule.name);
        if (rule.actions.severity) current = { ...current, severity: { ...current.severity, label: rule.actions.severity } };
        if (rule.isTerminal) break;
      }
      expect(route(ruleSet, f, NOW).matchedRules).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(3000);
  });
});
