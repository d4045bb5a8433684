/**
 * One element of an Adaptive Card's body or actions, as the card modules build it. Apart from `cards.ts`, which
 * assembles whole cards from the parts (the chart among them), so that a part needs nothing from it.
 */
export type CardElement = Record<string, unknown>;
