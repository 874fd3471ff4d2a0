/** What the RPC method handlers may use: the node's components, picked narrowly. */
import type { Blockchain } from "../../chain/blockchain/blockchain.js";
import type { TxPool } from "../../chain/txpool/txpool.js";
import type { RuntimeDefinition } from "../../chain/runtime/frame/runtime.js";
import type { ChainSpec } from "../../chain/spec.js";
import type { Keystore } from "../../keystore/keystore.js";

/** One connected peer, as system_peers shows it (sc-rpc-api PeerInfo). */
export interface RpcPeerInfo {
  peerId: string;
  roles: string;
  bestHash: string;
  bestNumber: number;
}

export interface NodeInfo {
  name: string;
  version: string;
  roles: string[];
  peers(): number;
  isSyncing(): boolean;
  localPeerId(): string;
  listenAddresses(): string[];
  /** connected peers (empty without networking) */
  peerList?(): RpcPeerInfo[];
  syncState?(): { startingBlock: number; currentBlock: number; highestBlock: number };
  addReservedPeer?(multiaddr: string): Promise<void>;
  removeReservedPeer?(peerId: string): Promise<void>;
}

/** The finality gadget as the grandpa_* RPCs see it. */
export interface FinalityInfo {
  setId: bigint;
  authorities: Uint8Array[];
  /** the voter's current round (undefined on a node that does not vote) */
  round?(): { round: bigint; prevotes: number; precommits: number; missingPrevotes: number[]; missingPrecommits: number[]; threshold: number; total: number } | undefined;
  onJustification(listener: (j: { target: { hash: Uint8Array; number: number }; justification: Uint8Array }) => void): () => void;
}

export interface RpcServices {
  chain: Blockchain;
  pool: TxPool;
  runtime: RuntimeDefinition;
  metadata: { v14: Uint8Array; v15: Uint8Array };
  spec: ChainSpec;
  node: NodeInfo;
  finality?: FinalityInfo;
  /** author_* key methods and SessionKeys_generate_session_keys; absent: those fail as Substrate's do without one */
  keystore?: Keystore;
}
