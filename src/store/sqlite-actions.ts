import type Database from 'better-sqlite3';
import { statementCache } from './sqlite-rows.ts';
import type { ActionRecord, ActionState, ActionStore, AuditRecord, CaseRecord, EscalationRecord, EscalationStage, OfferRecord } from '../ports/action-store.ts';

/**
 * Action records in the local SQLite file. Each record is one JSON document with the
 * columns queries select on beside it; the document is the truth.
 */
export const ACTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS actions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  finding_id TEXT,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_finding ON actions (finding_id);
CREATE TABLE IF NOT EXISTS cases (
  case_id TEXT PRIMARY KEY,
  channel TEXT,
  thread_ts TEXT,
  created_at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_thread ON cases (channel, thread_ts);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS escalations (
  finding_id TEXT PRIMARY KEY,
  stage TEXT NOT NULL,
  next_at TEXT,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS escalations_due ON escalations (next_at);
CREATE TABLE IF NOT EXISTS offers (
  id TEXT PRIMARY KEY,
  finding_id TEXT NOT NULL,
  doc TEXT NOT NULL
);
`;

const parse = <T>(row: { doc: string } | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null);

export class SqliteActionStore implements ActionStore {
  private readonly sql: (sql: string) => Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(ACTION_SCHEMA);
    this.sql = statementCache(db);
  }

  async insertAction(r: ActionRecord) {
    const result = this.sql('INSERT INTO actions (id, kind, finding_id, state, created_at, doc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      r.id,
      r.kind,
      r.findingId,
      r.state,
      r.createdAt,
      JSON.stringify(r),
    );
    return result.changes === 1;
  }

  async getAction(id: string) {
    return parse<ActionRecord>(this.sql('SELECT doc FROM actions WHERE id = ?').get(id) as { doc: string } | undefined);
  }

  async transitionAction(id: string, from: ActionState[], patch: Partial<Omit<ActionRecord, 'id'>>) {
    return this.db.transaction(() => {
      const current = parse<ActionRecord>(this.sql('SELECT doc FROM actions WHERE id = ?').get(id) as { doc: string } | undefined);
      if (!current || !from.includes(current.state)) return null;
      const next: ActionRecord = { ...current, ...patch, id };
      this.sql('UPDATE actions SET state = ?, doc = ? WHERE id = ?').run(next.state, JSON.stringify(next), id);
      return next;
    })();
  }

  async listActions(filter: { findingId?: string; state?: ActionState; kind?: string } = {}) {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.findingId) {
      where.push('finding_id = ?');
      args.push(filter.findingId);
    }
    if (filter.state) {
      where.push('state = ?');
      args.push(filter.state);
    }
    if (filter.kind) {
      where.push('kind = ?');
      args.push(filter.kind);
    }
    const sql = `SELECT doc FROM actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at`;
    return (this.sql(sql).all(...args) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as ActionRecord);
  }

  async insertOffer(r: OfferRecord) {
    const result = this.sql('INSERT INTO offers (id, finding_id, doc) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(r.id, r.findingId, JSON.stringify(r));
    return result.changes === 1;
  }

  async getOffer(id: string) {
    return parse<OfferRecord>(this.sql('SELECT doc FROM offers WHERE id = ?').get(id) as { doc: string } | undefined);
  }

  async putCase(r: CaseRecord) {
    this.sql('INSERT OR REPLACE INTO cases (case_id, channel, thread_ts, created_at, doc) VALUES (?, ?, ?, ?, ?)').run(
      r.caseId,
      r.channel,
      r.threadTs,
      r.createdAt,
      JSON.stringify(r),
    );
  }

  async getCase(caseId: string) {
    return parse<CaseRecord>(this.sql('SELECT doc FROM cases WHERE case_id = ?').get(caseId) as { doc: string } | undefined);
  }

  async findCaseByThread(channel: string, threadTs: string) {
    return parse<CaseRecord>(
      this.sql('SELECT doc FROM cases WHERE channel = ? AND thread_ts = ? ORDER BY created_at LIMIT 1').get(channel, threadTs) as { doc: string } | undefined,
    );
  }

  async listCases(limit = 50) {
    return (this.sql('SELECT doc FROM cases ORDER BY created_at DESC LIMIT ?').all(limit) as Array<{ doc: string }>).map(
      (r) => JSON.parse(r.doc) as CaseRecord,
    );
  }

  async appendAudit(r: AuditRecord) {
    this.sql('INSERT INTO audit (at, doc) VALUES (?, ?)').run(r.at, JSON.stringify(r));
  }

  async listAudit(filter: { since?: string; limit?: number } = {}) {
    const rows = this.sql('SELECT doc FROM audit WHERE at >= ? ORDER BY seq LIMIT ?').all(filter.since ?? '', filter.limit ?? -1) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as AuditRecord);
  }

  async insertEscalation(r: EscalationRecord) {
    const result = this.sql('INSERT INTO escalations (finding_id, stage, next_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      r.findingId,
      r.stage,
      r.nextAt,
      JSON.stringify(r),
    );
    return result.changes === 1;
  }

  async getEscalation(findingId: string) {
    return parse<EscalationRecord>(this.sql('SELECT doc FROM escalations WHERE finding_id = ?').get(findingId) as { doc: string } | undefined);
  }

  async dueEscalations(now: string) {
    const rows = this.sql('SELECT doc FROM escalations WHERE next_at IS NOT NULL AND next_at <= ? ORDER BY next_at').all(now) as Array<{ doc: string }>;
    return rows.map((r) => JSON.parse(r.doc) as EscalationRecord);
  }

  async transitionEscalation(findingId: string, from: EscalationStage[], patch: Partial<Omit<EscalationRecord, 'findingId'>>) {
    return this.db.transaction(() => {
      const current = parse<EscalationRecord>(this.sql('SELECT doc FROM escalations WHERE finding_id = ?').get(findingId) as { doc: string } | undefined);
      if (!current || !from.includes(current.stage)) return null;
      const next: EscalationRecord = { ...current, ...patch, findingId };
      this.sql('UPDATE escalations SET stage = ?, next_at = ?, doc = ? WHERE finding_id = ?').run(next.stage, next.nextAt, JSON.stringify(next), findingId);
      return next;
    })();
  }
}
