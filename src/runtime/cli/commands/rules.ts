import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import * as z from 'zod';
import { parseRules } from '../../../config/rules-file.ts';
import { migrateRules, type CspmAutomationRule } from '../../../domain/routing/migrate.ts';
import { type CliIo, UsageError, parseArgs } from '../io.ts';

export const usage = [
  'sirbot rules import FILE [--report PATH] [--keep-asff-only]    Security Hub CSPM automation rules → sirbot rules YAML',
  'sirbot rules check FILE    validate a rules file; print its warnings',
].join('\n');

const cspmRule = z.looseObject({
  RuleName: z.string().min(1),
  RuleOrder: z.number().int(),
  RuleStatus: z.enum(['ENABLED', 'DISABLED']).optional(),
  IsTerminal: z.boolean().optional(),
  Description: z.string().optional(),
  RuleArn: z.string().optional(),
  UpdatedAt: z.string().optional(),
  Criteria: z.record(z.string(), z.array(z.unknown())).optional(),
  Actions: z.array(z.looseObject({ Type: z.string(), FindingFieldsUpdate: z.record(z.string(), z.unknown()).optional() })).optional(),
});

/** BatchGetAutomationRules output (`{Rules: […]}`), a list of rules, or one rule. */
const importFile = z.union([z.looseObject({ Rules: z.array(cspmRule) }).transform((d) => d.Rules), z.array(cspmRule), cspmRule.transform((r) => [r])]);

function importRules(args: string[], io: CliIo): number {
  const { positional, options } = parseArgs(args, ['report']);
  const [file] = positional;
  if (!file) throw new UsageError('rules import needs a FILE (BatchGetAutomationRules JSON)');
  let json: unknown;
  try {
    json = JSON.parse(io.readInput(file));
  } catch (err) {
    io.stderr(`error: ${file} is not valid JSON: ${(err as Error).message}`);
    return 1;
  }
  const parsed = importFile.safeParse(json);
  if (!parsed.success) {
    io.stderr(`error: ${file} is not BatchGetAutomationRules output: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return 1;
  }
  const result = migrateRules(parsed.data as CspmAutomationRule[], { keepAsffOnly: options['keep-asff-only'] === true });
  const yaml = stringify({ version: 1, rules: result.rules });
  // What we write must load: a rule the importer produced that sirbot rejects is a bug, not a user error.
  parseRules(yaml, `${file} (imported)`, '#security-findings');
  io.stdout(yaml.trimEnd());
  const report = JSON.stringify(result.report, null, 2);
  if (typeof options.report === 'string') writeFileSync(options.report, `${report}\n`);
  else io.stderr(report);
  return 0;
}

function checkRules(args: string[], io: CliIo): number {
  const [file] = args;
  if (!file) throw new UsageError('rules check needs a FILE');
  const compiled = parseRules(io.readInput(file), file, '#security-findings');
  for (const w of compiled.warnings) io.stderr(`warning: ${w}`);
  io.stdout(
    JSON.stringify({
      rules: compiled.ruleSet.rules.map((r) => ({ name: r.name, order: r.order, enabled: r.enabled, appliesTo: r.appliesTo })),
      defaultChannel: compiled.ruleSet.defaultChannel,
      warnings: compiled.warnings,
    }),
  );
  return 0;
}

export function run(args: string[], io: CliIo): number {
  const [sub, ...rest] = args;
  if (sub === 'import') return importRules(rest, io);
  if (sub === 'check') return checkRules(rest, io);
  throw new UsageError(`unknown rules subcommand ${JSON.stringify(sub ?? '')}`);
}
