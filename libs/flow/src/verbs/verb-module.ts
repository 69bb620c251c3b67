import type { Command, FetchCommand, Scalar, StepRef } from '../commands';
import type { Target } from '../graph';
import type { FlowError } from '../types';

/** A JSON Schema (draft 2020-12) object, as published in `flowSchema`. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What a command builder gets besides the step. */
export interface CommandContext {
  /** The step issuing the command, copied into `command.step`. */
  ref: StepRef;
  /** The flat body of a fetch this step makes (start context, call variables, step position; see `FetchCommand.body`), built on demand. */
  fetchBody(purpose: FetchCommand['purpose']): Record<string, Scalar>;
}

/** A label-valued option of a step: `field` is its JSON Pointer suffix (`onBusy`, `branches/1`); `label` is undefined when the option is absent. */
export interface LabelField {
  field: string;
  label: string | undefined;
}

/**
 * Something a step makes the gateway reach on the project's behalf: a URL it fetches (`url`: redirect,
 * actionHook) or a number or endpoint it dials (`dial`). `field` is its JSON Pointer suffix (`url`, `target`).
 */
export interface OutboundField {
  field: string;
  kind: 'url' | 'dial';
  value: string;
}

/** Edge builders for {@link VerbModule.successors}; both return no target for an absent or missing label. */
export interface Edges {
  /** The step a label names. */
  label: (label: string | undefined) => Target[];
  /** Where the step continues by default: its `next` label, else the following step, else `'end'`. */
  fallThrough: () => Target[];
}

/** Where a step sits in its document, for {@link VerbModule.check}. */
export interface StepSite {
  /** JSON Pointer of the step, e.g. `/steps/3`. */
  path: string;
  /** True when the step falls through to a step (`next` or a following step) rather than off the end of the document. */
  fallsToAStep: boolean;
}

/**
 * Everything verb-specific the library knows about one verb: its JSON Schema fragment,
 * the command a step issues, and its part in validation and in the control-flow graph.
 * Modules are registered in `verbs/index.ts`; `VERBS`, the `Step` type and the step
 * list of `flowSchema` derive from that registry. Modules declare themselves with
 * `satisfies VerbModule<...>` so the published schema keeps its literal type.
 *
 * How results are routed at run time stays in the interpreter: it is keyed by result
 * kind (`done`, `gathered`, `dialed`...), the protocol shared with the orchestrator.
 */
export interface VerbModule<S extends { verb: string; label?: string }> {
  /** The `verb` value (jambonz verb names). */
  readonly name: S['verb'];
  /**
   * The step's schema, published as `$defs/<name>`: closed (`additionalProperties: false`),
   * `verb` a `const`, durations in whole seconds. `$ref`s point at the shared formats of
   * `schema-parts.ts` or at {@link defs}.
   */
  readonly schema: JsonSchema;
  /** More `$defs` the step's schema refers to (gather: its `prompt`); names are unique in the document. */
  readonly defs?: Readonly<Record<string, JsonSchema>>;
  /**
   * Set when the verb never falls through, so its schema has no `next`: why, completing
   * the error message `"next" is not allowed on <verb>: <reason>`.
   */
  readonly noNext?: string;
  /** The command a valid step issues: defaults applied, seconds turned into ms. */
  command(step: S, context: CommandContext): Command;
  /** Label-valued options other than `next` (checked for `missing_label`). Absent: none. */
  labels?(step: S): LabelField[];
  /** What the step reaches outside the call (URLs fetched, targets dialled), for the gateway's checks when a flow is accepted. Absent: none. */
  outbound?(step: S): OutboundField[];
  /** Steps control can move to from this step by any outcome, for reachability. Absent: fall-through only. */
  successors?(step: S, edges: Edges): Target[];
  /** Checks of a schema-valid step the schema cannot express (errors at paths under `site.path`). Absent: none. */
  check?(step: S, site: StepSite): FlowError[];
}

/** DSL seconds -> command milliseconds. */
export function secondsToMs(seconds: number): number {
  return seconds * 1000;
}
