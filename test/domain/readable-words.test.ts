import { describe, expect, it } from 'vitest';
import { standingWords } from '../../src/domain/actions/workflow-status.ts';

describe('where a finding stands, in words', () => {
  const gd = { schema: 'guardduty' as const, workflowStatus: 'NEW' as const, recordState: 'ACTIVE' as const };
  const hub = { schema: 'asff' as const, workflowStatus: 'NEW' as const, recordState: 'ACTIVE' as const };
  it('says a GuardDuty finding is archived when sirbot archived it, never its record state beside the status', () => {
    expect(standingWords(gd)).toBe('NEW');
    expect(standingWords(gd, 'SUPPRESSED')).toBe('SUPPRESSED — archived in GuardDuty');
    expect(standingWords(gd, 'RESOLVED')).toBe('RESOLVED — archived in GuardDuty');
    expect(standingWords(gd, 'NOTIFIED')).toBe('NOTIFIED');
    expect(standingWords({ ...gd, recordState: 'ARCHIVED' })).toBe('Archived in GuardDuty');
  });
  it('says a Security Hub finding is archived only when its source archived it', () => {
    expect(standingWords(hub, 'SUPPRESSED')).toBe('SUPPRESSED');
    expect(standingWords({ ...hub, workflowStatus: 'RESOLVED', recordState: 'ARCHIVED' })).toBe('RESOLVED — archived by its source (no longer active)');
  });
});
