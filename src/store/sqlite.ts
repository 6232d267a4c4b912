import Database from 'better-sqlite3';
import {
  FINDING_COLUMNS,
  digestProgressParams,
  type DeadLetterRow,
  type DigestRow,
  type FindingRow,
  type InvestigationRow,
  findingParams,
  investigationParams,
  statementCache,
  toDeadLetter,
  toDigest,
  toFinding,
  toInvestigation,
} from './sqlite-rows.ts';
import { SqliteActionStore } from './sqlite-actions.ts';
import type { DeadLetter, DigestMember, DigestProgress, DigestRecord, FindingRecord, InvestigationRecord, Store } from '../ports/store.ts';
import { type UnreadableRecord, readableOnly, warnUnreadable } from './record-codecs.ts';
import { BackgroundCheckpoints, CHECKPOINT_SAFETY_PAGES } from './sqlite-checkpoints.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS findings (
  finding_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  updated_at TEXT,
  channel TEXT NOT NULL,
  ts TEXT,
  digest_id TEXT,
  suppressed INTEGER NOT NULL,
  severity TEXT NOT NULL,
  workflow_status TEXT NOT NULL,
  record_state TEXT NOT NULL,
  delivered_at TEXT NOT NULL,
  snapshot TEXT,
  state TEXT NOT NULL DEFAULT 'received',
  version INTEGER NOT NULL DEFAULT 1,
  sent_at TEXT,
  attempt_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  follow_up_pending INTEGER NOT NULL DEFAULT 0,
  pending_snapshot TEXT
);
CREATE TABLE IF NOT EXISTS investigations (
  id TEXT PRIMARY KEY,
  finding_id TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  thread_ts TEXT NOT NULL,
  state TEXT NOT NULL,
  answers TEXT NOT NULL,
  questions_ts TEXT,
  progress_ts TEXT,
  result TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS investigations_thread ON investigations (channel, thread_ts);
CREATE TABLE IF NOT EXISTS root_slots (
  channel TEXT NOT NULL,
  finding_id TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (channel, finding_id)
);
CREATE INDEX IF NOT EXISTS root_slots_window ON root_slots (channel, at);
CREATE TABLE IF NOT EXISTS digests (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  group_key TEXT NOT NULL,
  label TEXT NOT NULL,
  ts TEXT,
  slack_channel TEXT,
  opened_at TEXT NOT NULL,
  last_added_at TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  root_sent_at TEXT,
  listing_key TEXT,
  listing_sent_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  unlisted INTEGER NOT NULL DEFAULT 0,
  flush_lease TEXT
);
CREATE INDEX IF NOT EXISTS digests_open ON digests (channel, group_key, last_added_at);
CREATE TABLE IF NOT EXISTS digest_members (
  digest_id TEXT NOT NULL,
  finding_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  line TEXT NOT NULL,
  account_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  listed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (digest_id, finding_id)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at TEXT NOT NULL,
  origin TEXT NOT NULL,
  path TEXT NOT NULL,
  error TEXT NOT NULL,
  payload TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 1
);
`;

/** Indexes on columns that files written by earlier versions gain in migrate(). */
const INDEXES = `
CREATE INDEX IF NOT EXISTS findings_incomplete ON findings (attempt_at)
  WHERE state IN ('received', 'posting') OR follow_up_pending = 1 OR pending_snapshot IS NOT NULL;
CREATE INDEX IF NOT EXISTS findings_delivered ON findings (delivered_at);
CREATE INDEX IF NOT EXISTS digests_to_flush ON digests (opened_at) WHERE unlisted > 0 OR ts IS NULL;
`;

/**
 * The local runtime's store: one SQLite file (WAL). better-sqlite3 is synchronous,
 * so each method is atomic within the process by construction.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly sql: (sql: string) => Database.Statement;
  readonly actions: SqliteActionStore;
  private readonly checkpoints: BackgroundCheckpoints | undefined;

  private readonly report: UnreadableRecord;

  constructor(path: string, options: { onUnreadable?: UnreadableRecord } = {}) {
    this.report = options.onUnreadable ?? warnUnreadable;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    if (path !== ':memory:' && path !== '') {
      // Checkpoints in a worker thread, not inside whichever write crosses the threshold (./sqlite-checkpoints.ts).
      this.db.pragma(`wal_autocheckpoint = ${CHECKPOINT_SAFETY_PAGES}`);
      this.checkpoints = new BackgroundCheckpoints(path);
    }
    this.db.exec(SCHEMA);
    this.migrate();
    this.db.exec(INDEXES);
    this.sql = statementCache(this.db);
    this.actions = new SqliteActionStore(this.db, this.report);
  }

  /**
   * Files written by earlier versions get the columns added since. Their findings had
   * no delivery state: a record with neither a root nor a digest was cut off mid-post
   * (the post may have reached Slack), so it resumes as `posting` with a look first.
   */
  private migrate(): void {
    const columnsOf = (table: string) => new Set((this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name));
    const add = (table: string, columns: Set<string>, name: string, definition: string) => {
      if (!columns.has(name)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
    };
    const findings = columnsOf('findings');
    const hadState = findings.has('state');
    add('findings', findings, 'snapshot', 'TEXT');
    add('findings', findings, 'state', "TEXT NOT NULL DEFAULT 'received'");
    add('findings', findings, 'version', 'INTEGER NOT NULL DEFAULT 1');
    add('findings', findings, 'sent_at', 'TEXT');
    add('findings', findings, 'attempt_at', 'TEXT');
    add('findings', findings, 'attempts', 'INTEGER NOT NULL DEFAULT 0');
    add('findings', findings, 'follow_up_pending', 'INTEGER NOT NULL DEFAULT 0');
    add('findings', findings, 'pending_snapshot', 'TEXT');
    if (!hadState) {
      this.db.exec(`UPDATE findings SET state = CASE
        WHEN suppressed = 1 THEN 'suppressed' WHEN ts IS NOT NULL THEN 'posted' WHEN digest_id IS NOT NULL THEN 'digested' ELSE 'posting' END,
        sent_at = CASE WHEN ts IS NULL AND digest_id IS NULL AND suppressed = 0 THEN delivered_at END`);
    }
    const digests = columnsOf('digests');
    const hadUnlisted = digests.has('unlisted');
    for (const [name, definition] of [
      ['root_sent_at', 'TEXT'],
      ['listing_key', 'TEXT'],
      ['listing_sent_at', 'TEXT'],
      ['attempts', 'INTEGER NOT NULL DEFAULT 0'],
      ['last_error', 'TEXT'],
      ['unlisted', 'INTEGER NOT NULL DEFAULT 0'],
      ['flush_lease', 'TEXT'],
    ] as const) {
      add('digests', digests, name, definition);
    }
    if (!hadUnlisted) {
      this.db.exec(
        'UPDATE digests SET unlisted = (SELECT COUNT(*) FROM digest_members m WHERE m.digest_id = digests.id AND m.listed = 0), root_sent_at = opened_at WHERE ts IS NULL',
      );
    }
    add('dead_letters', columnsOf('dead_letters'), 'count', 'INTEGER NOT NULL DEFAULT 1');
  }

  async getFinding(findingId: string): Promise<FindingRecord | null> {
    const row = this.sql('SELECT * FROM findings WHERE finding_id = ?').get(findingId) as FindingRow | undefined;
    return row ? toFinding(row) : null;
  }

  async insertFinding(record: FindingRecord): Promise<boolean> {
    const result = this.sql(
      `INSERT INTO findings (${FINDING_COLUMNS.join(', ')}) VALUES (${FINDING_COLUMNS.map((c) => `@${c}`).join(', ')})
           ON CONFLICT (finding_id) DO NOTHING`,
    ).run(findingParams(record));
    return result.changes === 1;
  }

  async updateFinding(record: FindingRecord): Promise<boolean> {
    const assignments = FINDING_COLUMNS.filter((c) => c !== 'finding_id' && c !== 'version').map((c) => `${c}=@${c}`);
    const result = this.sql(`UPDATE findings SET ${assignments.join(', ')}, version = version + 1 WHERE finding_id=@finding_id AND version=@version`).run(
      findingParams(record),
    );
    return result.changes === 1;
  }

  async listIncompleteFindings(staleBefore: string, limit: number): Promise<FindingRecord[]> {
    const rows = this.sql(
      `SELECT * FROM findings WHERE (state IN ('received', 'posting') OR follow_up_pending = 1 OR pending_snapshot IS NOT NULL)
           AND (attempt_at IS NULL OR attempt_at < ?) ORDER BY attempt_at LIMIT ?`,
    ).all(staleBefore, limit) as FindingRow[];
    return readableOnly(rows, toFinding, this.report);
  }

  async listFindingsDelivered(from: string, to: string, limit: number): Promise<FindingRecord[]> {
    const rows = this.sql('SELECT * FROM findings WHERE delivered_at >= ? AND delivered_at < ? ORDER BY delivered_at, finding_id LIMIT ?').all(
      from,
      to,
      limit,
    ) as FindingRow[];
    return readableOnly(rows, toFinding, this.report);
  }

  async reserveRootSlot(channel: string, findingId: string, since: string, limit: number, now: string): Promise<boolean> {
    return this.db.transaction(() => {
      const held = this.sql('SELECT 1 FROM root_slots WHERE channel = ? AND finding_id = ? AND at >= ?').get(channel, findingId, since);
      if (held) return true;
      const { n } = this.sql('SELECT COUNT(*) AS n FROM root_slots WHERE channel = ? AND at >= ?').get(channel, since) as { n: number };
      if (n >= limit) return false;
      this.sql('INSERT OR REPLACE INTO root_slots VALUES (?, ?, ?)').run(channel, findingId, now);
      this.sql('DELETE FROM root_slots WHERE channel = ? AND at < ?').run(channel, since);
      return true;
    })();
  }

  async openDigest(channel: string, groupKey: string, label: string, since: string, now: string): Promise<DigestRecord> {
    return this.db.transaction(() => {
      const open = this.sql('SELECT * FROM digests WHERE channel = ? AND group_key = ? AND last_added_at >= ? ORDER BY opened_at DESC LIMIT 1').get(
        channel,
        groupKey,
        since,
      ) as DigestRow | undefined;
      if (open) return toDigest(open);
      const id = `dg-${Date.parse(now).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      this.sql('INSERT INTO digests (id, channel, group_key, label, opened_at, last_added_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        id,
        channel,
        groupKey,
        label,
        now,
        now,
      );
      return toDigest(this.sql('SELECT * FROM digests WHERE id = ?').get(id) as DigestRow);
    })();
  }

  async addDigestMember(m: Omit<DigestMember, 'seq' | 'listed'>, now: string): Promise<void> {
    this.db.transaction(() => {
      const { count } = this.sql('SELECT count FROM digests WHERE id = ?').get(m.digestId) as { count: number };
      const inserted = this.sql(
        `INSERT INTO digest_members (digest_id, finding_id, seq, line, account_id, severity, listed)
           VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`,
      ).run(m.digestId, m.findingId, count + 1, m.line, m.accountId, m.severity);
      if (inserted.changes === 1) {
        this.sql('UPDATE digests SET count = count + 1, unlisted = unlisted + 1, last_added_at = ? WHERE id = ?').run(now, m.digestId);
      }
    })();
  }

  async unlistedMembers(digestId: string, limit: number): Promise<DigestMember[]> {
    const rows = this.sql('SELECT * FROM digest_members WHERE digest_id = ? AND listed = 0 ORDER BY seq LIMIT ?').all(digestId, limit) as Array<{
      digest_id: string;
      finding_id: string;
      seq: number;
      line: string;
      account_id: string;
      severity: DigestMember['severity'];
      listed: number;
    }>;
    return rows.map((r) => ({
      digestId: r.digest_id,
      findingId: r.finding_id,
      seq: r.seq,
      line: r.line,
      accountId: r.account_id,
      severity: r.severity,
      listed: r.listed === 1,
    }));
  }

  async markListed(digestId: string, findingIds: string[]): Promise<void> {
    const stmt = this.sql('UPDATE digest_members SET listed = 1 WHERE digest_id = ? AND finding_id = ? AND listed = 0');
    this.db.transaction(() => {
      let flipped = 0;
      for (const id of findingIds) flipped += stmt.run(digestId, id).changes;
      this.sql('UPDATE digests SET unlisted = unlisted - ? WHERE id = ?').run(flipped, digestId);
    })();
  }

  async updateDigest(digestId: string, progress: Partial<DigestProgress>): Promise<void> {
    const params = digestProgressParams(progress);
    const columns = Object.keys(params);
    if (columns.length === 0) return;
    this.sql(`UPDATE digests SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...params, id: digestId });
  }

  async claimDigestFlush(digestId: string, until: string, now: string, held?: string): Promise<boolean> {
    const result = this.sql('UPDATE digests SET flush_lease = ? WHERE id = ? AND (flush_lease IS NULL OR flush_lease <= ? OR flush_lease = ?)').run(
      until,
      digestId,
      now,
      held ?? null,
    );
    return result.changes === 1;
  }

  async releaseDigestFlush(digestId: string): Promise<void> {
    this.sql('UPDATE digests SET flush_lease = NULL WHERE id = ?').run(digestId);
  }

  async listDigestsToFlush(openedSince: string, limit: number): Promise<DigestRecord[]> {
    const rows = this.sql('SELECT * FROM digests WHERE (unlisted > 0 OR (ts IS NULL AND count > 0)) AND opened_at >= ? ORDER BY opened_at LIMIT ?').all(
      openedSince,
      limit,
    ) as DigestRow[];
    return rows.map(toDigest);
  }

  async getDigest(digestId: string): Promise<DigestRecord | null> {
    const row = this.sql('SELECT * FROM digests WHERE id = ?').get(digestId) as DigestRow | undefined;
    return row ? toDigest(row) : null;
  }

  async digestBreakdown(digestId: string) {
    const byAccount: Record<string, number> = {};
    const bySeverity: Record<string, number> = {};
    const accounts = this.sql('SELECT account_id AS k, COUNT(*) AS n FROM digest_members WHERE digest_id = ? GROUP BY account_id').all(digestId) as Array<{
      k: string;
      n: number;
    }>;
    for (const a of accounts) byAccount[a.k] = a.n;
    const severities = this.sql('SELECT severity AS k, COUNT(*) AS n FROM digest_members WHERE digest_id = ? GROUP BY severity').all(digestId) as Array<{
      k: string;
      n: number;
    }>;
    for (const s of severities) bySeverity[s.k] = s.n;
    return { byAccount, bySeverity };
  }

  async claimKey(key: string, ttlSeconds: number, now: string): Promise<boolean> {
    const expires = new Date(Date.parse(now) + ttlSeconds * 1000).toISOString();
    return this.db.transaction(() => {
      const row = this.sql('SELECT expires_at FROM idempotency_keys WHERE key = ?').get(key) as { expires_at: string } | undefined;
      if (row && row.expires_at > now) return false;
      this.sql('INSERT OR REPLACE INTO idempotency_keys VALUES (?, ?)').run(key, expires);
      return true;
    })();
  }

  async insertInvestigation(record: InvestigationRecord): Promise<boolean> {
    const result = this.sql(
      `INSERT INTO investigations VALUES (@id, @finding_id, @channel, @thread_ts, @state, @answers, @questions_ts,
           @progress_ts, @result, @created_at, @updated_at) ON CONFLICT DO NOTHING`,
    ).run(investigationParams(record));
    return result.changes === 1;
  }

  async getInvestigation(id: string): Promise<InvestigationRecord | null> {
    const row = this.sql('SELECT * FROM investigations WHERE id = ?').get(id) as InvestigationRow | undefined;
    return row ? toInvestigation(row) : null;
  }

  async findInvestigationByThread(channel: string, threadTs: string): Promise<InvestigationRecord | null> {
    const row = this.sql('SELECT * FROM investigations WHERE channel = ? AND thread_ts = ?').get(channel, threadTs) as InvestigationRow | undefined;
    return row ? toInvestigation(row) : null;
  }

  async updateInvestigation(record: InvestigationRecord): Promise<void> {
    this.sql(
      `UPDATE investigations SET state=@state, answers=@answers, questions_ts=@questions_ts, progress_ts=@progress_ts,
           result=@result, updated_at=@updated_at WHERE id=@id`,
    ).run(investigationParams(record));
  }

  async moveInvestigationThread(id: string, channel: string, threadTs: string, updatedAt: string): Promise<void> {
    this.sql('UPDATE investigations SET channel = ?, thread_ts = ?, updated_at = ? WHERE id = ?').run(channel, threadTs, updatedAt, id);
  }

  async transitionInvestigation(expected: Pick<InvestigationRecord, 'id' | 'state' | 'updatedAt'>, next: InvestigationRecord): Promise<boolean> {
    const result = this.sql(
      `UPDATE investigations SET state=@state, answers=@answers, questions_ts=@questions_ts, progress_ts=@progress_ts,
           result=@result, updated_at=@updated_at WHERE id=@id AND state=@expected_state AND updated_at=@expected_updated_at`,
    ).run({ ...investigationParams(next), id: expected.id, expected_state: expected.state, expected_updated_at: expected.updatedAt });
    return result.changes === 1;
  }

  async listInvestigations(state?: InvestigationRecord['state']): Promise<InvestigationRecord[]> {
    const rows = (
      state
        ? this.sql('SELECT * FROM investigations WHERE state = ? ORDER BY created_at').all(state)
        : this.sql('SELECT * FROM investigations ORDER BY created_at').all()
    ) as InvestigationRow[];
    return readableOnly(rows, toInvestigation, this.report);
  }

  async addDeadLetter(entry: Omit<DeadLetter, 'id'>): Promise<void> {
    this.sql('INSERT INTO dead_letters (received_at, origin, path, error, payload, count) VALUES (?, ?, ?, ?, ?, ?)').run(
      entry.receivedAt,
      entry.origin,
      entry.path,
      entry.error,
      entry.payload,
      entry.count,
    );
  }

  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    const rows = this.sql('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ?').all(limit) as DeadLetterRow[];
    return rows.map(toDeadLetter);
  }

  async getDeadLetter(id: number): Promise<DeadLetter | null> {
    const row = this.sql('SELECT * FROM dead_letters WHERE id = ?').get(id) as DeadLetterRow | undefined;
    return row ? toDeadLetter(row) : null;
  }

  async deleteDeadLetter(id: number): Promise<void> {
    this.sql('DELETE FROM dead_letters WHERE id = ?').run(id);
  }

  async close(): Promise<void> {
    await this.checkpoints?.stop();
    this.db.close();
  }
}
