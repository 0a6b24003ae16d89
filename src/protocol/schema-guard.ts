import type * as v from 'valibot';

/**
 * A type guard made once from a valibot schema, for the hot path: it checks a message without
 * building a copy of it (a parse allocates a new object per level, which a thousand tasks a
 * millisecond notice). It is never more lenient than the schema: what it does not understand it
 * refuses, and the caller then runs the schema's own parse, which accepts or says why. So the
 * schema stays the one definition; this is only a faster way to say yes.
 */
export type Guard = (value: unknown) => boolean;

/** The parts of valibot's schema objects the guard reads (public fields of each schema). */
interface AnySchema {
  type: string;
  pipe?: readonly { kind: string; type: string; requirement?: unknown }[];
  entries?: Record<string, AnySchema>;
  item?: AnySchema;
  items?: readonly AnySchema[];
  wrapped?: AnySchema;
  literal?: unknown;
  options?: readonly (AnySchema | string)[];
  key?: string | AnySchema;
  value?: AnySchema;
  check?: (input: unknown) => boolean;
}

const never: Guard = () => false;
const always: Guard = () => true;

export function guardOf(schema: v.GenericSchema): Guard {
  return compile(schema as unknown as AnySchema);
}

function compile(schema: AnySchema): Guard {
  const base = compileBase(schema);
  const actions = schema.pipe?.slice(1) ?? [];
  if (actions.length === 0) return base;
  const checks = actions.map(compileAction);
  if (checks.includes(never)) return never;
  return (value) => base(value) && checks.every((check) => check(value));
}

function compileAction(action: { kind: string; type: string; requirement?: unknown }): Guard {
  // `readonly` changes only the inferred type: the parse returns the value as it is.
  if (action.kind === 'transformation' && action.type === 'readonly') return always;
  if (action.kind !== 'validation') return never;
  const requirement = action.requirement;
  switch (action.type) {
    case 'integer':
      return (value) => Number.isInteger(value);
    case 'min_value':
      return typeof requirement === 'number' ? (value) => (value as number) >= requirement : never;
    case 'max_value':
      return typeof requirement === 'number' ? (value) => (value as number) <= requirement : never;
    case 'max_length':
      return typeof requirement === 'number' ? (value) => (value as { length: number }).length <= requirement : never;
    default:
      return never;
  }
}

function compileBase(schema: AnySchema): Guard {
  switch (schema.type) {
    case 'unknown':
      return () => true;
    case 'string':
      return (value) => typeof value === 'string';
    case 'number':
      return (value) => typeof value === 'number' && !Number.isNaN(value);
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'literal': {
      const literal = schema.literal;
      return (value) => value === literal;
    }
    case 'picklist': {
      const options = schema.options ?? [];
      return (value) => options.includes(value as string);
    }
    case 'optional':
    case 'undefinedable': {
      const wrapped = compile(schema.wrapped as AnySchema);
      return (value) => value === undefined || wrapped(value);
    }
    case 'nullable': {
      const wrapped = compile(schema.wrapped as AnySchema);
      return (value) => value === null || wrapped(value);
    }
    case 'nullish': {
      const wrapped = compile(schema.wrapped as AnySchema);
      return (value) => value === null || value === undefined || wrapped(value);
    }
    case 'array': {
      const item = compile(schema.item as AnySchema);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
        return true;
      };
    }
    case 'tuple': {
      const items = (schema.items ?? []).map(compile);
      return (value) => Array.isArray(value) && value.length === items.length && items.every((item, i) => item(value[i]));
    }
    case 'object':
      return compileObject(schema.entries ?? {});
    case 'record': {
      const key = typeof schema.key === 'object' ? compile(schema.key) : never;
      const item = compile(schema.value as AnySchema);
      return (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        for (const [k, x] of Object.entries(value)) if (k === '__proto__' || !key(k) || !item(x)) return false;
        return true;
      };
    }
    case 'variant':
      return compileVariant(schema);
    case 'custom': {
      const check = schema.check;
      return check ? (value) => check(value) : never;
    }
    default:
      return never;
  }
}

function compileObject(entries: Record<string, AnySchema>): Guard {
  const fields = Object.entries(entries).map(([key, entry]) => ({
    key,
    optional: entry.type === 'optional' || entry.type === 'nullish',
    check: compile(entry),
  }));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (const field of fields) {
      if (!Object.hasOwn(record, field.key)) {
        if (field.optional) continue;
        return false;
      }
      if (!field.check(record[field.key])) return false;
    }
    return true;
  };
}

/** By the discriminator's value, one table lookup instead of trying each option in turn. */
function compileVariant(schema: AnySchema): Guard {
  const key = schema.key;
  if (typeof key !== 'string') return never;
  const byValue = new Map<unknown, Guard[]>();
  for (const option of schema.options ?? []) {
    if (typeof option === 'string') return never;
    const discriminators = literalsOf(option, key);
    if (!discriminators) return never;
    const guard = compile(option);
    for (const literal of discriminators) byValue.set(literal, [...(byValue.get(literal) ?? []), guard]);
  }
  return (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const guards = byValue.get((value as Record<string, unknown>)[key]);
    return guards !== undefined && guards.some((guard) => guard(value));
  };
}

/** The literal values `key` takes in an object option, or in each option of a nested variant. */
function literalsOf(option: AnySchema, key: string): unknown[] | undefined {
  if (option.type === 'object') {
    const entry = option.entries?.[key];
    return entry?.type === 'literal' && !entry.pipe ? [entry.literal] : undefined;
  }
  if (option.type === 'variant') {
    const all: unknown[] = [];
    for (const nested of option.options ?? []) {
      if (typeof nested === 'string') return undefined;
      const literals = literalsOf(nested, key);
      if (!literals) return undefined;
      all.push(...literals);
    }
    return all;
  }
  return undefined;
}
