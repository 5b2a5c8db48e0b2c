import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/log/logger';
import { createRedactor, REDACTED } from '../../../main/log/redact';

function capture(minLevel: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const redactor = createRedactor(Buffer.alloc(32, 1));
  const logger = createLogger(minLevel, (l) => lines.push(l), redactor);
  const entries = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, entries, redactor };
}

describe('logger', () => {
  it('writes one JSON line per entry with time, level and message', () => {
    const { logger, entries } = capture();
    logger.info('vault: batch erased', { batchId: 'b-AAAAAAAAAAAAAAA1', status: 'expired' });
    const [entry, ...others] = entries();
    expect(others).toHaveLength(0);
    const { time, ...rest } = entry ?? {};
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(rest).toEqual({
      level: 'info',
      message: 'vault: batch erased',
      batchId: 'b-AAAAAAAAAAAAAAA1',
      status: 'expired',
    });
  });

  it('drops entries below its level', () => {
    const { logger, lines } = capture('info');
    logger.debug('noise');
    expect(lines).toHaveLength(0);
  });

  it('never writes clip content or a clip id that reaches it in a context', () => {
    const { logger, lines, entries, redactor } = capture();
    const transcript = 'my name is Ana Popescu and my account is 4111 1111 1111 1111';
    logger.warn('review: save failed', {
      clipId: 'c-KKKKKKKKKKKK7F3A',
      transcript,
      asrText: transcript,
      note: 'crying',
    });
    const all = lines.join('\n');
    expect(all).not.toContain('Popescu');
    expect(all).not.toContain('4111');
    expect(all).not.toContain('crying');
    expect(all).not.toContain('c-KKKKKKKKKKKK7F3A');
    expect(entries()[0]).toMatchObject({
      clipId: redactor.clipRef('c-KKKKKKKKKKKK7F3A'),
      transcript: REDACTED,
      asrText: REDACTED,
      note: REDACTED,
    });
  });

  it('redacts with a per-run key by default', () => {
    const lines: string[] = [];
    createLogger('info', (l) => lines.push(l)).info('x', { clipId: 'c-KKKKKKKKKKKKKKK1' });
    const [line] = lines;
    expect((JSON.parse(line ?? '{}') as Record<string, unknown>)['clipId']).toMatch(/^[0-9a-f]{8}$/);
  });

  it('keeps a context key from overwriting the message', () => {
    const { logger, entries } = capture();
    logger.error('startup refused', { message: 'something else' });
    expect(entries()[0]).toMatchObject({ message: 'startup refused', 'context.message': 'something else' });
  });
});
