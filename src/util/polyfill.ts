// Import first. Node 20 lacks Promise.withResolvers, which libp2p 3 calls on every stream.
// Delete when the project moves to Node 22.
type Resolvers<T> = {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
};
const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (typeof P.withResolvers !== "function") {
  P.withResolvers = <T>(): Resolvers<T> => {
    const out = {} as Resolvers<T>;
    // the executor runs synchronously, so resolve/reject are set before we return
    out.promise = new Promise<T>((resolve, reject) => Object.assign(out, { resolve, reject }));
    return out;
  };
}
export {};
