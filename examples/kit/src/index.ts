/**
 * The command line of Trellis' examples. Each example's `main.ts` declares
 * its options once; {@link parseExampleArgs} turns them into typed values,
 * the usage text of `--help`, and a message (exit status 2) for a value out
 * of range. The examples' library functions (`trainMnist`, `runTransfer`…)
 * do not use it: copy an example out and keep or drop its `main.ts`.
 * @module
 */
export {choice, flag, integer, parseExampleArgs, text, type ExampleArgs, type OptionSpec} from './args';
