/**
 * The one command registry: id → binding → handler → enabled-when. Every hotkey in the app is
 * a command here; the help overlay lists them and rebinding refuses conflicts. A reviewer's own
 * bindings are applied on top of the defaults; one that would take a chord another command
 * holds is dropped (that command keeps its default), so no chord ever runs two commands.
 */
import { err, ok, type Result } from '../../shared/result';
import { bindingProblem, type HotkeyOverrides } from '../../shared/settings/hotkey-binding';
import type { TranslationKey } from '../i18n/translation-key';
import { bindingKey, bindingOf, firesWhileTyping, sameBinding, type Binding, type KeyLike } from './binding';

export type Command = {
  readonly id: string;
  /** i18n key of the command's label. */
  readonly labelKey: TranslationKey;
  readonly defaultBinding: Binding;
  run(): void;
  enabled?(): boolean;
};

export type CommandView = {
  readonly id: string;
  readonly labelKey: TranslationKey;
  readonly binding: Binding;
  readonly defaultBinding: Binding;
};

export type KeyContext = {
  /** True when focus is in an editable field. */
  readonly typing: boolean;
};

export type RegistryOptions = {
  /** False for a command that must not run now whatever its own state (a screen covers it). */
  readonly gate?: (commandId: string) => boolean;
};

/** Receives the next chord pressed, or null when the reviewer pressed Escape to cancel. */
export type ChordListener = (binding: Binding | null) => void;

export function createCommandRegistry(isMac: boolean, options: RegistryOptions = {}) {
  const commands = new Map<string, Command>();
  let overrides: HotkeyOverrides = {};
  let bindings = new Map<string, Binding>();
  let owner = new Map<string, string>();
  let capturing: ChordListener | null = null;
  /** Overrides that clashed at the last recompute and are not in effect. */
  let dropped: string[] = [];
  let snapshot: readonly CommandView[] | null = null;
  const listeners = new Set<() => void>();

  /** Defaults with the overrides on top; overrides that clash are reverted until none do. */
  const recompute = (): void => {
    const reverted = new Set<string>();
    for (;;) {
      const want = new Map<string, Binding>();
      for (const c of commands.values()) {
        const own = overrides[c.id];
        want.set(c.id, own && !reverted.has(c.id) ? own : c.defaultBinding);
      }
      const holders = new Map<string, string[]>();
      for (const [id, b] of want) {
        holders.set(bindingKey(b), [...(holders.get(bindingKey(b)) ?? []), id]);
      }
      const clashing = [...holders.values()]
        .filter((ids) => ids.length > 1)
        .flat()
        .filter((id) => overrides[id] && !reverted.has(id));
      if (clashing.length === 0) {
        bindings = want;
        owner = new Map([...want].map(([id, b]) => [bindingKey(b), id]));
        dropped = [...reverted];
        snapshot = null;
        listeners.forEach((l) => l());
        return;
      }
      clashing.forEach((id) => reverted.add(id));
    }
  };

  const view = (c: Command): CommandView => ({
    id: c.id,
    labelKey: c.labelKey,
    binding: bindings.get(c.id) ?? c.defaultBinding,
    defaultBinding: c.defaultBinding,
  });

  return {
    /** Adds a command under its default binding; a duplicate id or default binding is a programming error. */
    register(command: Command): () => void {
      if (commands.has(command.id)) {
        throw new Error(`Command "${command.id}" is registered twice.`);
      }
      const clash = [...commands.values()].find((c) => sameBinding(c.defaultBinding, command.defaultBinding));
      if (clash) {
        throw new Error(
          `Cannot register "${command.id}": ${bindingKey(command.defaultBinding)} is already bound to "${clash.id}".`,
        );
      }
      commands.set(command.id, command);
      recompute();
      return () => {
        commands.delete(command.id);
        recompute();
      };
    },

    /** Moves a command to a new binding; refused when another command holds it. */
    rebind(id: string, binding: Binding): Result<void> {
      const command = commands.get(id);
      if (!command) {
        return err('NOT_FOUND', `No command "${id}".`);
      }
      const holder = owner.get(bindingKey(binding));
      if (holder !== undefined && holder !== id) {
        return err('CONFLICT', `${bindingKey(binding)} is already bound to "${holder}".`);
      }
      const { [id]: _old, ...others } = overrides;
      overrides = sameBinding(binding, command.defaultBinding) ? others : { ...others, [id]: binding };
      recompute();
      return ok(undefined);
    },

    /** Replaces every reviewer binding (from the settings); returns the ids whose binding clashed and was dropped. */
    applyOverrides(next: HotkeyOverrides): string[] {
      overrides = next;
      recompute();
      return dropped;
    },

    /** The reviewer bindings in effect: commands off their default, and nothing else. */
    overrides(): HotkeyOverrides {
      return Object.fromEntries(
        [...commands.values()].flatMap((c) => {
          const b = bindings.get(c.id);
          return b && !sameBinding(b, c.defaultBinding) ? [[c.id, b]] : [];
        }),
      );
    },

    /** The command that holds a chord now, if any. */
    holder(binding: Binding): CommandView | undefined {
      const id = owner.get(bindingKey(binding));
      const command = id === undefined ? undefined : commands.get(id);
      return command ? view(command) : undefined;
    },

    list(): CommandView[] {
      return [...commands.values()].map(view);
    },

    /**
     * Hands the next chord to `listener` instead of running a command (rebinding). Modifier
     * keys alone are waited through; Escape alone cancels. Returns the cancel.
     */
    capture(listener: ChordListener): () => void {
      capturing = listener;
      return () => {
        if (capturing === listener) {
          capturing = null;
        }
      };
    },

    /** Runs the command bound to this key, if any may run now. Returns true when the key was used. */
    handle(event: KeyLike, context: KeyContext): boolean {
      const binding = bindingOf(event, isMac);
      if (capturing) {
        if (bindingProblem(binding) !== 'modifierOnly') {
          const listener = capturing;
          capturing = null;
          const cancel = binding.code === 'Escape' && !binding.mod && !binding.alt && !binding.shift;
          listener(cancel ? null : binding);
        }
        return true;
      }
      const id = owner.get(bindingKey(binding));
      const command = id === undefined ? undefined : commands.get(id);
      if (!command) {
        return false;
      }
      if (context.typing && !firesWhileTyping(binding)) {
        return false;
      }
      if ((options.gate && !options.gate(command.id)) || (command.enabled && !command.enabled())) {
        return false;
      }
      command.run();
      return true;
    },

    /** Calls `listener` whenever a binding changes; returns the unsubscribe (for useSyncExternalStore). */
    subscribe: (listener: () => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** The commands as `list()` gives them, the same array until a binding changes. */
    snapshot: (): readonly CommandView[] => {
      snapshot ??= [...commands.values()].map(view);
      return snapshot;
    },
  };
}

export type CommandRegistry = ReturnType<typeof createCommandRegistry>;
