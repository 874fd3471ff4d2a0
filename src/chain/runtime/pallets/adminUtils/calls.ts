/** AdminUtils calls: the hyperparameter setters (filled in by the AdminUtils work). */
import type { CallDecl } from "../../frame/pallet.js";

export const adminUtilsCalls: CallDecl[] = [];
