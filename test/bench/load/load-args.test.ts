import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../bench/args';
import { parseLoadArgs } from '../../../bench/load/load-args';

describe('npm run load arguments', () => {
  it('takes the seeds pace divided by ten, 1,000-clip batches and the issue cadence by default', () => {
    expect(parseLoadArgs(['--reviewers', '300', '--minutes', '3'])).toMatchObject({
      reviewers: 300,
      minutes: 3,
      paceFactor: 10,
      clips: 1000,
      escalateEvery: 200,
      amendEvery: 50,
      serviceArgs: [],
    });
  });

  it('passes every --service-arg and --database on as given', () => {
    const args = parseLoadArgs(
      ['--reviewers', '2', '--minutes', '1', '--database', 'postgres://127.0.0.1/earmark'].concat(
        // A value that starts with a dash is given with "=", as node:util's parseArgs asks.
        ['--service-arg=--token-ttl-minutes', '--service-arg', '60'],
      ),
    );
    expect(args.database).toBe('postgres://127.0.0.1/earmark');
    expect(args.serviceArgs).toEqual(['--token-ttl-minutes', '60']);
  });

  it.each([
    [['--minutes', '1']],
    [['--reviewers', '0', '--minutes', '1']],
    [['--reviewers', '2.5', '--minutes', '1']],
    [['--reviewers', '2', '--minutes', '1', '--pace-factor', 'fast']],
    [['--reviewers', '2', '--minutes', '1', '--url', 'http://127.0.0.1:8787']],
    [['--reviewers', '2', '--minutes', '1', '--url', 'http://192.168.1.2:8787', '--data', 'd']],
    [['--reviewers', '2', '--minutes', '1', '--bogus']],
  ])('refuses %j', (argv) => {
    expect(() => parseLoadArgs(argv)).toThrow(UsageError);
  });

  it('drives a running service on loopback when told which store to prepare', () => {
    const args = parseLoadArgs(['--reviewers', '2', '--minutes', '1', '--url', 'http://127.0.0.1:8787', '--data', 'd']);
    expect(args).toMatchObject({ url: 'http://127.0.0.1:8787', data: 'd' });
  });
});
