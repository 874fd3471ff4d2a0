/** LevelDB's tuning and its defaults, apart from chainDb.ts so that the CLI can show them without loading LevelDB. */

/** LevelDB's tuning, passed when the database is opened (nothing of it is stored: any value opens any database). */
export interface DbOptions {
  /**
   * Table files LevelDB keeps open at once (its table cache; LevelDB clips it to 74..50000 and
   * keeps 10 descriptors for other files). On 64-bit LevelDB mmaps every open table for reading,
   * and the pages a read or a compaction touched count in the process's RSS until the table is
   * evicted from this cache and unmapped.
   */
  maxOpenFiles: number;
  /** LevelDB's cache of uncompressed blocks, bytes (used only for tables it reads without mmap) */
  cacheSize: number;
  /** the memtable: bytes of writes held before they go to a level-0 table (two may be held at once; at least 64 KiB) */
  writeBufferSize: number;
  /** the size at which LevelDB starts a new table file when it compacts (it raises values under 1 MiB to 1 MiB) */
  maxFileSize: number;
}

/**
 * classic-level's defaults but for maxOpenFiles: LevelDB's 1000 kept every table of a 10 000-block
 * archive (~280) open and mmapped, ~350 MB of it resident; 74 (the least LevelDB takes) left ~8 MB
 * of table pages resident (bench/memory.ts: RSS 759 → 439–446 MB), for more CPU per synced block
 * (tables are reopened as reads move between them; 28 → 20 blocks per CPU second in one noisy pair
 * of runs on a loaded machine, wall-clock sync 16–23 → 11–16 blocks/s).
 */
export const DEFAULT_DB_OPTIONS: Readonly<DbOptions> = { maxOpenFiles: 74, cacheSize: 8 * 1024 * 1024, writeBufferSize: 4 * 1024 * 1024, maxFileSize: 2 * 1024 * 1024 };

/** The least --db-max-open-files LevelDB honours (it raises smaller values to this). */
export const MIN_DB_OPEN_FILES = 74;
