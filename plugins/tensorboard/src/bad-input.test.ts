// Bad input, end to end: what is refused (with which error) and what is written as given.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, Sequential, ShapeError} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tensorBoard} from './callback';
import {decodeValue, readEvents, type DecodedValue} from './reader';
import {SummaryWriter} from './writer';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'trellis-tb-bad-'));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function valuesOf(path: string): Promise<(DecodedValue & {step: number})[]> {
  const out: (DecodedValue & {step: number})[] = [];
  for await (const e of readEvents(path))
    if (e.what.case === 'summary') for (const v of e.what.value.value) out.push({step: Number(e.step), ...decodeValue(v)});
  return out;
}

describe('a logDir that cannot be created', () => {
  const blocker = () => {
    const file = join(dir, `file-${Math.random()}`);
    writeFileSync(file, 'not a directory');
    return file;
  };

  it('SummaryWriter: a ConfigError at open() (or the first flush), naming the directory; later flushes fail the same way', async () => {
    const file = blocker();
    const w = new SummaryWriter({logDir: join(file, 'run'), flushSeconds: Infinity});
    w.scalar('loss', 1, 0);
    const error = await w.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(join(file, 'run'));
    await expect(w.close()).rejects.toBe(error);
  });

  it('tensorBoard: the fit fails at its start with a ConfigError and trains nothing', async () => {
    const m = new Sequential([dense({units: 1, inputShape: [2]})]);
    m.compile({optimizer: adam(), loss: meanSquaredError()});
    const x = tf.ones([4, 2]);
    const y = tf.ones([4, 1]);
    const error = await m.fit(x, y, {epochs: 2, callbacks: [tensorBoard({logDir: join(blocker(), 'logs')})]}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(m.optimizer.step).toBe(0);
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('non-finite scalars', () => {
  it('are written as float32 NaN, +Infinity and -Infinity (as tf.summary.scalar), and read back as such', async () => {
    const w = new SummaryWriter({logDir: join(dir, 'nonfinite'), flushSeconds: Infinity});
    w.scalar('loss', NaN, 0);
    w.scalar('loss', Infinity, 1);
    w.scalar('loss', -Infinity, 2);
    w.scalar('loss', 1e39, 3); // beyond float32: Infinity, as numpy's float32 cast
    w.scalars({a: NaN, b: -0}, 4);
    await w.close();
    const values = (await valuesOf(w.path!)).map((v) => [v.tag, v.step, (v as {value: number}).value]);
    expect(values).toEqual([
      ['loss', 0, NaN],
      ['loss', 1, Infinity],
      ['loss', 2, -Infinity],
      ['loss', 3, Infinity],
      ['a', 4, NaN],
      ['b', 4, -0],
    ]);
  });
});

describe('tag names with odd characters', () => {
  it('are written byte for byte as UTF-8 (spaces, slashes, unicode, leading slash, dots): nothing is cleaned or refused', async () => {
    const tags = ['with space', 'a/b/c', '/leading', 'trailing/', 'a//b', 'ünïcödé/日本語', 'emoji 🚀', '..', 'tab\there', 'x'.repeat(300)];
    const w = new SummaryWriter({logDir: join(dir, 'tags'), flushSeconds: Infinity});
    tags.forEach((t, i) => w.scalar(t, i, 0));
    await w.close();
    expect((await valuesOf(w.path!)).map((v) => v.tag)).toEqual(tags);
  });

  it('an empty tag or a non-string is refused with a ConfigError', () => {
    const w = new SummaryWriter({sink: () => {}, flushSeconds: Infinity});
    expect(() => w.scalar('', 1, 0)).toThrow(ConfigError);
    expect(() => w.scalars({'': 1}, 0)).toThrow(ConfigError);
    expect(() => w.text(7 as never, 'x', 0)).toThrow(ConfigError);
  });
});

describe('images of the wrong rank', () => {
  it('rank 1, 2 and 5 are refused with a ShapeError, nothing is written, and the writer keeps working', async () => {
    const w = new SummaryWriter({logDir: join(dir, 'images'), flushSeconds: Infinity});
    const bad = [tf.zeros([4]), tf.zeros([4, 4]), tf.zeros([1, 2, 2, 2, 1])];
    for (const t of bad) expect(() => w.image('img', t, 0)).toThrow(ShapeError);
    expect(() => w.image('img', bad[2]!, 0)).toThrow(/rank 3 \[h, w, c\] or 4 \[n, h, w, c\]; got a tensor of shape \[1, 2, 2, 2, 1\]/);
    const good = tf.zeros([2, 2, 1]);
    w.image('img', good, 1);
    tf.dispose([...bad, good]);
    await w.close();
    expect((await valuesOf(w.path!)).map((v) => [v.tag, v.step, v.kind])).toEqual([['img', 1, 'image']]);
  });
});
