// Where the person is (who they act as, the channel or Home, the open thread) lives in the
// page's URL, so a reload, a bookmark or Back brings them to the same place.

const TS = /^\d+\.\d+$/;

/** The place the URL names; anything missing or not plausible falls back to `defaults`. */
export function readPlace(defaults, people) {
  const q = new URLSearchParams(location.search);
  const user = people.includes(q.get('user')) ? q.get('user') : defaults.user;
  const channel = (q.get('channel') || '').replace(/^#/, '').slice(0, 80) || defaults.channel;
  const home = q.get('home') === '1';
  const thread = !home && TS.test(q.get('thread') || '') ? q.get('thread') : null;
  return { user, channel, thread, home };
}

/** Writes the place into the URL: a new history entry when the person went somewhere (`push`), else in place. */
export function writePlace(place, push) {
  const q = new URLSearchParams({ user: place.user, channel: place.channel });
  if (place.home) q.set('home', '1');
  else if (place.thread) q.set('thread', place.thread);
  const next = `${location.pathname}?${q}`;
  if (next === `${location.pathname}${location.search}`) return;
  history[push ? 'pushState' : 'replaceState'](null, '', next);
}
