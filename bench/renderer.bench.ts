/**
 * The review workspace in real Chromium on a 1,000-clip batch: the built renderer served and
 * bridged exactly as in the e2e suite, the batch imported by the real services, every clip
 * reviewed by keyboard. Beside each figure, in the same run:
 * - clip switch and keystroke-to-paint: the paint floor (a key that does nothing, in the same
 *   page, at the same moments), the same keystroke in a bare textarea page, and the same switch
 *   in a page that does only what a switch must (bare-switch.page.ts);
 * - heap after 1,000 clips: the heap after 50, taken the same way (forced GC, then used size).
 * Frames are not held back for a display's refresh (`--disable-frame-rate-limit`), so each
 * time is the app's own cost up to the painted frame; on a 60 Hz screen a frame then waits up
 * to 16.7 ms more for the display, as it would for any page.
 */
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writePackage } from '../core/package/package-writer';
import { parseClipsTsv } from '../core/package/clips-tsv';
import { buildBridge, buildPageScript, startApp, type RunningApp } from '../test/e2e/support/app-harness';
import { chromiumLaunchOptions } from '../test/e2e/support/chromium';
import type { BareClip, BareSwitch } from './bare-switch.page';
import type { Probe, ProbeSamples } from './renderer-probe.page';
import { percentile, round } from './stats';
import { sourceClips } from './vault.bench';

export type RendererBench = {
  readonly renderer_clips: number;
  readonly clip_switch_ms_p50: number;
  readonly clip_switch_ms_p95: number;
  /** The renderer's own part: submit handler to the next clip selected and playing. */
  readonly clip_switch_handler_ms_p95: number;
  /** clips:open calls for the clip being moved to, over all switches (prefetch misses). */
  readonly clip_switch_ipc_opens: number;
  /** The same switch on a page with nothing but an id, a transcript box and audio elements. */
  readonly clip_switch_bare_ms_p50: number;
  readonly clip_switch_bare_ms_p95: number;
  readonly keystroke_paint_ms_p50: number;
  readonly keystroke_paint_ms_p95: number;
  readonly keystroke_paint_bare_ms_p50: number;
  readonly keystroke_paint_bare_ms_p95: number;
  readonly paint_floor_ms_p50: number;
  readonly paint_floor_ms_p95: number;
  readonly renderer_heap_mb_50: number;
  /** After the last clip: the name keeps the default count so figures compare across runs of any size. */
  readonly renderer_heap_mb_1000: number;
  readonly renderer_heap_ratio: number;
  readonly renderer_dom_nodes_50: number;
  readonly renderer_dom_nodes_1000: number;
};

export type RendererBenchResult = { readonly figures: RendererBench; readonly chromium: string };

const PROBE_ENTRY = resolve(__dirname, 'renderer-probe.page.ts');
const BARE_SWITCH_ENTRY = resolve(__dirname, 'bare-switch.page.ts');
const DEMO = resolve(__dirname, '..', 'resources', 'demo');
const HEAP_EARLY = 50;
const BARE_KEYS_PER_BLOCK = 60;
const BARE_SWITCHES_PER_BLOCK = 40;
/** Two characters typed into every clip's transcript while it plays. */
const TYPED = 'ok';
const TYPE_DELAY_MS = 40;
/**
 * A fast reviewer starts typing this long after the next clip appears, while it plays. The
 * floor key is pressed at the same moment, so both see the page as busy (or idle) as it is.
 */
const REACTION_MS = 150;

type ProbeWindow = Window & { __earmarkProbe?: Probe; __bareSwitch?: BareSwitch };
const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The demo recordings' real hypotheses, keyed by file, so transcripts look like real ones. */
function demoHypotheses(): (file: string) => string {
  const rows = parseClipsTsv(readFileSync(join(DEMO, 'clips.tsv'), 'utf8')).rows;
  const byFile = new Map(rows.map((r) => [r.file, r.asrText]));
  return (file) => byFile.get(file) ?? 'benchmark clip';
}

/** Packs `count` real clips for the app's device key and imports them with the real services. */
function importBatch(app: RunningApp, dir: string, count: number, hypotheses: (file: string) => string): string {
  const file = join(dir, 'renderer-bench.earmark');
  const now = new Date();
  const batchId = 'b-AAARENDERERBENCH';
  writePackage(file, {
    batchId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
    locale: 'en-US',
    recipient: app.keyStore.loadOrCreateDeviceKey().publicKey,
    clips: sourceClips(count, hypotheses),
  });
  app.services.vault.importPackage(file);
  return batchId;
}

