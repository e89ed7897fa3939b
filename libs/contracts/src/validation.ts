// Field-level checks that the schema alone cannot express (required, lengths, formats). Every
// violation names the field, so a caller or a dead-letter reader knows what to fix.

export interface FieldViolation {
  field: string;
  problem: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an id from outside is a UUID (checked before it reaches a uuid column, which would throw). */
export const isUuid = (value: string): boolean => UUID.test(value);
// Control characters other than tab/newline never belong in customer text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export class FieldRules {
  readonly violations: FieldViolation[] = [];

  constructor(private readonly prefix = '') {}

  private add(field: string, problem: string): this {
    this.violations.push({ field: this.prefix + field, problem });
    return this;
  }

  required(field: string, value: string): this {
    return value.trim() === '' ? this.add(field, 'is required') : this;
  }

  maxLength(field: string, value: string, max: number): this {
    return [...value].length > max ? this.add(field, `must be at most ${max} characters`) : this;
  }

  text(field: string, value: string, max: number): this {
    return this.required(field, value).maxLength(field, value, max).noControl(field, value);
  }

  /** For optional text: empty is fine, control characters (NUL among them) are not. */
  noControl(field: string, value: string): this {
    return CONTROL.test(value) ? this.add(field, 'must not contain control characters') : this;
  }

  id(field: string, value: string, max = 128): this {
    this.required(field, value).maxLength(field, value, max);
    return /[\s\u0000-\u001f]/.test(value) ? this.add(field, 'must not contain whitespace') : this;
  }

  uuid(field: string, value: string): this {
    return isUuid(value) ? this : this.add(field, 'must be a UUID');
  }

  optionalUuid(field: string, value: string): this {
    return value === '' ? this : this.uuid(field, value);
  }

  range(field: string, value: number, min: number, max: number): this {
    return value < min || value > max ? this.add(field, `must be between ${min} and ${max}`) : this;
  }

  check(field: string, ok: boolean, problem: string): this {
    return ok ? this : this.add(field, problem);
  }
}

export function describeViolations(violations: FieldViolation[]): string {
  return violations.map((v) => `${v.field} ${v.problem}`).join('; ');
}
