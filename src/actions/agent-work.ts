import { errorText } from '../lib/error-text.ts';
import { CLOSED_CASE_STATUS } from '../domain/actions/case-status.ts';
import { securityIrCaseUrl } from '../domain/console-links.ts';
import type { CaseRecord } from '../ports/action-store.ts';
import type { Logger } from '../ports/logger.ts';
import type { ActionThread, AgentNotices } from '../ports/notices/actions.ts';
import type { AgentUsefulness, SecurityIrCases } from '../ports/security-ir.ts';
import type { Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';

export interface AgentWorkDeps {
  store: Store;
  access: AccessControl;
  audit: Auditor;
  securityIr: Pick<SecurityIrCases, 'listInvestigations' | 'sendFeedback'>;
  notices: AgentNotices;
  region: string;
  logger: Logger;
  clock?: () => number;
}

/** The states in which an agent's action has said what it will say. */
const SETTLED = new Set(['Completed', 'Failed', 'Cancelled']);
/** How long one worker holds an action it is showing. */
const SHOW_LEASE_SECONDS = 120;
/** Open cases looked at per poll, newest first. */
const POLL_CASES = 50;

export type FeedbackResult = { ok: true; already: boolean } | { ok: false; kind: 'refused' | 'invalid' | 'failed'; reason: string };

/**
 * The AWS investigative agent's work on a case, in the case's thread beside sirbot's own
 * timeline: each evidence, investigation and summary action is shown once it has settled
 * (Security IR sends no event for them, so open cases are polled, and looked at again on
 * each case event), once per state it settles in; people say whether it was useful, which
 * goes back to the service (SendFeedback), authorized and audited.
 */
export class AgentWork {
  private readonly clock: () => number;

  constructor(private readonly d: AgentWorkDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** Shows the case's settled agent actions not shown yet; throws when the service or Slack fails, leaving the rest for the next look. */
  async show(record: CaseRecord): Promise<{ shown: number }> {
    if (!record.channel || !record.threadTs) return { shown: 0 };
    const thread = { channel: record.channel, threadTs: record.threadTs };
    let shown = 0;
    for await (const a of this.d.securityIr.listInvestigations(record.caseId)) {
      if (!SETTLED.has(a.status)) continue;
      const version = `${a.investigationId}:${a.status}:${a.lastUpdated.toISOString()}`;
      if (!(await this.d.store.claimKey(`agent-show:${record.caseId}:${version}`, SHOW_LEASE_SECONDS, this.now()))) continue;
      await this.d.notices.agentActionShown({
        thread,
        caseId: record.caseId,
        caseUrl: securityIrCaseUrl(record.caseId, this.d.region),
        action: a,
        key: `sir-agent:${record.caseId}:${version}`,
      });
      shown++;
    }
    return { shown };
  }

  /** Looks at the open cases opened from threads here (the newest first); one case failing does not stop the rest. */
  async poll(): Promise<{ shown: number; failed: number }> {
    let shown = 0;
    let failed = 0;
    for (const c of await this.d.store.actions.listCases(POLL_CASES)) {
      if (c.status === CLOSED_CASE_STATUS || !c.channel || !c.threadTs) continue;
      try {
        shown += (await this.show(c)).shown;
      } catch (err) {
        failed++;
        this.d.logger.warn({ err, caseId: c.caseId }, "could not show the investigative agent's work");
      }
    }
    return { shown, failed };
  }

  /**
   * A responder's verdict on one of the agent's results, from the thread of the case it is
   * about (a click elsewhere, or on another case, is refused): sent to the service,
   * audited, and said once in the thread.
   */
  async feedback(req: { userId: string; caseId: string; resultId: string; usefulness: AgentUsefulness; clickedIn: ActionThread }): Promise<FeedbackResult> {
    const { store, audit } = this.d;
    const auditBase = {
      actor: req.userId,
      action: 'case.agent-feedback',
      target: `${req.caseId}/${req.resultId}`,
      inputs: { usefulness: req.usefulness },
      channel: req.clickedIn.channel,
      ts: req.clickedIn.threadTs,
    };
    const allowed = await this.d.access.check(req.userId, 'responder');
    if (!allowed.allowed) {
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason: allowed.reason } });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    const record = await store.actions.getCase(req.caseId);
    if (!record || record.channel !== req.clickedIn.channel || record.threadTs !== req.clickedIn.threadTs) {
      const reason = 'this button belongs to another thread';
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason } });
      return { ok: false, kind: 'invalid', reason };
    }
    await audit.record({ ...auditBase, outcome: 'requested' });
    try {
      await this.d.securityIr.sendFeedback(req.caseId, req.resultId, req.usefulness);
    } catch (err) {
      await audit.record({ ...auditBase, outcome: 'failed', result: { error: errorText(err) } });
      return { ok: false, kind: 'failed', reason: errorText(err) };
    }
    // The same person's same verdict again (a double click) is sent again, harmlessly, and said once.
    const first = await store.claimKey(`agent-feedback:${req.caseId}:${req.resultId}:${req.userId}:${req.usefulness}`, 400 * 24 * 3600, this.now());
    if (!first) return { ok: true, already: true };
    await audit.record({ ...auditBase, outcome: 'executed', result: { usefulness: req.usefulness } });
    await this.d.notices
      .agentFeedbackGiven({ thread: req.clickedIn, caseId: req.caseId, resultId: req.resultId, usefulness: req.usefulness, by: req.userId })
      .catch((err: unknown) => this.d.logger.warn({ err, caseId: req.caseId }, 'could not say the feedback was sent'));
    return { ok: true, already: false };
  }
}
