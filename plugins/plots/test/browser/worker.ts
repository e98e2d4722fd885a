// The worker of the browser test: trains with logFeed posting the plot events to the page, as a
// training page does. It imports only logFeed from @trellis/plots: no chart code in its bundle.
import {gradientMonitor} from '@trellis/callbacks';
import {logFeed} from '@trellis/plots';
import {BATCH_SIZE, EPOCHS, model, points} from './fixture';

const m = await model();
const {x, y} = points();
const monitor = gradientMonitor({every: 5, print: () => undefined});
const history = await m.fit(x, y, {
  epochs: EPOCHS,
  batchSize: BATCH_SIZE,
  validationSplit: 0.2,
  callbacks: [monitor, logFeed((event) => postMessage({type: 'plot', event}), {monitor, batchInterval: 0})],
});
postMessage({type: 'done', history: history.history, records: monitor.records.length});
