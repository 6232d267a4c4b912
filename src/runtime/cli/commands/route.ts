import { parseRules } from '../../../config/rules-file.ts';
import { route } from '../../../domain/routing/evaluate.ts';
import { normalizeText } from '../../../ingest/normalize.ts';
import { type CliIo, UsageError, parseArgs } from '../io.ts';
import { readNothing } from './normalize.ts';

export const usage = 'sirbot route --rules RULES.yml [--now ISO] FILE|-    one routing decision per finding (JSON lines)';

export function run(args: string[], io: CliIo): number {
  const { positional, options } = parseArgs(args, ['rules', 'now', 'default-channel']);
  const rulesPath = options.rules;
  if (typeof rulesPath !== 'string') throw new UsageError('route needs --rules RULES.yml');
  const [file] = positional;
  if (!file) throw new UsageError('route needs a FILE or - for stdin');
  const now = typeof options.now === 'string' ? Date.parse(options.now) : Date.now();
  if (Number.isNaN(now)) throw new UsageError(`--now ${String(options.now)} is not a date`);
  const fallback = typeof options['default-channel'] === 'string' ? options['default-channel'] : '#security-findings';
  const compiled = parseRules(io.readInput(rulesPath), rulesPath, fallback);
  for (const w of compiled.warnings) io.stderr(`warning: ${w}`);
  const result = normalizeText(io.readInput(file));
  for (const item of result.items) {
    if (!item.ok) {
      io.stdout(JSON.stringify({ error: item.message, input: item.path }));
      continue;
    }
    const d = route(compiled.ruleSet, item.finding, now);
    io.stdout(
      JSON.stringify({
        findingId: d.findingId,
        matchedRules: d.matchedRules,
        channel: d.channel,
        severity: d.severity,
        suppressed: d.suppressed,
        digest: d.digest,
        investigate: d.investigate,
        mentions: d.mentions,
        actions: d.actions,
      }),
    );
  }
  return readNothing(result) ? 1 : 0;
}
