// The fault scenarios, in the order the table lists them.

import type { Scenario } from "./scenario.ts";
import { bigBodyAndGarbage, overload, slowloris } from "./scenarios-abuse.ts";
import { emulatorKill, inventoryTerm, poison, pricingKill, pricingTerm } from "./scenarios-services.ts";

// The overload soak runs first and alone; while its backlog settles the next ones start.
export const ALL: Scenario[] = [overload, pricingKill, pricingTerm, inventoryTerm, emulatorKill, slowloris, bigBodyAndGarbage];
/** Run beside the others: they mostly wait. */
export const BACKGROUND: Scenario[] = [poison];
