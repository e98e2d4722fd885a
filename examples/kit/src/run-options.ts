/**
 * The options the examples' run functions (`trainFashionCnn`,
 * `runImbalanced`, `compareOptimizers`, …) have in common. Types only:
 * nothing of this module is left in a built example.
 * @module
 */

/**
 * The options of every example's run function: where it runs and from
 * which seed. Each example's options type extends it with its own fields
 * and says its defaults.
 *
 * @typeParam B - The backends the example accepts (default `'wasm' | 'cpu'`).
 */
export type ExampleRunOptions<B extends string = 'wasm' | 'cpu'> = {
  /** The tfjs backend (`'wasm'` by default in every example). */
  readonly backend?: B;
  /** The seed the run starts from (of the initial weights and the shuffling, unless the example says otherwise). */
  readonly seed?: number;
};

/**
 * {@link ExampleRunOptions} of an example that trains for a number of
 * epochs on the first `samples` training images of its dataset.
 *
 * @typeParam B - The backends the example accepts (default `'wasm' | 'cpu'`).
 */
export type ExampleTrainingOptions<B extends string = 'wasm' | 'cpu'> = ExampleRunOptions<B> & {
  /** Epochs (of each run, where the example trains more than one model). */
  readonly epochs?: number;
  /** Use only the first N training images; the example's own validation split is taken from them. */
  readonly samples?: number;
};