const drain = (page: Page): Promise<ProbeSamples> =>
  page.evaluate(
    () =>
      (window as ProbeWindow).__earmarkProbe?.drain() ?? {
        keys: [],
        switches: [],
        floor: [],
        handler: [],
        failures: 0,
      },
  );

/** Used JS heap (MB) and live DOM nodes after two forced collections. */
async function heap(cdp: CDPSession): Promise<{ mb: number; nodes: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  const counters = await cdp.send('Memory.getDOMCounters');
  return { mb: usage.usedSize / 1e6, nodes: counters.nodes };
}

/** A page holding nothing but a textarea: the keystroke-to-paint floor of Chromium itself. */
async function barePage(context: BrowserContext, probeScript: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript({ content: probeScript });
  await page.route('https://bare.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>bare</title><textarea id="transcript"></textarea>',
    }),
  );
  await page.goto('https://bare.test/');
  return page;
}

async function typeBare(page: Page, into: number[]): Promise<void> {
  await page.bringToFront();
  await page.focus('#transcript');
  for (let i = 0; i < BARE_KEYS_PER_BLOCK; i += 1) {
    await page.keyboard.type(TYPED.charAt(i % TYPED.length), { delay: TYPE_DELAY_MS });
  }
  await page.evaluate((n) => (window as ProbeWindow).__earmarkProbe?.waitKeys(n), BARE_KEYS_PER_BLOCK);
  into.push(...(await drain(page)).keys);
}

/** The switch floor page (bare-switch.page.ts) on the same real clips and hypotheses. */
async function bareSwitchPage(context: BrowserContext, probeScript: string, clips: readonly BareClip[]): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript({ content: probeScript });
  await page.addInitScript({ content: await buildPageScript(BARE_SWITCH_ENTRY, 'EarmarkBareSwitch') });
  await page.route('https://bare-switch.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>bare switch</title><p data-testid="clip-id"></p><textarea id="transcript"></textarea>',
    }),
  );
  await page.goto('https://bare-switch.test/');
  await page.evaluate((list) => (window as ProbeWindow).__bareSwitch?.start(list), clips);
  return page;
}

/** Switches clips on the floor page at the reviewer's pace, each once the clip was heard. */
async function switchBare(page: Page, into: number[]): Promise<void> {
  await page.bringToFront();
  await drain(page);
  for (let i = 0; i < BARE_SWITCHES_PER_BLOCK; i += 1) {
    await pause(REACTION_MS);
    await page.evaluate(() => (window as ProbeWindow).__bareSwitch?.ended());
    await pause(TYPE_DELAY_MS);
    await page.keyboard.press('Control+Enter');
    await page.evaluate(() => (window as ProbeWindow).__earmarkProbe?.waitSwitches(1));
    const s = await drain(page);
    if (s.failures > 0) {
      throw new Error('A switch on the floor page never showed a playable clip within 5 s.');
    }
    into.push(...s.switches);
  }
}

