/**
 * The positional parameters ($1, $2, ...) of one SQL statement composed from
 * parts written in different modules: each part adds its values and gets
 * back their placeholders, so the numbering stays right whatever the order.
 */
export class SqlParams {
  private readonly list: unknown[] = [];

  /**
   * The placeholder for `value`, cast to `type`. The cast is required: in an
   * `INSERT ... SELECT` PostgreSQL would otherwise read the value as text.
   */
  add(value: unknown, type: string): string {
    this.list.push(value);
    return `$${this.list.length}::${type}`;
  }

  get values(): readonly unknown[] {
    return this.list;
  }
}
