import { readdirSync, readFileSync } from 'node:fs';

const ASSETS = new URL('./assets/', import.meta.url);

/** The page's files by the path the page asks for: its entry script and styles, and the modules the entry imports. */
function assetPaths(): Map<string, string> {
  const paths = new Map([
    ['/workbench/app.js', 'workbench.js'],
    ['/workbench/app.css', 'workbench.css'],
  ]);
  // Only names of files that are there, listed once: a request never picks a path on disk.
  for (const name of readdirSync(ASSETS)) {
    if (/^[a-z][a-z-]*\.js$/.test(name) && name !== 'workbench.js') paths.set(`/workbench/${name}`, name);
  }
  return paths;
}

export interface Asset {
  type: string;
  body: string;
}

/** The page's scripts and styles; read on each request, so an edit shows on reload. */
export function pageAssets(): (pathname: string) => Asset | undefined {
  const paths = assetPaths();
  return (pathname) => {
    const name = paths.get(pathname);
    if (!name) return undefined;
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    return { type, body: readFileSync(new URL(name, ASSETS), 'utf8') };
  };
}
