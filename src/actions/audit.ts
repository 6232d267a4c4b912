import type { ActionStore, AuditOutcome } from '../ports/action-store.ts';
import type { Logger } from '../ports/logger.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  inputs: unknown;
  outcome: AuditOutcome;
  result?: unknown;
  /** Where in Slack it happened; turned into a permalink when the workspace can give one. */
  channel?: string | null;
  ts?: string | null;
}

/**
 * Every action, whatever its outcome, leaves one record: who, what, when, with which
 * inputs, the result and where in Slack. Writing the record is never skipped because
 * a permalink could not be had.
 */
export class Auditor {
  constructor(
    private readonly store: ActionStore,
    private readonly logger: Logger,
    private readonly permalink: (channel: string, ts: string) => Promise<string | null> = async () => null,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(e: AuditEntry): Promise<void> {
    const permalink = e.channel && e.ts ? await this.permalink(e.channel, e.ts).catch(() => null) : null;
    const record = {
      at: new Date(this.clock()).toISOString(),
      actor: e.actor,
      action: e.action,
      target: e.target,
      inputs: e.inputs ?? null,
      outcome: e.outcome,
      result: e.result ?? null,
      permalink,
    };
    await this.store.appendAudit(record);
    this.logger.info({ audit: record }, `audit: ${e.actor} ${e.action} ${e.target} → ${e.outcome}`);
  }
}
