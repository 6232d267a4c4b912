import { fail, stringArg, type Method } from './method.ts';

/** usergroups.users.list and users.info over the people and groups the emulator was given. */
const usergroupUsers: Method = (args, { ws }) => {
  const group = stringArg(args, 'usergroup');
  if (!group) return fail('invalid_arguments');
  const users = ws.directory.groups[group];
  return users ? { ok: true, users: [...users] } : fail('no_such_subteam');
};

const usersInfo: Method = (args, { ws }) => {
  const id = stringArg(args, 'user');
  if (!id) return fail('user_not_found');
  const person = ws.directory.users[id];
  if (!person) return fail('user_not_found');
  return {
    ok: true,
    user: { id, team_id: ws.teamId, name: person.name, real_name: person.name, is_bot: false, profile: { real_name: person.name, display_name: person.name, ...(person.email ? { email: person.email } : {}) } },
  };
};

export const DIRECTORY_METHODS: Record<string, Method> = {
  'usergroups.users.list': usergroupUsers,
  'users.info': usersInfo,
};
