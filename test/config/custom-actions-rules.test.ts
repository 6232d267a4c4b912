import { describe, expect, it } from 'vitest';
import { parseRules } from '../../src/config/rules-file.ts';
import { customActionFor, DEFAULT_CUSTOM_ACTIONS } from '../../src/domain/routing/custom-actions.ts';

describe('the rules file: Security Hub custom actions', () => {
  it('maps action names (any case, any spacing) to what sirbot does; without a section, the two documented names', () => {
    const mapped = parseRules('rules: []\ncustomActions:\n  - Name: Triage now\n    Do: investigate\n', 'rules.yml', '#sec').ruleSet.customActions!;
    expect(customActionFor(mapped, '  triage   NOW ')).toBe('investigate');
    // Listing one's own replaces the defaults.
    expect(customActionFor(mapped, 'Open SIR case')).toBeNull();
    const defaults = parseRules('rules: []\n', 'rules.yml', '#sec').ruleSet.customActions!;
    expect(defaults).toEqual(DEFAULT_CUSTOM_ACTIONS);
    expect(customActionFor(defaults, 'open sir case')).toBe('open-case');
  });

  it('refuses what Security Hub could not send or sirbot cannot do, naming the entry', () => {
    expect(() => parseRules('rules: []\ncustomActions:\n  - Name: A name longer than twenty\n    Do: investigate\n', 'rules.yml', '#sec')).toThrow(
      /customActions\.0\.Name/,
    );
    expect(() => parseRules('rules: []\ncustomActions:\n  - Name: Wipe\n    Do: delete-account\n', 'rules.yml', '#sec')).toThrow(/customActions\.0\.Do/);
  });
});
