import { BOT_ID, CHAT_METHODS } from './chat.ts';
import { CONVERSATION_METHODS } from './conversations.ts';
import { DIRECTORY_METHODS } from './directory.ts';
import { FILE_METHODS } from './files.ts';
import type { Method } from './method.ts';
import { VIEW_METHODS } from './views.ts';

export type { Answer, Args, Method, MethodContext } from './method.ts';

const authTest: Method = (_args, { ws, origin }) => ({
  ok: true,
  url: `${origin}/`,
  team: 'sirbot emulator',
  user: 'sirbot',
  team_id: ws.teamId,
  user_id: ws.botUserId,
  bot_id: BOT_ID,
  is_enterprise_install: false,
});

const METHODS: Record<string, Method> = {
  'auth.test': authTest,
  ...CHAT_METHODS,
  ...CONVERSATION_METHODS,
  ...FILE_METHODS,
  ...VIEW_METHODS,
  ...DIRECTORY_METHODS,
};

/** The handler of a Web API method, if the emulator serves it. */
export function methodFor(name: string): Method | undefined {
  return Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
}

export const SERVED_METHODS: readonly string[] = Object.keys(METHODS);
