/**
 * The emission scenario on the local testnet's four authorities and a full node: transactions go
 * to the full node and are gossiped to the authors; at every epoch block every node holds the
 * same block (so the same state root, which each computed) and the same per-UID outputs, and the
 * full node's figures are exactly what the pure Yuma function predicts.
 */
import { defineEmissionSuite } from "../utils/emissionScenario.js";

defineEmissionSuite("local");
