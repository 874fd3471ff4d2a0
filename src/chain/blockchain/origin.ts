/**
 * Where a block came from. Every import carries it, so that a failure can penalize the peer that
 * sent the block (gossip or sync), and logs and metrics can tell the paths apart.
 */
export type BlockOrigin =
  | { kind: "own" }
  | { kind: "gossip"; peer: string }
  | { kind: "sync"; peer: string }
  | { kind: "file" }
  | { kind: "test" };

/** The peer to hold responsible for a block, if any. */
export function originPeer(origin: BlockOrigin): string | undefined {
  return origin.kind === "gossip" || origin.kind === "sync" ? origin.peer : undefined;
}
