/** Dates on admin pages: ISO strings shown in UTC, the day alone or to the minute. */
export function dayOf(iso: string | null | undefined): string | undefined {
  return iso ? iso.slice(0, 10) : undefined;
}

export function minuteOf(iso: string | null | undefined): string | undefined {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : undefined;
}

export function secondOf(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
