import { withoutRaw } from '../../../domain/finding.ts';
import { normalizeText } from '../../../ingest/normalize.ts';
import { type CliIo, UsageError } from '../io.ts';

export const usage = 'sirbot normalize FILE|-    one normalized finding per line (JSON), errors in place';

/** Reads FILE (or stdin); exit 1 only when nothing in it could be read. */
export function run(args: string[], io: CliIo): number {
  const [file] = args;
  if (!file) throw new UsageError('normalize needs a FILE or - for stdin');
  const text = io.readInput(file);
  const result = normalizeText(text);
  for (const item of result.items) {
    if (item.ok) io.stdout(JSON.stringify(withoutRaw(item.finding)));
    else io.stdout(JSON.stringify({ error: item.message, input: item.path }));
  }
  return readNothing(result) ? 1 : 0;
}

/** True when the input was not even JSON: nothing could be read at all. */
export function readNothing(result: ReturnType<typeof normalizeText>): boolean {
  return result.findings.length === 0 && result.errors.every((e) => e.message.startsWith('invalid JSON'));
}
