/**
 * Removing a chain database so that a crash at any moment (SIGKILL, power loss) leaves either the
 * whole database or none of it, never a LevelDB with some files gone: such a database may open
 * with an older head (finality gone backwards) or not open at all. The directory is first renamed
 * (atomic within its parent) to a tombstone, the rename made durable, then the tombstone deleted;
 * a tombstone left by an interrupted purge is removed by the next purge or node start.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ChainDb, DbError } from "./chainDb.js";

const TOMBSTONE = ".purging-";

/** Tombstones of interrupted purges of `dbPath` (siblings named `<db>.purging-…`). */
export function purgeLeftovers(dbPath: string): string[] {
  const dir = dirname(dbPath);
  if (!existsSync(dir)) return [];
  const prefix = basename(dbPath) + TOMBSTONE;
  return readdirSync(dir)
    .filter((n) => n.startsWith(prefix))
    .map((n) => join(dir, n));
}

/** Deletes what interrupted purges left behind; returns how many there were. */
export function removePurgeLeftovers(dbPath: string): number {
  const left = purgeLeftovers(dbPath);
  for (const p of left) rmSync(p, { recursive: true, force: true });
  return left.length;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Purges the database at `dbPath`; false when there is none. Refuses (DbError DB_LOCKED) while a
 * node has it open. A database that does not even open (damaged) is purged all the same.
 */
export async function purgeDatabase(dbPath: string): Promise<boolean> {
  removePurgeLeftovers(dbPath);
  if (!existsSync(dbPath)) return false;
  try {
    await (await ChainDb.open(dbPath)).close();
  } catch (e) {
    if (e instanceof DbError && e.type.code === "DB_LOCKED") throw e;
    // damaged or of another schema: purging it is the remedy
  }
  const tombstone = `${dbPath}${TOMBSTONE}${process.pid}-${Date.now()}`;
  renameSync(dbPath, tombstone);
  fsyncDir(dirname(dbPath));
  rmSync(tombstone, { recursive: true, force: true });
  return true;
}
