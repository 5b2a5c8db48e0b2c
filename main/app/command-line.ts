/**
 * The command-line switches a packaged build accepts. Chromium and Node read dozens of switches
 * before any of our code runs (`--remote-debugging-port`, `--inspect`, `--no-sandbox`,
 * `--proxy-server`, `--user-data-dir`, `--js-flags` …), and no Electron fuse covers Chromium's. A
 * reviewer could start the app with one and drive the renderer or read memory from outside, so
 * a packaged build refuses to start on any argument that is not on this list and quits before
 * `ready`, before any window or key exists.
 *
 * An allow-list, not a deny-list: Chromium adds switches with every release, and one missed
 * name would reopen the door. This is the only list; the shell and its tests import it.
 */

/**
 * Switches a packaged build accepts (name without dashes). Deliberately empty: the app takes no
 * arguments of its own; a switch added here needs a reason next to it.
 */
export const ALLOWED_SWITCHES: ReadonlySet<string> = new Set<string>([]);

/**
 * Added for the Playwright build only (electron-builder.test.yml, never published): Playwright's
 * `_electron` attaches through these. That build is marked in its packaged package.json, which
 * sits inside the integrity-checked app.asar.
 */
export const TEST_BUILD_SWITCHES: ReadonlySet<string> = new Set<string>(['inspect', 'remote-debugging-port']);

/** The key electron-builder.test.yml adds to the packaged package.json (`extraMetadata`). */
export const TEST_BUILD_MARK = 'earmarkTestBuild';

/**
 * Arguments the OS adds by itself, accepted whatever they hold: macOS's process serial number
 * (`-psn_0_12345`) when an app is opened from Finder.
 */
export const PLATFORM_NOISE: readonly RegExp[] = [/^-psn_\d+_\d+$/];

/** The name of a switch (`--a=b` → `a`, `-a` → `a`), or undefined for a positional argument. */
function switchName(arg: string): string | undefined {
  const match = /^--?([^=]*)/.exec(arg);
  return match ? (match[1] ?? '').toLowerCase() : undefined;
}

/**
 * The arguments a packaged build refuses, in order; empty when every one is allowed.
 * `args` are the ones after the executable (`process.argv.slice(1)` in a packaged build).
 * A positional argument is refused too: the app opens no files from its command line, and
 * Chromium reads `--` switches that follow one.
 */
export function refusedArguments(args: readonly string[], testBuild = false): string[] {
  return args.filter((arg) => {
    if (PLATFORM_NOISE.some((noise) => noise.test(arg))) {
      return false;
    }
    const name = switchName(arg);
    return name === undefined || !(ALLOWED_SWITCHES.has(name) || (testBuild && TEST_BUILD_SWITCHES.has(name)));
  });
}

/** What the error box says: the refused switches by name (values may hold paths or hosts). */
export function refusalMessage(refused: readonly string[]): string {
  const names = [...new Set(refused.map((arg) => (switchName(arg) === undefined ? arg : arg.split('=')[0])))];
  return (
    `Earmark does not accept these command-line arguments: ${names.join(', ')}.\n\n` +
    'Start it from its shortcut, without extra arguments. If a tool or script adds them, ask your IT administrator.'
  );
}

/**
 * Whether the check applies: always in a packaged build; in a development build only when
 * `EARMARK_STRICT_SWITCHES=1`, so the Electron e2e spec can check it there (Playwright itself
 * starts a development build with `--inspect` and `--remote-debugging-port`).
 */
export const STRICT_SWITCHES_ENV = 'EARMARK_STRICT_SWITCHES';
export function checksSwitches(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isPackaged || env[STRICT_SWITCHES_ENV] === '1';
}

/**
 * The arguments to check: everything after the executable in a packaged build; in a development
 * build (`electron out/main/index.js …`) everything after the app's entry script.
 */
export function userArguments(argv: readonly string[], isPackaged: boolean): readonly string[] {
  return argv.slice(isPackaged ? 1 : 2);
}