export async function runRendererBench(
  count = 1000,
  log: (line: string) => void = () => undefined,
): Promise<RendererBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'earmark-renderer-bench-'));
  const browser = await chromium.launch({
    ...chromiumLaunchOptions,
    args: [...chromiumLaunchOptions.args, '--disable-gpu-vsync', '--disable-frame-rate-limit'],
  });
  const [bridge, probeScript] = await Promise.all([buildBridge(), buildPageScript(PROBE_ENTRY, 'EarmarkProbe')]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  const app = await startApp(page, bridge);
  try {
    const hypotheses = demoHypotheses();
    const batchId = importBatch(app, dir, count, hypotheses);
    const bareClips = sourceClips(BARE_SWITCHES_PER_BLOCK * 3 + 1, hypotheses).map((c) => ({
      id: c.details.id,
      text: c.details.asrText,
      bytes: c.audio.toString('base64'),
    }));
    const ids = app.services.vault
      .listClips(batchId)
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((c) => c.id);
    await page.addInitScript({ content: probeScript });
    const bare = await barePage(context, probeScript);
    const all: ProbeSamples = { keys: [], switches: [], floor: [], handler: [], failures: 0 };
    const bareKeys: number[] = [];
    const bareSwitches: number[] = [];
    await typeBare(bare, bareKeys);
    const bareSwitch = await bareSwitchPage(context, probeScript, bareClips);
    await switchBare(bareSwitch, bareSwitches);

    await page.bringToFront();
    await app.open({ demo: false });
    const cdp = await context.newCDPSession(page);
    await page.locator('button.batch-open').first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#transcript').waitFor();
    // Double speed, kept for every clip (the probe makes the audio itself faster still).
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Control+Period');
    }
    await drain(page);

    const heard = page.locator('[data-testid="heard"][data-heard="true"]');
    let ipcOpens = 0;
    let early = { mb: 0, nodes: 0 };
    for (let i = 0; i < count; i += 1) {
      await pause(REACTION_MS);
      await page.keyboard.press('Shift');
      // The floor key's own frame is timed before typing starts, and the first typed key then
      // follows as every other key does: the probe asks for a frame on that key (the app does
      // not), and a key pressed while that frame is still in flight waits for it.
      await page.evaluate(() => (window as ProbeWindow).__earmarkProbe?.waitFloor(1));
      await pause(TYPE_DELAY_MS);
      await page.keyboard.type(TYPED, { delay: TYPE_DELAY_MS });
      await page.evaluate((n) => (window as ProbeWindow).__earmarkProbe?.waitKeys(n), TYPED.length);
      await heard.waitFor();
      const callsBefore = app.calls.length;
      await page.keyboard.press('Control+Enter');
      if (i < count - 1) {
        await page.evaluate(() => (window as ProbeWindow).__earmarkProbe?.waitSwitches(1));
        const next = ids[i + 1];
        ipcOpens += app.calls
          .slice(callsBefore)
          .filter((c) => c.channel === 'clips:open' && (c.payload as { clipId?: string }).clipId === next).length;
      } else {
        await page.locator('[data-notice="batchDone"]').waitFor();
      }
      const s = await drain(page);
      all.keys.push(...s.keys);
      all.switches.push(...s.switches);
      all.floor.push(...s.floor);
      all.handler.push(...s.handler);
      all.failures += s.failures;
      if (i + 1 === HEAP_EARLY) {
        early = await heap(cdp);
      }
      if (i + 1 === Math.floor(count / 2)) {
        await typeBare(bare, bareKeys);
        await switchBare(bareSwitch, bareSwitches);
        await page.bringToFront();
        await page.locator('#transcript').focus();
      }
      if ((i + 1) % 100 === 0) {
        log(`  renderer: ${i + 1} of ${count} clips`);
      }
    }
    const late = await heap(cdp);
    await typeBare(bare, bareKeys);
    await switchBare(bareSwitch, bareSwitches);
    if (all.failures > 0) {
      throw new Error(`${all.failures} clip switches never showed a playable clip within 5 s.`);
    }
    const figure = (samples: readonly number[], p: number): number => round(percentile(samples, p), 2);
    return {
      chromium: browser.version(),
      figures: {
        renderer_clips: count,
        clip_switch_ms_p50: figure(all.switches, 50),
        clip_switch_ms_p95: figure(all.switches, 95),
        clip_switch_handler_ms_p95: figure(all.handler, 95),
        clip_switch_ipc_opens: ipcOpens,
        clip_switch_bare_ms_p50: figure(bareSwitches, 50),
        clip_switch_bare_ms_p95: figure(bareSwitches, 95),
        keystroke_paint_ms_p50: figure(all.keys, 50),
        keystroke_paint_ms_p95: figure(all.keys, 95),
        keystroke_paint_bare_ms_p50: figure(bareKeys, 50),
        keystroke_paint_bare_ms_p95: figure(bareKeys, 95),
        paint_floor_ms_p50: figure(all.floor, 50),
        paint_floor_ms_p95: figure(all.floor, 95),
        renderer_heap_mb_50: round(early.mb, 2),
        renderer_heap_mb_1000: round(late.mb, 2),
        renderer_heap_ratio: round(late.mb / early.mb, 2),
        renderer_dom_nodes_50: early.nodes,
        renderer_dom_nodes_1000: late.nodes,
      },
    };
  } finally {
    app.dispose();
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
