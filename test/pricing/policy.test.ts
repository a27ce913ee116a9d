import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { stringify } from "yaml";
import { decide } from "../../src/pricing/decide.ts";
import { parsePolicy, PolicyError, validatePolicy } from "../../src/pricing/policy.ts";
import { PolicySource } from "../../src/pricing/policy-source.ts";
import { createLogger } from "../../src/shared/log.ts";

const BASE = {
  currency: "EUR",
  prices: { skus: { "ABC-1": 1000 }, prefixes: { "ABC-": 500, "ABC-X": 700 } },
  bands: [
    { name: "sold-out", below: 1, adjustPercent: 50 },
    { name: "low", below: 10, adjustPercent: 10 },
    { name: "normal", below: 100, adjustPercent: 0 },
    { name: "over", adjustPercent: -50 },
  ],
  limits: { floorPercent: 60, ceilingPercent: 140 },
};

const policy = (patch: Record<string, unknown> = {}) => validatePolicy({ ...structuredClone(BASE), ...patch });

const table: Array<[string, Record<string, unknown>, string, number, number | "unknown", string?]> = [
  ["own SKU price, normal band", {}, "ABC-1", 50, 1000, "band:normal"],
  ["low band +10%", {}, "ABC-1", 9, 1100, "band:low"],
  ["band boundary: below is exclusive", {}, "ABC-1", 10, 1000, "band:normal"],
  ["sold out +50% capped at the ceiling", {}, "ABC-1", 0, 1400, "band:sold-out+ceiling"],
  ["overstock -50% raised to the floor", {}, "ABC-1", 1000, 600, "band:over+floor"],
  ["prefix default", {}, "ABC-2", 50, 500, "band:normal"],
  ["longest prefix wins", {}, "ABC-XL", 50, 700, "band:normal"],
  ["unknown SKU", {}, "ZZZ-1", 5, "unknown"],
  ["ending .99 nearest (down)", { rounding: { ending: 99 } }, "ABC-1", 50, 999, "band:normal"],
  ["ending .99 nearest (up)", { rounding: { ending: 99 } }, "ABC-1", 9, 1099, "band:low"],
  ["ending .95 always up", { rounding: { ending: 95, mode: "up" } }, "ABC-1", 50, 1095, "band:normal"],
  ["ending .95 always down", { rounding: { ending: 95, mode: "down" } }, "ABC-1", 50, 995, "band:normal"],
  ["ending .00 nearest, tie goes up", { rounding: { ending: 0 }, prices: { skus: { "A": 1050 } } }, "A", 50, 1100, "band:normal"],
  ["rounding stays under the ceiling", { rounding: { ending: 99, mode: "up" } }, "ABC-1", 0, 1399, "band:sold-out+ceiling"],
  ["rounding stays over the floor", { rounding: { ending: 99, mode: "down" } }, "ABC-1", 1000, 699, "band:over+floor"],
  ["half-up integer percent", { prices: { skus: { "H": 1005 } }, bands: [{ name: "all", adjustPercent: 10 }] }, "H", 1, 1106, "band:all"],
];

for (const [name, patch, sku, quantity, price, rule] of table) {
  test(`decide: ${name}`, () => {
    const d = decide({ sku, quantity }, policy(patch));
    if (price === "unknown") return assert.equal(d.kind, "unknown");
    assert.equal(d.kind, "priced");
    assert.equal(d.kind === "priced" && d.price, price);
    assert.equal(d.kind === "priced" && d.rule, rule);
    assert.ok(Number.isInteger(price));
  });
}

test("decide is a pure function: same input, same output, policy untouched", () => {
  const p = policy({ rounding: { ending: 99 } });
  const before = JSON.stringify([...p.skus, ...p.prefixes, p.bands]);
  const runs = Array.from({ length: 5 }, () => decide({ sku: "ABC-1", quantity: 7 }, p));
  assert.ok(runs.every((r) => JSON.stringify(r) === JSON.stringify(runs[0])));
  assert.equal(JSON.stringify([...p.skus, ...p.prefixes, p.bands]), before);
});

