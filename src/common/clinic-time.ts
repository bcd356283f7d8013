/**
 * Dates and times as a clinic reads them: in its own time zone, named. Every
 * page shows times through one of these; the zone is the clinic's setting,
 * or the server's own when the clinic has none.
 */
export class ClinicTime {
  private static readonly byZone = new Map<string, ClinicTime>();
  private readonly parts: Intl.DateTimeFormat;

  /** One per zone, made once: every page asks for its clinic's. */
  static of(zone: string): ClinicTime {
    let time = ClinicTime.byZone.get(zone);
    if (!time) ClinicTime.byZone.set(zone, (time = new ClinicTime(zone)));
    return time;
  }

  constructor(readonly zone: string = serverTimeZone()) {
    this.parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** 2026-12-06 */
  day(date: Date | string | null | undefined): string | undefined {
    return this.format(date)?.slice(0, 10);
  }

  /** 2026-12-06 14:05 */
  minute(date: Date | string | null | undefined): string | undefined {
    return this.format(date)?.slice(0, 16);
  }

  /** 2026-12-06 14:05:09 */
  second(date: Date | string | null | undefined): string | undefined {
    return this.format(date);
  }

  /** 2026-12-06T14:05:09+01:00: the instant in ISO 8601, with this zone's offset at that moment. */
  iso(date: Date): string {
    const wall = this.format(date)!.replace(' ', 'T');
    const whole = date.getTime() - (((date.getTime() % 1000) + 1000) % 1000);
    const offset = Math.round((Date.parse(`${wall}Z`) - whole) / 60_000);
    const sign = offset < 0 ? '-' : '+';
    const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
    const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
    return `${wall}${sign}${hours}:${minutes}`;
  }

  /** The instant a day (2026-12-06) begins in this zone. */
  startOf(day: string): Date {
    const midnight = Date.parse(`${day}T00:00:00Z`);
    // The zone's wall clock at a UTC instant, read back as if it were UTC, gives its offset;
    // a second pass settles a day on which the offset changes.
    let instant = midnight;
    for (let pass = 0; pass < 2; pass++) {
      const wall = Date.parse(`${this.format(new Date(instant))!.replace(' ', 'T')}Z`);
      instant = midnight - (wall - instant);
    }
    return new Date(instant);
  }

  private format(date: Date | string | null | undefined): string | undefined {
    if (date === null || date === undefined) return undefined;
    const values = Object.fromEntries(
      this.parts.formatToParts(new Date(date)).map((part) => [part.type, part.value]),
    );
    return `${values.year}-${values.month}-${values.day} ${values.hour}:${values.minute}:${values.second}`;
  }
}

/** The zone the server runs in (TZ, or the system's). */
export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether a name is a time zone this runtime knows (IANA names, and UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
