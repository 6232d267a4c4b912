import { existsSync, readFileSync, renameSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import type { Workspace, WorkspaceState } from './workspace.ts';

/**
 * The emulated workspace kept in a file beside sirbot's database, so `npm start` run
 * again finds the channels and threads that sirbot's records point at (a real workspace
 * keeps them too). Written whenever the workspace changed, at most every `intervalMs`, to
 * a temporary file renamed over the old one (a crash leaves the last complete copy); read
 * back at start. A file that cannot be read is set aside, said, and the workspace starts
 * empty: sirbot then posts afresh whatever it finds gone.
 */
const stateSchema = z.object({
  version: z.literal(1),
  channels: z.array(z.object({ id: z.string(), name: z.string(), created: z.number() })),
  messages: z.array(z.looseObject({ channel: z.string(), ts: z.string(), user: z.string() })),
  files: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      title: z.string(),
      length: z.number(),
      content: z.string().nullable(),
      channel: z.string().nullable(),
      threadTs: z.string().nullable(),
    }),
  ),
  fileSeq: z.number().int().min(0),
  lastTsMicros: z.number().min(0),
});

export interface PersistLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PersistedWorkspace {
  /** What was read back at start: how many channels and messages, or null when it started empty. */
  restored: { channels: number; messages: number } | null;
  /** Writes what changed since the last write, now. */
  flush(): Promise<void>;
  /** Stops writing, after a last write. */
  close(): Promise<void>;
}

export function persistWorkspace(ws: Workspace, file: string, logger: PersistLogger, intervalMs = 500): PersistedWorkspace {
  const restored = restore(ws, file, logger);
  let written = ws.changeCount();
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    writing = writing.then(async () => {
      const count = ws.changeCount();
      if (count === written) return;
      const tmp = `${file}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify({ version: 1, ...ws.exportState() }));
        await rename(tmp, file);
        written = count;
      } catch (err) {
        logger.error({ err, file }, 'could not save the emulated Slack workspace');
      }
    });
    return writing;
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  return {
    restored,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

function restore(ws: Workspace, file: string, logger: PersistLogger): PersistedWorkspace['restored'] {
  if (!existsSync(file)) return null;
  try {
    const state = stateSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) as WorkspaceState & { version: 1 };
    ws.importState(state);
    logger.info({ file, channels: state.channels.length, messages: state.messages.length }, 'emulated Slack workspace restored');
    return { channels: state.channels.length, messages: state.messages.length };
  } catch (err) {
    const aside = `${file}.unreadable-${Date.now()}`;
    renameSync(file, aside);
    logger.error(
      { err: err instanceof Error ? err.message : String(err), file, setAside: aside },
      'the saved emulated Slack workspace could not be read; starting it empty',
    );
    return null;
  }
}