const invalid: Array<[string, unknown, string, RegExp]> = [
  ["not a mapping", "just text", "(document)", /mapping/],
  ["currency lower case", { ...BASE, currency: "eur" }, "currency", /ISO 4217/],
  ["unknown top-level field", { ...BASE, discount: 5 }, "discount", /unknown field/],
  ["no bands", { ...BASE, bands: [] }, "bands", /at least one/],
  ["bands not increasing", { ...BASE, bands: [{ name: "a", below: 10, adjustPercent: 0 }, { name: "b", below: 5, adjustPercent: 0 }, { name: "c", adjustPercent: 0 }] }, "bands[1].below", /greater than bands\[0\]\.below/],
  ["below missing before the last band", { ...BASE, bands: [{ name: "a", adjustPercent: 0 }, { name: "b", adjustPercent: 0 }] }, "bands[0].below", /required/],
  ["fractional percent", { ...BASE, bands: [{ name: "a", adjustPercent: 1.5 }] }, "bands[0].adjustPercent", /integer/],
  ["percent below -99", { ...BASE, bands: [{ name: "a", adjustPercent: -100 }] }, "bands[0].adjustPercent", /-99 to 1000/],
  ["duplicate band name", { ...BASE, bands: [{ name: "a", below: 2, adjustPercent: 0 }, { name: "a", adjustPercent: 0 }] }, "bands[1].name", /duplicates/],
  ["price as a decimal", { ...BASE, prices: { skus: { "ABC-1": 19.99 } } }, "prices.skus.ABC-1", /integer/],
  ["price zero", { ...BASE, prices: { skus: { "ABC-1": 0 } } }, "prices.skus.ABC-1", /1 to/],
  ["invalid SKU key", { ...BASE, prices: { skus: { "bad sku": 100 } } }, "prices.skus.bad sku", /valid SKU/],
  ["no prices at all", { ...BASE, prices: {} }, "prices", /at least one price/],
  ["ending over 99", { ...BASE, rounding: { ending: 100 } }, "rounding.ending", /0 to 99/],
  ["unknown rounding mode", { ...BASE, rounding: { mode: "bankers" } }, "rounding.mode", /up, down or nearest/],
  ["floor above 100", { ...BASE, limits: { floorPercent: 120 } }, "limits.floorPercent", /0 to 100/],
  ["ceiling below 100", { ...BASE, limits: { ceilingPercent: 90 } }, "limits.ceilingPercent", /100 to 1000/],
];
for (const [name, doc, path, message] of invalid) {
  test(`policy validation: ${name} -> ${path}`, () => {
    const text = typeof doc === "string" ? doc : stringify(doc);
    assert.throws(
      () => parsePolicy(text),
      (err: unknown) => err instanceof PolicyError && err.path === path && message.test(err.message) && err.message.startsWith(path),
    );
  });
}

test("YAML syntax errors are reported as the document", () => {
  assert.throws(() => parsePolicy("currency: [EUR\n"), (e: unknown) => e instanceof PolicyError && /not valid YAML/.test(e.message));
});

test("the example policy in the repository is valid", async () => {
  const p = parsePolicy(readFileSync(join(import.meta.dirname, "..", "..", "examples", "policy.yaml"), "utf8"));
  assert.equal(p.currency, "EUR");
  assert.ok(p.skus.size > 0 && p.bands.length >= 3);
});

test("hot reload: a valid change applies; an invalid one is logged and the old policy stays", () => {
  const dir = mkdtempSync(join(tmpdir(), "policy-"));
  const file = join(dir, "policy.yaml");
  writeFileSync(file, stringify(BASE));
  const lines: string[] = [];
  const source = new PolicySource(file, createLogger({ write: (l) => void lines.push(l) }));
  assert.equal(decide({ sku: "ABC-1", quantity: 50 }, source.current).kind === "priced" && (decide({ sku: "ABC-1", quantity: 50 }, source.current) as { price: number }).price, 1000);
  assert.equal(source.reload(), false, "unchanged file: nothing to do");

  writeFileSync(file, stringify({ ...BASE, prices: { skus: { "ABC-1": 2000 } } }));
  assert.equal(source.reload(), true);
  assert.equal((decide({ sku: "ABC-1", quantity: 50 }, source.current) as { price: number }).price, 2000);
  assert.ok(lines.some((l) => l.includes('"msg":"policy.reloaded"')));

  writeFileSync(file, stringify({ ...BASE, currency: "euro" }));
  assert.equal(source.reload(), false);
  assert.equal(source.current.currency, "EUR");
  assert.equal((decide({ sku: "ABC-1", quantity: 50 }, source.current) as { price: number }).price, 2000, "old policy still in force");
  const rejected = lines.find((l) => l.includes('"msg":"policy.rejected"'));
  assert.ok(rejected && rejected.includes("currency"), "the error names the field");
});
