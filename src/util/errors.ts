/**
 * Errors carry a machine-readable code and a metadata object, so callers (RPC, peers, CLI) can map
 * them without string matching. Pattern taken from Lodestar's LodestarError.
 */
export class NodeError<T extends { code: string }> extends Error {
  readonly type: T;
  constructor(type: T, message?: string) {
    super(message ?? type.code);
    this.type = type;
    this.name = new.target.name;
  }
  get code(): T["code"] {
    return this.type.code;
  }
}
