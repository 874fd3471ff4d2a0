/**
 * The live chainHead_v1_follow subscriptions, by connection: the per-connection limit, and the
 * look-up that chainHead_v1_* methods do with their `followSubscription` argument. A subscription
 * id only means something on the connection that opened it (HTTP requests each have their own
 * connection id, so they never find one, as the spec's "invalid or stale" cases describe).
 */
import type { RpcContext, SubscriptionSink } from "../registry.js";
import type { RpcServices } from "../methods/services.js";
import { reachedFollowLimit } from "./errors.js";
import { Follower, type ChainHeadOptions } from "./follower.js";

export class Followers {
  private readonly byConnection = new Map<string, Map<string, Follower>>();

  constructor(
    private readonly services: RpcServices,
    readonly opts: ChainHeadOptions,
  ) {}

  /** Starts a follower for `sink`; -32800 when the connection already has its maximum. */
  follow(withRuntime: boolean, sink: SubscriptionSink, ctx: RpcContext): { stop(): void } {
    const conn = ctx.connectionId;
    const mine = this.byConnection.get(conn) ?? new Map<string, Follower>();
    const max = this.opts.maxFollowSubscriptionsPerConnection;
    if (mine.size >= max) throw reachedFollowLimit(max);
    const follower = new Follower(this.services, sink, withRuntime, this.opts);
    mine.set(follower.id, follower);
    this.byConnection.set(conn, mine);
    follower.start();
    return {
      stop: () => {
        follower.dispose();
        if (mine.get(follower.id) === follower) mine.delete(follower.id);
        if (mine.size === 0 && this.byConnection.get(conn) === mine) this.byConnection.delete(conn);
      },
    };
  }

  /** The follower `id` of the caller's connection, if it is still following. */
  get(ctx: RpcContext, id: string): Follower | undefined {
    return this.byConnection.get(ctx.connectionId)?.get(id);
  }

  /** Followers alive on all connections (for tests and metrics). */
  get count(): number {
    let n = 0;
    for (const m of this.byConnection.values()) n += m.size;
    return n;
  }
}
