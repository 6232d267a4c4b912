import { readFileSync } from 'node:fs';
import { AwsClientFactory, fakeCredentials } from '../../../aws/clients.ts';
import { QuotaQueues } from '../../../aws/quotas.ts';
import { fakeArchiveSettings } from '../../../config/archive.ts';
import { fakeSecurityLakeSettings } from '../../../config/security-lake.ts';
import { fakeSecurityLake } from '../../../emulator/aws/security-lake.ts';
import { parseEnv } from '../../../config/env.ts';
import type { Finding } from '../../../domain/finding.ts';
import { type Answers, type Playbook, type QuestionId, playbookFor } from '../../../domain/investigation/playbooks.ts';
import { type Subject, subjectsOf } from '../../../domain/investigation/subjects.ts';
import { startFakeAws } from '../../../emulator/aws/server.ts';
import { createCollectors } from '../../../aws/evidence/collectors.ts';
import { normalizeText } from '../../../ingest/normalize.ts';
import { investigate, type InvestigationResult } from '../../../investigation/investigate.ts';
import { type CliIo, UsageError, parseArgs } from '../io.ts';

export const usage =
  'sirbot investigate --finding FINDING.json [--finding-id ID] --scenario DIR [--answers ANSWERS.json] [--format json|text] [--quota-scale N] [--archive lake|athena|s3|none]';

const ANSWER_KEYS: QuestionId[] = ['exposedAt', 'principal', 'accessKeyId', 'rotated', 'accountId', 'instanceId'];

function readAnswers(path: string | undefined): Answers {
  if (!path) return {};
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const answers: Answers = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!ANSWER_KEYS.includes(k as QuestionId)) throw new UsageError(`--answers: unknown question ${JSON.stringify(k)} (known: ${ANSWER_KEYS.join(', ')})`);
    if (typeof v !== 'string') throw new UsageError(`--answers: ${k} must be a string`);
    answers[k as QuestionId] = v;
  }
  return answers;
}

/**
 * The subjects of the investigation: the engine's when it reports them, else read from the
 * finding here (the same function: `subjectsOf`).
 */
function subjectsFor(result: InvestigationResult, finding: Finding): Subject[] {
  return (result as InvestigationResult & { subjects?: Subject[] }).subjects ?? subjectsOf(finding);
}

function text(r: InvestigationResult, subjects: Subject[], playbook: Playbook): string {
  const s = r.summary;
  const lines = [
    s.text,
    '',
    `Window: ${r.window.start} → ${r.window.end} (playbook ${r.playbook})`,
    ...playbook.notes.map((n) => `Note: ${n}`),
    subjects.length ? `Subjects: ${subjects.map((x) => `${x.kind} ${x.id}`).join(', ')}` : '',
    s.createdIdentities.length ? `Created: ${s.createdIdentities.map((c) => `${c.kind} ${c.name}`).join(', ')}` : '',
    'Recommendations:',
    ...s.recommendations.map((x) => `  - ${x}`),
    r.limitingFactors.length ? 'Limiting factors:' : '',
    ...r.limitingFactors.map((l) => `  - ${l.source} ${l.reason}: ${l.detail}`),
    '',
    'Timeline:',
    ...r.timeline.map(
      (e) =>
        `  ${e.time}  ${e.action.padEnd(28)} ${(e.errorCode ?? 'ok').padEnd(14)} ${e.actor ?? '?'} from ${e.sourceIp ?? '?'}` +
        (e.tactics.length ? `  [${e.tactics.join(', ')}]` : '') +
        (e.highlights.length ? `  ! ${e.highlights.join('; ')}` : ''),
    ),
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}

/**
 * Runs the investigation engine against the fake AWS seeded from a scenario folder,
 * with the same collectors, quotas and SDK clients the bot uses.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { options } = parseArgs(args, ['finding', 'finding-id', 'scenario', 'answers', 'format', 'quota-scale', 'archive']);
  if (typeof options.finding !== 'string') throw new UsageError('investigate needs --finding FINDING.json');
  if (typeof options.scenario !== 'string') throw new UsageError('investigate needs --scenario DIR');
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UsageError('--format is json or text');
  const scale = Number(options['quota-scale'] ?? 1);
  if (!(scale >= 1)) throw new UsageError('--quota-scale must be a number ≥ 1');
  const archiveKind = options.archive;
  if (archiveKind !== undefined && !['lake', 'athena', 's3', 'none'].includes(String(archiveKind)))
    throw new UsageError('--archive must be lake, athena, s3 or none');

  const normalized = normalizeText(io.readInput(options.finding));
  if (normalized.findings.length === 0) {
    io.stderr(`error: no finding could be read from ${options.finding}: ${normalized.errors[0]?.message ?? 'empty'}`);
    return 1;
  }
  // A file may hold many findings: investigating one of them silently would answer the wrong question.
  const wanted = options['finding-id'];
  const finding =
    typeof wanted === 'string' ? normalized.findings.find((f) => f.id === wanted) : normalized.findings.length === 1 ? normalized.findings[0] : undefined;
  if (!finding) {
    const ids = normalized.findings.map((f) => `  ${f.id}`).join('\n');
    io.stderr(
      typeof wanted === 'string'
        ? `error: no finding ${wanted} in ${options.finding}; it holds:\n${ids}`
        : `error: ${options.finding} holds ${normalized.findings.length} findings; pick one with --finding-id:\n${ids}`,
    );
    return 1;
  }
  const answers = readAnswers(typeof options.answers === 'string' ? options.answers : undefined);
  const aws = await startFakeAws({ scenario: options.scenario, quotaScale: scale });
  const clients = new AwsClientFactory({ region: finding.region, endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  try {
    for (const p of aws.scenario.problems) io.stderr(`warning: scenario: ${p}`);
    const quotas = new QuotaQueues(scale);
    // The scenario's trail store (its scenario.json declares one), or the one asked for.
    const archive = fakeArchiveSettings(
      { ...parseEnv({}), ...(archiveKind ? { SIRBOT_FAKE_ARCHIVE: archiveKind as 'lake' | 'athena' | 's3' | 'none' } : {}) },
      aws.scenario.trail,
      'us-east-1',
    );
    const securityLake = fakeSecurityLakeSettings(parseEnv({}), fakeSecurityLake(aws.scenario), aws.scenario.trail);
    const collectors = createCollectors(clients, quotas, archive, undefined, securityLake);
    const result = await investigate(finding, answers, collectors, aws.now());
    const subjects = subjectsFor(result, finding);
    if (format === 'text') io.stdout(text(result, subjects, playbookFor(finding)));
    else {
      io.stdout(
        JSON.stringify({
          summary: result.summary,
          timeline: result.timeline,
          limitingFactors: result.limitingFactors,
          window: result.window,
          playbook: result.playbook,
          subjects,
          answers: result.answers,
        }),
      );
    }
    return 0;
  } finally {
    clients.destroy();
    await aws.close();
  }
}
