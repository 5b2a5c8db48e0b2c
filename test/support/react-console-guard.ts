/**
 * Set up before every renderer test file: a console.error during a test fails it. React reports
 * its problems there (an update not wrapped in act(), a missing key, an error thrown while
 * rendering), so a test that prints one is a test with a problem, not one that passed. The
 * message still prints; the test (or, for one that comes after the last test, the file) fails.
 * A test that expects an error spies on console.error itself, which replaces this for its span.
 */
/* eslint-disable no-console -- this module's job is to watch console.error and put it back. */
import { format } from 'node:util';
import { afterAll, afterEach, beforeAll } from 'vitest';

const reported: string[] = [];
const original = console.error.bind(console);

const failOnReported = (): void => {
  if (reported.length > 0) {
    const messages = reported.splice(0).join('\n---\n');
    throw new Error(`console.error was called (React reports act() warnings and render errors there):\n${messages}`);
  }
};

beforeAll(() => {
  console.error = (...args: unknown[]): void => {
    reported.push(format(...args));
    original(...args);
  };
});
afterEach(failOnReported);
afterAll(() => {
  console.error = original;
  failOnReported();
});
