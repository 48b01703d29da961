// A commander action whose implementation module is imported only when the command runs, so declaring commands stays cheap.

/**
 * Wraps `load` (a dynamic `import()` picking the command's function) as an action: `--help`, the other commands and the
 * running agent never load that module and its dependencies.
 */
export function lazyAction<Action extends (...args: never[]) => unknown>(
  load: () => Promise<Action>,
): (...args: Parameters<Action>) => Promise<void> {
  return async (...args) => {
    const action = await load();
    await action(...args);
  };
}
