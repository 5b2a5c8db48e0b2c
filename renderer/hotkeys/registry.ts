/**
 * The one command registry: id → binding → handler → enabled-when. Every hotkey in the app is
 * a command here; the help overlay lists them and rebinding refuses conflicts.
 */
import { err, ok, type Result } from '../../shared/result';
import { bindingKey, bindingOf, firesWhileTyping, type Binding, type KeyLike } from './binding';

export type Command = {
  readonly id: string;
  /** i18n key of the command's label. */
  readonly labelKey: string;
  readonly defaultBinding: Binding;
  run(): void;
  enabled?(): boolean;
};

export type CommandView = { readonly id: string; readonly labelKey: string; readonly binding: Binding };

export type KeyContext = {
  /** True when focus is in an editable field. */
  readonly typing: boolean;
};

export function createCommandRegistry(isMac: boolean) {
  const commands = new Map<string, Command>();
  const bindings = new Map<string, Binding>();
  const owner = new Map<string, string>();

  const bind = (id: string, binding: Binding): Result<void> => {
    const key = bindingKey(binding);
    const holder = owner.get(key);
    if (holder !== undefined && holder !== id) {
      return err('CONFLICT', `${key} is already bound to "${holder}".`);
    }
    const previous = bindings.get(id);
    if (previous) {
      owner.delete(bindingKey(previous));
    }
    bindings.set(id, binding);
    owner.set(key, id);
    return ok(undefined);
  };

  return {
    /** Adds a command under its default binding; a duplicate id or binding is a programming error. */
    register(command: Command): () => void {
      if (commands.has(command.id)) {
        throw new Error(`Command "${command.id}" is registered twice.`);
      }
      const bound = bind(command.id, command.defaultBinding);
      if (!bound.ok) {
        throw new Error(`Cannot register "${command.id}": ${bound.error.message}`);
      }
      commands.set(command.id, command);
      return () => {
        const b = bindings.get(command.id);
        if (b) {
          owner.delete(bindingKey(b));
        }
        bindings.delete(command.id);
        commands.delete(command.id);
      };
    },

    /** Moves a command to a new binding; refused when another command holds it. */
    rebind(id: string, binding: Binding): Result<void> {
      if (!commands.has(id)) {
        return err('NOT_FOUND', `No command "${id}".`);
      }
      return bind(id, binding);
    },

    list(): CommandView[] {
      return [...commands.values()].map((c) => ({
        id: c.id,
        labelKey: c.labelKey,
        binding: bindings.get(c.id) ?? c.defaultBinding,
      }));
    },

    /** Runs the command bound to this key, if any may run now. Returns true when one ran. */
    handle(event: KeyLike, context: KeyContext): boolean {
      const binding = bindingOf(event, isMac);
      const id = owner.get(bindingKey(binding));
      const command = id === undefined ? undefined : commands.get(id);
      if (!command) {
        return false;
      }
      if (context.typing && !firesWhileTyping(binding)) {
        return false;
      }
      if (command.enabled && !command.enabled()) {
        return false;
      }
      command.run();
      return true;
    },
  };
}

export type CommandRegistry = ReturnType<typeof createCommandRegistry>;
