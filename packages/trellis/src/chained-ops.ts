/**
 * `trellis/chained-ops`: tfjs-core's chained tensor methods (`x.slice(...)`,
 * `x.add(y)`, `x.square()`, ...), as Keras and tfjs users write them.
 *
 * Importing this module is a side effect, and its only one: it adds the methods
 * to tfjs-core's global `Tensor` class (every tensor of the process, whichever
 * package made it) and brings their types. The `trellis` entry itself does not
 * import it, so importing `trellis` changes no global and a bundle that never
 * imports this module carries none of it.
 * @module
 */
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
