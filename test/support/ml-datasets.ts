/** Generated training CSVs (label first, SageMaker's convention) for the ml_training tests. */

/** A seeded generator, so the generated data (and the stated accuracies) are the same every run. */
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

/** Two features; the class is whether a point lies above the line x + y = 1, with 3 % of labels flipped. */
export function classificationCsv(rows: number, seed = 7): string {
  const r = rng(seed);
  const lines = ['label,x,y'];
  for (let i = 0; i < rows; i++) {
    const x = r();
    const y = r();
    let label = x + y > 1 ? 1 : 0;
    if (r() < 0.03) label = 1 - label;
    lines.push(`${label},${x.toFixed(4)},${y.toFixed(4)}`);
  }
  return lines.join('\n');
}

/** y = 3a - 2b + 5 plus uniform noise in ±0.5 (its RMSE is about 0.29). */
export function regressionCsv(rows: number, seed = 11): string {
  const r = rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const a = r() * 10;
    const b = r() * 10;
    lines.push(`${(3 * a - 2 * b + 5 + (r() - 0.5)).toFixed(4)},${a.toFixed(4)},${b.toFixed(4)}`);
  }
  return lines.join('\n');
}
