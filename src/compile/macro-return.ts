// dbt's `{{ return(x) }}`: leaves the macro at once; the macro's call yields x.
// https://docs.getdbt.com/reference/dbt-jinja-functions/return

import { CompileError } from '../errors.js';

/** Thrown by return() and caught by the macro being run (jinja-runtime.ts makeMacro). */
export class MacroReturn extends CompileError {
  constructor(readonly value: unknown) {
    // Only seen when return() is used outside any macro.
    super('return() can only be used inside a macro');
  }
}

export function macroReturn(value: unknown): never {
  throw new MacroReturn(value);
}
