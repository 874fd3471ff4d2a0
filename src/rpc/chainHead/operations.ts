/**
 * The operations of one follow subscription (chainHead_v1_body, _call, _storage) and the spec's
 * in-flight limit: every body or call counts as one, every storage item as one, until the
 * operation is done or stopped. The spec requires accepting at least 16 at a time.
 */

export interface Operation {
  readonly id: string;
  /** how many of the limit it holds (1, or its number of storage items) */
  readonly slots: number;
  /** set while a storage operation waits for chainHead_v1_continue: what continue runs */
  resume: (() => void) | undefined;
}

export class OperationSlots {
  private readonly ops = new Map<string, Operation>();
  private inFlight = 0;
  private nextId = 0;

  constructor(private readonly max: number) {}

  /** Starts an operation holding up to `wanted` slots (at least one); undefined when none is free. */
  start(wanted: number): Operation | undefined {
    const free = this.max - this.inFlight;
    if (free <= 0) return undefined;
    const slots = Math.max(1, Math.min(wanted, free));
    const op: Operation = { id: String(this.nextId++), slots, resume: undefined };
    this.ops.set(op.id, op);
    this.inFlight += slots;
    return op;
  }

  get(id: string): Operation | undefined {
    return this.ops.get(id);
  }

  /** Whether the operation is still running (not finished nor stopped). */
  isActive(op: Operation): boolean {
    return this.ops.get(op.id) === op;
  }

  /** Ends an operation (done, failed or stopped) and frees its slots; false if it had already ended. */
  finish(op: Operation): boolean {
    if (!this.isActive(op)) return false;
    this.ops.delete(op.id);
    this.inFlight -= op.slots;
    return true;
  }

  clear(): void {
    this.ops.clear();
    this.inFlight = 0;
  }

  get active(): number {
    return this.inFlight;
  }
}
