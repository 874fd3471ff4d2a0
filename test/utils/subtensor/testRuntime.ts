/**
 * Test support (not a test file): a small runtime with System, SubtensorModule and AdminUtils
 * (no calls), its metadata, and a polkadot-js registry built from that metadata, so tests can ask
 * @polkadot/types for storage keys, fallbacks, error names and event decodings.
 */
import { Metadata, TypeRegistry, expandMetadata } from "@polkadot/types";
import { RuntimeDefinition } from "../../../src/chain/runtime/frame/runtime.js";
import { buildMetadata } from "../../../src/chain/runtime/metadata.js";
import { buildSystemPallet } from "../../../src/chain/runtime/pallets/system.js";
import { buildAdminUtilsPallet } from "../../../src/chain/runtime/pallets/adminUtils/pallet.js";
import { buildSubtensorPallet } from "../../../src/chain/runtime/pallets/subtensor/pallet.js";

export function buildTestRuntime() {
  const subtensor = buildSubtensorPallet([]);
  const adminUtils = buildAdminUtilsPallet([]);
  // eslint-disable-next-line prefer-const
  let runtime: RuntimeDefinition;
  runtime = new RuntimeDefinition([buildSystemPallet(() => runtime.eventRecords), subtensor, adminUtils], {
    specName: "node-subtensor",
    implName: "subtensor-ts-test",
    authoringVersion: 1,
    specVersion: 1,
    implVersion: 1,
    transactionVersion: 1,
    systemVersion: 1,
  });
  const built = buildMetadata(runtime, []);
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, built.v14);
  registry.setMetadata(metadata);
  const decorated = expandMetadata(registry, metadata);
  return { runtime, subtensor, adminUtils, registry, metadata, decorated };
}
