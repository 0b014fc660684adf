// Turning foreign text into a path without leaving a root. Session ids, run ids, labels, report
// cells and configured paths all end up as folder names; a name such as `../../x`, an absolute
// path or a symlink planted in a copied folder must never make mlbench read or write elsewhere.
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MlbenchError } from './errors.js';

/** Longest single name most file systems accept. */
const MAX_NAME_BYTES = 255;

/** Why `name` cannot be one folder or file name, or undefined when it can. */
export function unsafeNameReason(name: unknown): string | undefined {
  if (typeof name !== 'string') return `is ${name === null ? 'null' : typeof name}, not text`;
  if (name === '') return 'is empty';
  if (name === '.' || name === '..') return `is "${name}"`;
  if (/[/\\]/.test(name)) return 'contains a path separator';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/** `name` itself when it is one plain folder or file name; otherwise a clear error naming `what`. */
export function checkName(name: unknown, what: string): string {
  const why = unsafeNameReason(name);
  if (why) {
    throw new MlbenchError('config', `${what} ${JSON.stringify(name)} ${why}`, {
      hint: 'it must be one plain folder name: no "/", "\\", "..", or control characters',
    });
  }
  return name as string;
}

/**
 * The real path of `path`: its nearest existing ancestor resolved through links, plus the rest.
 * A dangling link is followed by hand, so a link to a file that does not exist yet still counts
 * as leading where it points.
 */
function realpathOfNearest(path: string, depth = 0): string {
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync.native(p), ...rest.reverse());
    } catch {
      if (depth < 40 && isLink(p)) return join(realpathOfNearest(resolve(dirname(p), readlinkSync(p)), depth + 1), ...rest.reverse());
      const up = dirname(p);
      if (up === p) return resolve(path);
      rest.push(p.slice(up.length).replace(/^[/\\]+/, ''));
      p = up;
    }
  }
}

/** True when `inner` is `outer` or lies below it (both absolute, already normalized). */
export function isWithin(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Refuses `path` when it, or any link on the way to it, resolves outside `root`. Both are
 * compared as real paths, so a root reached through a link of its own (a home on /data) is fine.
 */
export function assertInside(root: string, path: string, what: string): void {
  const realRoot = realpathOfNearest(root);
  const real = realpathOfNearest(path);
  if (!isWithin(realRoot, real)) {
    throw new MlbenchError('config', `${what} ${path} leads outside ${root} (to ${real})`, {
      hint: 'a link or a name in it points elsewhere; nothing was read or written there',
    });
  }
}

/**
 * `root/name` for a foreign `name` (one plain name), refused when the name would leave root or
 * when a link at that place leads out of it. The caller vouches for root itself; only a link
 * costs a real-path lookup, so this is cheap enough for every run of a large session.
 */
export function confinedChild(root: string, name: unknown, what: string): string {
  const path = join(root, checkName(name, what));
  if (isLink(path)) assertInside(root, path, what);
  return path;
}

/**
 * `root/rel` for a foreign relative path of several names (`runs/000-x/result.json`): refused
 * when it is absolute, has a `..` that climbs out, or resolves outside root through a link.
 */
export function confinedPath(root: string, rel: string, what: string): string {
  if (rel === '' || isAbsolute(rel) || /^[A-Za-z]:[\\/]/.test(rel)) {
    throw new MlbenchError('config', `${what} ${JSON.stringify(rel)} must be a path relative to ${root}`);
  }
  const path = resolve(root, rel);
  if (!isWithin(resolve(root), path)) {
    throw new MlbenchError('config', `${what} ${JSON.stringify(rel)} leaves ${root}`, { hint: 'remove the ".." parts' });
  }
  assertInside(root, path, what);
  return path;
}

/**
 * The first entry below `dir` (itself included) that is a link resolving outside `root`, or
 * undefined. Links that stay inside are allowed; folders are not followed through links.
 */
export function findLinkOut(dir: string, root: string): string | undefined {
  if (!existsSync(dir) && !isLink(dir)) return undefined;
  const realRoot = realpathOfNearest(root);
  const visit = (p: string): string | undefined => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return isWithin(realRoot, realpathOfNearest(p)) ? undefined : p;
    if (!st.isDirectory()) return undefined;
    for (const e of readdirSync(p)) {
      const found = visit(join(p, e));
      if (found) return found;
    }
    return undefined;
  };
  return visit(dir);
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() === true;
  } catch {
    return false; // e.g. ENOTDIR: a file on the way, so no link here
  }
}

/** Subtrees of the system no configured mlbench folder may be in (their real path is checked). */
const SYSTEM_TREES = ['/etc', '/proc', '/sys', '/dev', '/boot', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/usr'];
/** Pseudo file systems: even reading models there can hang (/dev/zero) or loop (/proc/self). */
const PSEUDO_TREES = ['/proc', '/sys', '/dev'];

/**
 * Refuses a folder mlbench would write into (home, sessions, cache) when it is `/` or lies in a
 * system tree; with `readOnly`, only `/` and the pseudo file systems are refused.
 */
export function refuseSystemFolder(path: string, what: string, o: { readOnly?: boolean } = {}): void {
  if (process.platform === 'win32') return;
  const real = realpathOfNearest(path);
  const trees = o.readOnly ? PSEUDO_TREES : SYSTEM_TREES;
  const hit = real === '/' ? '/' : trees.find((t) => isWithin(t, real));
  if (hit) {
    throw new MlbenchError('config', `${what} ${path} is ${hit === '/' ? 'the root folder' : `in the system folder ${hit}`}${real !== resolve(path) ? ` (it resolves to ${real})` : ''}`, {
      hint: 'choose a folder of your own, e.g. inside the mlbench home',
    });
  }
}
