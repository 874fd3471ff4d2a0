/** What the RPC method handlers may use: the node's components, picked narrowly. */
import type { Blockchain } from "../../chain/blockchain/blockchain.js";
import type { TxPool } from "../../chain/txpool/txpool.js";
import type { RuntimeDefinition } from "../../chain/runtime/frame/runtime.js";
import type { ChainSpec } from "../../chain/spec.js";
import type { Keystore } from "../../keystore/keystore.js";

export interface NodeInfo {
  name: string;
  version: string;
  roles: string[];
  peers(): number;
  isSyncing(): boolean;
  localPeerId(): string;
  listenAddresses(): string[];
}

export interface RpcServices {
  chain: Blockchain;
  pool: TxPool;
  runtime: RuntimeDefinition;
  metadata: { v14: Uint8Array; v15: Uint8Array };
  spec: ChainSpec;
  node: NodeInfo;
  /** author_* key methods and SessionKeys_generate_session_keys; absent: those fail as Substrate's do without one */
  keystore?: Keystore;
}
