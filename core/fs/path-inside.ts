/**
 * Path containment, shared by the app's protocol handler and the folder packer: both must refuse
 * a path that leaves the root they were given.
 */
import { isAbsolute, relative, sep } from 'node:path';

/** True if `child` is `root` or lies under it (lexically: resolve symlinks before calling). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
