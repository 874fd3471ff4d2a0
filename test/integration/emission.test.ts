import { defineEmissionSuite } from "../utils/emissionScenario.js";

defineEmissionSuite("dev");
