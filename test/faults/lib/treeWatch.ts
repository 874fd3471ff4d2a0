/**
 * A recursive file watcher that survives directories vanishing under it.
 *
 * Node 20's `fs.watch(dir, { recursive: true })` on Linux is implemented in JavaScript and rescans a
 * directory with an unguarded `readdirSync` when it changes; when the directory was renamed or
 * deleted in the meantime (exactly what `purge-chain` does to the database) that throws ENOENT from
 * inside the watcher's event handler, an uncaught exception that fails the whole test run. This
 * watcher keeps one plain (non-recursive) inotify watch per directory, adds one for every directory
 * that appears, and treats a directory that is gone as nothing more than the end of its events.
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { join, relative } from "node:path";

export interface TreeWatcher {
  close(): void;
}

/** Calls `onEvent(event, path relative to root)` for changes anywhere under `root`. */
export function watchTree(root: string, onEvent: (event: string, file: string) => void): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  const drop = (dir: string): void => {
    const w = watchers.get(dir);
    if (!w) return;
    watchers.delete(dir);
    w.close();
  };

  const addDir = (dir: string): void => {
    if (closed || watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, (event, name) => {
        // inotify follows the inode: after a rename, events of the old name's watch describe the
        // directory under its new name, which has its own watch (added below on the rename event)
        if (closed || !existsSync(dir)) return drop(dir);
        if (!name) return;
        const path = join(dir, String(name));
        onEvent(event, relative(root, path));
        if (event === "rename") {
          try {
            if (statSync(path).isDirectory()) addDir(path);
          } catch {
            // removed again before we looked: nothing to watch
          }
        }
      });
    } catch {
      return; // gone before we could watch it
    }
    w.on("error", () => drop(dir));
    watchers.set(dir, w);
    let entries: string[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return drop(dir);
    }
    for (const name of entries) addDir(join(dir, name));
  };

  addDir(root);
  return {
    close() {
      closed = true;
      for (const dir of [...watchers.keys()]) drop(dir);
    },
  };
}
