/** Temporary directories a suite creates, all removed by one call in its afterAll. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class TempDirs {
  private readonly dirs: string[] = [];

  /** A new empty directory named after the suite's use of it. */
  make(name: string): string {
    const d = mkdtempSync(join(tmpdir(), `subtensor-ts-faults-${name}-`));
    this.dirs.push(d);
    return d;
  }

  removeAll(): void {
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
