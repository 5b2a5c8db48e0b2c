/**
 * The order of a comparison's rounds: HEAD then REF, round after round, so a machine that gets
 * busier or cooler during the run weighs on both sides alike.
 */
export type SideName = 'head' | 'ref';

export type RoundSlot = { readonly side: SideName; readonly round: number };

export function roundOrder(rounds: number): RoundSlot[] {
  return Array.from({ length: rounds }, (_, i): RoundSlot[] => [
    { side: 'head', round: i + 1 },
    { side: 'ref', round: i + 1 },
  ]).flat();
}
