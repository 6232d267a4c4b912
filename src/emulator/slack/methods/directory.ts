import type { Workspace } from '../workspace.ts';
import { BOT_ID } from './chat.ts';
import { fail, invalidArguments, stringArg, type Method } from './method.ts';

/** usergroups.users.list over the user groups the emulator was given (`userGroups`, `directory`). */
const usergroupUsers: Method = (args, { ws }) => {
  const group = stringArg(args, 'usergroup');
  if (!group) return invalidArguments(['missing required field: usergroup']);
  const users = Object.hasOwn(ws.directory.groups, group) ? ws.directory.groups[group] : undefined;
  return users ? { ok: true, users: [...users] } : fail('no_such_subteam');
};

/** The fields of Slack's user object sirbot and its tests read; the bot itself is a user too. */
function userObject(ws: Workspace, id: string): Record<string, unknown> | undefined {
  if (id === ws.botUserId) {
    return {
      id,
      team_id: ws.teamId,
      name: 'sirbot',
      real_name: 'sirbot',
      deleted: false,
      is_bot: true,
      profile: { real_name: 'sirbot', display_name: 'sirbot', bot_id: BOT_ID },
    };
  }
  const person = Object.hasOwn(ws.directory.users, id) ? ws.directory.users[id] : undefined;
  if (!person) return undefined;
  const profile = { real_name: person.name, display_name: person.name, ...(person.email ? { email: person.email } : {}) };
  // Slack gives each person's time zone: its name, a label, and the offset from UTC now, in seconds.
  const zone = person.tz ? { tz: person.tz, tz_label: person.tz, tz_offset: offsetSeconds(person.tz, Date.now()) } : {};
  return { id, team_id: ws.teamId, name: person.name, real_name: person.name, deleted: false, is_bot: false, ...zone, profile };
}

/** A zone's offset from UTC at a moment (daylight saving included), from the platform's time zone data. */
function offsetSeconds(tz: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  const local = Date.UTC(
    parts.year as number,
    (parts.month as number) - 1,
    parts.day as number,
    parts.hour as number,
    parts.minute as number,
    parts.second as number,
  );
  return Math.round((local - Math.floor(at / 1000) * 1000) / 1000);
}

const usersInfo: Method = (args, { ws }) => {
  const user = userObject(ws, stringArg(args, 'user') ?? '');
  return user ? { ok: true, user } : fail('user_not_found');
};

/** users.lookupByEmail: the person with that email (case-insensitive), or `users_not_found`. */
const usersLookupByEmail: Method = (args, { ws }) => {
  const email = stringArg(args, 'email');
  if (!email) return invalidArguments(['missing required field: email']);
  const id = Object.keys(ws.directory.users).find((u) => ws.directory.users[u]?.email?.toLowerCase() === email.toLowerCase());
  const user = id ? userObject(ws, id) : undefined;
  return user ? { ok: true, user } : fail('users_not_found');
};

/** conversations.open with one user: the bot's direct-message channel with them (a known person only). */
const conversationsOpen: Method = (args, { ws }) => {
  const users = (stringArg(args, 'users') ?? '').split(',').filter(Boolean);
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 1) return fail('not_enough_users'); // a group DM needs mpim:write, which sirbot does not ask for
  const [user] = users as [string];
  if (!userObject(ws, user) || user === ws.botUserId) return fail('user_not_found');
  return { ok: true, channel: { id: ws.openDirect(user), is_im: true, user } };
};

export const DIRECTORY_METHODS: Record<string, Method> = {
  'usergroups.users.list': usergroupUsers,
  'users.info': usersInfo,
  'users.lookupByEmail': usersLookupByEmail,
  'conversations.open': conversationsOpen,
};
