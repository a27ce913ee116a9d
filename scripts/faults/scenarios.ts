// The fault scenarios, in the order the table lists them.

import type { Scenario } from "./scenario.ts";
import { bigBodyAndGarbage, overload, slowloris } from "./scenarios-abuse.ts";
import { emulatorKill, inventoryTerm, poison, pricingKill, pricingTerm } from "./scenarios-services.ts";

export const ALL: Scenario[] = [pricingKill, pricingTerm, inventoryTerm, emulatorKill, overload, slowloris, bigBodyAndGarbage];
/** Run beside the others: they mostly wait. */
export const BACKGROUND: Scenario[] = [poison];
