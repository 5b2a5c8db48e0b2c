/** Asking the operator on the terminal, without echoing secrets. */
import { createInterface } from 'node:readline/promises';
import type { Prompt } from './credentials';

/** Reads one line from a TTY in raw mode, echoing nothing; Ctrl+C aborts. */
function readHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    const done = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) {
        reject(error);
      } else {
        resolve(answer);
      }
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          return;
        }
        if (ch === '\u0003') {
          done(new Error('Cancelled.'));
          return;
        }
        answer = ch === '\u007f' || ch === '\b' ? answer.slice(0, -1) : answer + ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** The prompt on this process's terminal; refuses when standard input is not one. */
export const terminalPrompt: Prompt = async (question, hidden) => {
  if (!process.stdin.isTTY) {
    throw new Error('No terminal to ask on: set EARMARK_OPERATOR_PASSWORD and EARMARK_OPERATOR_TOTP.');
  }
  if (hidden) {
    return readHidden(question);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
};
