import {expect, it} from 'vitest';
import {runImbalanced} from './imbalanced';

it('accuracy hides the rare class; class weights and balanced batches trade precision for recall', async () => {
  const [plain, weighted, balanced] = await runImbalanced({backend: 'cpu', samples: 8_000, testSamples: 3_000, epochs: 2});
  for (const r of [plain!, weighted!, balanced!])
    console.log(`${r.variant} acc ${r.accuracy} p ${r.precision} r ${r.recall} auc ${r.auc}\n${r.table}`);
  // Always answering "not a 3" would already score 95%.
  expect(plain!.accuracy).toBeGreaterThan(0.95);
  // Reweighting finds more of the rare 3s, at some cost in precision.
  expect(weighted!.recall).toBeGreaterThan(plain!.recall);
  expect(balanced!.recall).toBeGreaterThan(plain!.recall);
  expect(weighted!.precision).toBeLessThan(plain!.precision);
  // The counts add up to the test set, and the table shows them with totals.
  const total = plain!.matrix.flat().reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(2500);
  expect(plain!.table).toMatch(/not 3/);
  expect(plain!.table).toMatch(/All/);
  expect(plain!.recall).toBeCloseTo(plain!.matrix[1]![1]! / (plain!.matrix[1]![0]! + plain!.matrix[1]![1]!), 4);
});
