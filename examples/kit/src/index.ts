/**
 * The command line of Trellis' examples. Each example's `main.ts` declares
 * its options once; {@link parseExampleArgs} turns them into typed values,
 * the usage text of `--help`, and a message (exit status 2) for a value out
 * of range. The examples' library functions (`trainMnist`, `runTransfer`…)
 * take only its option types ({@link ExampleRunOptions},
 * {@link ExampleTrainingOptions}), erased at build: copy an example out,
 * write those few fields into its options type, and keep or drop its `main.ts`.
 * @module
 */
export {choice, flag, integer, parseExampleArgs, text, type ExampleArgs, type OptionSpec} from './args';
export type {ExampleRunOptions, ExampleTrainingOptions} from './run-options';
