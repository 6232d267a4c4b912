import type { RootMarks } from '../ports/notices/delivery.ts';
import type { ActionStore } from '../ports/action-store.ts';

/** What people did to a finding from Slack, read back from the action records for its root message. */
export async function rootMarks(actions: ActionStore, findingId: string): Promise<RootMarks> {
  const marks: RootMarks = {};
  const done = (await actions.listActions({ findingId })).filter((a) => a.state === 'succeeded');
  const status = done.filter((a) => a.kind === 'status').at(-1);
  if (status) marks.status = { status: status.input.status, by: status.requestedBy, at: status.updatedAt };
  const opened = done.filter((a) => a.kind === 'case').at(-1);
  const caseId = opened?.result && 'caseId' in opened.result ? opened.result.caseId : undefined;
  if (caseId) marks.caseId = caseId;
  const escalation = await actions.getEscalation(findingId);
  if (escalation) marks.ack = { by: escalation.ackedBy, at: escalation.ackedAt, stage: escalation.stage };
  return marks;
}
