// Written by `npm run fit:vendor -- --write` (bench/vendor-weights.ts); do not edit by hand.
export const WEIGHTS = {
  sellerBlock: 0.88,
  sellerLabel: 0.8,
  senderLine: 0.8,
  registry: 0.58,
  registryPlain: 0.22,
  letterhead: 0.67,
  letterheadWeak: 0.47,
  domain: 0.6,
} as const;
