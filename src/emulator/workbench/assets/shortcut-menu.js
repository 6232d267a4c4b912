// Slack's "More actions" (⋮) on a message: a button that opens a menu of the app's message
// shortcuts, as its manifest declares them. An app without any gets no button at all.

/** Adds the ⋮ button to a message element (not to ephemerals, which offer no shortcuts). */
export function addShortcutButton(node, shortcuts) {
  if (shortcuts.length === 0 || !node.classList || !node.classList.contains('sb-message')) return;
  const header = node.querySelector(':scope > .sb-message-header');
  if (!header || header.querySelector('.wb-more')) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'wb-more';
  button.textContent = '⋮';
  button.title = 'More actions';
  button.setAttribute('aria-label', 'More actions');
  button.setAttribute('aria-haspopup', 'menu');
  button.setAttribute('aria-expanded', 'false');
  header.append(button);
}

export function closeShortcutMenus() {
  for (const menu of document.querySelectorAll('.wb-menu')) {
    const button = menu.previousElementSibling;
    if (button) button.setAttribute('aria-expanded', 'false');
    menu.remove();
  }
}

/** Opens the menu under `button`, one item per shortcut (its name as text, never as HTML). */
export function openShortcutMenu(button, shortcuts) {
  closeShortcutMenus();
  const menu = document.createElement('div');
  menu.className = 'wb-menu';
  menu.setAttribute('role', 'menu');
  for (const s of shortcuts) {
    const item = document.createElement('button');
    item.type = 'button';
    item.className = 'wb-menu-item';
    item.setAttribute('role', 'menuitem');
    item.dataset.shortcut = s.callbackId;
    item.textContent = s.name;
    menu.append(item);
  }
  button.after(menu);
  button.setAttribute('aria-expanded', 'true');
  const first = menu.querySelector('button');
  if (first) first.focus({ preventScroll: true });
}
