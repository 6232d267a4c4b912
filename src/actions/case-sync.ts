import { type CaseEvent, actorLabel } from '../domain/actions/case-event.ts';
import { resolverLabel } from '../domain/actions/case-status.ts';
import { securityIrCaseUrl } from '../domain/console-links.ts';
import { shortHash } from '../lib/hashed-id.ts';
import type { CaseRecord } from '../ports/action-store.ts';
import type { Logger } from '../ports/logger.ts';
import type { CaseFieldChange, CaseNotices } from '../ports/notices/actions.ts';
import type { CaseDetails, SecurityIrCases } from '../ports/security-ir.ts';
import type { Store } from '../ports/store.ts';
import type { AgentWork } from './agent-work.ts';
import type { CaseComments } from './case-comments.ts';

export interface CaseSyncDeps {
  store: Store;
  securityIr: Pick<SecurityIrCases, 'getCase'>;
  notices: Pick<CaseNotices, 'caseChangedElsewhere'>;
  comments: Pick<CaseComments, 'show'>;
  /** The investigative agent's work, looked at on every event of the case too. */
  agent?: Pick<AgentWork, 'show'>;
  /** Redraws the message that opened the case (its status and the controls that still apply). */
  redrawOpened: (c: CaseRecord) => Promise<void>;
  region: string;
  logger: Logger;
  clock?: () => number;
}

export type CaseSyncOutcome =
  /** Not a case opened from a finding thread here: nothing to show it in. */
  { outcome: 'unknown-case' } | { outcome: 'changed'; changes: CaseFieldChange[] } | { outcome: 'unchanged' } | { outcome: 'comments'; shown: number };

/** What the service says now against what sirbot kept: the fields people follow a case by. */
export function caseChanges(kept: CaseRecord, now: CaseDetails): CaseFieldChange[] {
  const changes: CaseFieldChange[] = [];
  if (now.caseStatus && now.caseStatus !== kept.status) changes.push({ field: 'status', from: kept.status, to: now.caseStatus });
  if (now.resolverType && now.resolverType !== kept.resolverType)
    changes.push({ field: 'resolver', from: resolverLabel(kept.resolverType), to: resolverLabel(now.resolverType) });
  if (now.engagementType && now.engagementType !== kept.engagementType)
    changes.push({ field: 'engagement', from: kept.engagementType, to: now.engagementType });
  return changes;
}

/**
 * Keeps a case's thread in step with Security IR's events (src/ingest/security-ir-events.ts).
 * The events only name the case: a case event reads the case and shows what changed
 * since sirbot last knew it (a duplicate delivery, or sirbot's own change coming back,
 * finds nothing changed and shows nothing); a comment event shows the comments not shown
 * yet. Cases not opened from a thread here are left alone.
 */
export class CaseSync {
  private readonly clock: () => number;

  constructor(private readonly d: CaseSyncDeps) {
    this.clock = d.clock ?? Date.now;
  }

  async apply(e: CaseEvent): Promise<CaseSyncOutcome> {
    const kept = await this.d.store.actions.getCase(e.caseId);
    if (!kept) {
      this.d.logger.info({ caseId: e.caseId, event: e.kind, eventId: e.eventId }, 'Security IR event about a case sirbot did not open: left alone');
      return { outcome: 'unknown-case' };
    }
    const outcome = await this.applyTo(kept, e);
    // The agent sends no events of its own: whatever the case did, look at its work too (the poll does otherwise).
    await this.d.agent?.show(kept).catch((err: unknown) => this.d.logger.warn({ err, caseId: e.caseId }, "could not show the investigative agent's work"));
    return outcome;
  }

  private async applyTo(kept: CaseRecord, e: CaseEvent): Promise<CaseSyncOutcome> {
    if (e.kind === 'comment-added' || e.kind === 'comment-updated') return { outcome: 'comments', ...(await this.d.comments.show(kept)) };
    const now = await this.d.securityIr.getCase(e.caseId);
    const changes = caseChanges(kept, now);
    if (changes.length === 0) return { outcome: 'unchanged' };
    const next: CaseRecord = {
      ...kept,
      ...(now.caseStatus ? { status: now.caseStatus } : {}),
      ...(now.resolverType ? { resolverType: now.resolverType } : {}),
      ...(now.engagementType ? { engagementType: now.engagementType } : {}),
      updatedAt: new Date(this.clock()).toISOString(),
    };
    // Told before it is kept: a failure to tell leaves the change to be found again by the
    // retried event. The post is keyed by the change, so two events finding it post it once.
    if (next.channel && next.threadTs) {
      await this.d.notices.caseChangedElsewhere({
        thread: { channel: next.channel, threadTs: next.threadTs },
        case: next,
        caseUrl: securityIrCaseUrl(next.caseId, this.d.region),
        by: actorLabel(e.actor),
        changes,
        key: `sir-case:${next.caseId}:${shortHash(JSON.stringify(changes), 20)}`,
        since: kept.updatedAt,
      });
    }
    await this.d.store.actions.putCase(next);
    await this.d.redrawOpened(next);
    return { outcome: 'changed', changes };
  }
}
